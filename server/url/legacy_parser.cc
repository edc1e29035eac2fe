#include "server/url/internal/legacy_parser.h"

#include "absl/strings/ascii.h"

namespace lureguard::url::internal {

std::string_view LegacyHost(std::string_view s) {
  size_t pos = 0;
  if (!s.empty() && absl::ascii_isalpha(static_cast<unsigned char>(s[0]))) {
    size_t i = 1;
    while (i < s.size() &&
           (absl::ascii_isalnum(static_cast<unsigned char>(s[i])) ||
            s[i] == '+' || s[i] == '-' || s[i] == '.')) {
      ++i;
    }
    if (i < s.size() && s[i] == ':') {
      // "scheme:" without "//" has no authority for these parsers, except
      // "host:port" which the caller treats as scheme-less.
      if (s.substr(i + 1, 2) == "//") {
        pos = i + 3;
      } else if (i + 1 < s.size() &&
                 absl::ascii_isdigit(static_cast<unsigned char>(s[i + 1]))) {
        pos = 0;
      } else {
        return {};
      }
    }
  }
  if (pos == 0 && s.substr(0, 2) == "//") pos = 2;
  if (pos == 0 && !s.empty() && (s[0] == '/' || s[0] == '?' || s[0] == '#')) {
    return {};
  }
  size_t end = pos;
  while (end < s.size() && s[end] != '/' && s[end] != '?' && s[end] != '#') {
    ++end;
  }
  std::string_view authority = s.substr(pos, end - pos);
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    return close == std::string_view::npos ? authority
                                           : authority.substr(0, close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

}  // namespace lureguard::url::internal
