#include "server/links/internal/web_link.h"

namespace lureguard::links::internal {
namespace {

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The scheme written before ':' (lowercase), or "" when there is none.
std::string SchemeOf(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return "";
  size_t i = 1;
  while (i < s.size() && (IsAlpha(s[i]) || (s[i] >= '0' && s[i] <= '9') ||
                          s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i == s.size() || s[i] != ':') return "";
  std::string scheme(s.substr(0, i));
  for (char& c : scheme) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return scheme;
}

// The WHATWG parser's first steps: strip C0 controls and spaces around,
// drop tabs and newlines inside.
std::string Preprocess(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) {
    s.remove_prefix(1);
  }
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) {
    s.remove_suffix(1);
  }
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

}  // namespace

std::optional<std::string> WebLinkUrl(std::string_view written,
                                      const url::ParsedUrl* base) {
  const std::string link = Preprocess(written);
  if (link.empty() || link[0] == '#') return std::nullopt;
  const std::string scheme = SchemeOf(link);
  if (!scheme.empty() && scheme != "http" && scheme != "https") {
    return std::nullopt;
  }
  if (scheme.empty() && base == nullptr) return std::nullopt;
  absl::StatusOr<url::ParsedUrl> parsed =
      base != nullptr ? url::ResolveUrl(link, *base) : url::ParseUrl(link);
  if (!parsed.ok()) return std::nullopt;
  // Written in the usual absolute form: kept byte for byte. Anything else
  // (relative, "HTTP:/host", "http:\\\\host") as the parser serialises it.
  if (link.starts_with("http://") || link.starts_with("https://")) {
    return link;
  }
  return parsed->Href();
}

}  // namespace lureguard::links::internal
