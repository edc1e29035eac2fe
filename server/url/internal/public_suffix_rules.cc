#include "server/url/internal/public_suffix_rules.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/url/internal/idna.h"

namespace lureguard::url::internal {
namespace {

// A rule as hosts are written: lowercase ASCII, Unicode labels in Punycode
// (libpsl adds the same form when it loads a list). Empty when the rule
// cannot be converted.
std::string AsciiRule(absl::string_view rule) {
  const std::string_view name(rule.data(), rule.size());
  std::string ascii;
  if (IsPlainAsciiDomain(name)) return absl::AsciiStrToLower(rule);
  if (!DomainToAscii(name, &ascii)) return {};
  return ascii;
}

absl::string_view Abseil(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

PublicSuffixRules PublicSuffixRules::Parse(std::string_view text) {
  PublicSuffixRules rules;
  for (absl::string_view line : absl::StrSplit(Abseil(text), '\n')) {
    // A rule is the line's first word; the rest, and comment lines, are
    // ignored (the format's own definition).
    line = absl::StripLeadingAsciiWhitespace(line);
    line = line.substr(0, line.find_first_of(" \t\r"));
    if (line.empty() || absl::StartsWith(line, "//")) continue;
    uint8_t flag = kExact;
    if (absl::ConsumePrefix(&line, "!")) {
      flag = kException;
    } else if (absl::ConsumePrefix(&line, "*.")) {
      flag = kWildcard;
    }
    std::string rule = AsciiRule(line);
    if (!rule.empty()) rules.rules_[std::move(rule)] |= flag;
  }
  return rules;
}

std::optional<PublicSuffixRules> PublicSuffixRules::Load(
    const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return std::nullopt;
  PublicSuffixRules rules = Parse(text.str());
  if (rules.rule_count() == 0) return std::nullopt;
  return rules;
}

uint8_t PublicSuffixRules::FlagsOf(absl::string_view name) const {
  auto it = rules_.find(name);
  return it == rules_.end() ? 0 : it->second;
}

bool PublicSuffixRules::IsPublicSuffix(std::string_view name_in) const {
  const absl::string_view name = Abseil(name_in);
  if (name.empty()) return false;
  const size_t dot = name.find('.');
  if (dot == absl::string_view::npos) return true;  // the implicit "*" rule
  const uint8_t flags = FlagsOf(name);
  if (flags & kException) return false;
  // libpsl holds "*.sch.uk" as "sch.uk" marked wildcard, so the parent of
  // a wildcard is a public suffix as well (the list's own algorithm would
  // give "uk" for "sch.uk"; libpsl's answer is the one kept).
  if (flags & (kExact | kWildcard)) return true;
  return (FlagsOf(name.substr(dot + 1)) & kWildcard) != 0;
}

size_t PublicSuffixRules::PublicSuffixLength(std::string_view host) const {
  // Left to right, as libpsl: the first tail that is a public suffix is the
  // longest ("forgot.his.name" is one though "his.name" is not).
  std::string_view tail = host;
  while (!tail.empty()) {
    if (IsPublicSuffix(tail)) return tail.size();
    const size_t dot = tail.find('.');
    if (dot == std::string_view::npos) break;
    tail.remove_prefix(dot + 1);
  }
  return 0;
}

}  // namespace lureguard::url::internal
