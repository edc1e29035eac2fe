#include "server/redirects/wrapper_url.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lureguard::redirects {
namespace {

// Characters that the WHATWG parser keeps as they are in a host (up to
// ASCII case), plus those of userinfo and port that end it.
bool IsPlainAuthorityCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == ':' || c == '@' || c == '_' || c == '[' || c == ']';
}

bool ContainsIgnoringCase(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (absl::EqualsIgnoreCase(
            absl::string_view(text.data() + i, needle.size()),
            absl::string_view(needle.data(), needle.size()))) {
      return true;
    }
  }
  return false;
}

// The authority of "http(s)://authority/..." when every character of the
// scheme and authority is plain; std::nullopt when the parser must decide.
std::optional<std::string_view> PlainAuthority(std::string_view url) {
  const size_t separator = url.find("://");
  if (separator == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = url.substr(0, separator);
  if (!absl::EqualsIgnoreCase(absl::string_view(scheme.data(), scheme.size()),
                              "http") &&
      !absl::EqualsIgnoreCase(absl::string_view(scheme.data(), scheme.size()),
                              "https")) {
    return std::nullopt;
  }
  const size_t begin = separator + 3;
  size_t end = begin;
  while (end < url.size() && url[end] != '/' && url[end] != '?' &&
         url[end] != '#') {
    if (!IsPlainAuthorityCharacter(url[end])) return std::nullopt;
    ++end;
  }
  // "https:///host/": special schemes skip extra slashes before the host.
  if (end == begin) return std::nullopt;
  return url.substr(begin, end - begin);
}

}  // namespace

std::optional<url::ParsedUrl> ParseCandidate(std::string_view url,
                                             std::string_view host_marker) {
  const std::optional<std::string_view> authority = PlainAuthority(url);
  if (authority.has_value() && !ContainsIgnoringCase(*authority, host_marker)) {
    return std::nullopt;
  }
  absl::StatusOr<url::ParsedUrl> parsed = url::ParseUrl(url);
  if (!parsed.ok()) return std::nullopt;
  return *std::move(parsed);
}

bool HostMatches(const url::ParsedUrl& parsed, std::string_view domain,
                 bool subdomains) {
  std::string_view host = parsed.host;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host == domain) return true;
  return subdomains && host.size() > domain.size() &&
         host.substr(host.size() - domain.size()) == domain &&
         host[host.size() - domain.size() - 1] == '.';
}

std::optional<std::string_view> QueryParameter(std::string_view query,
                                               std::string_view name) {
  size_t begin = 0;
  while (begin <= query.size()) {
    size_t end = query.find('&', begin);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(begin, end - begin);
    if (pair.size() > name.size() && pair[name.size()] == '=' &&
        pair.substr(0, name.size()) == name) {
      return pair.substr(name.size() + 1);
    }
    begin = end + 1;
  }
  return std::nullopt;
}

bool IsHttpUrl(std::string_view text) {
  const absl::string_view view(text.data(), text.size());
  return absl::StartsWithIgnoreCase(view, "http://") ||
         absl::StartsWithIgnoreCase(view, "https://");
}

absl::Status Malformed(std::string_view wrapper, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(absl::string_view(wrapper.data(), wrapper.size()), ": ",
                   absl::string_view(why.data(), why.size())));
}

}  // namespace lureguard::redirects
