// std::string_view versions of the few Abseil ASCII helpers the mail code
// uses. Debian's Abseil is built with its own absl::string_view type, so
// its helpers do not take std::string_view without a conversion at every
// call; these keep the call sites plain.

#ifndef LUREGUARD_SERVER_MAIL_INTERNAL_ASCII_VIEW_H_
#define LUREGUARD_SERVER_MAIL_INTERNAL_ASCII_VIEW_H_

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"

namespace lureguard::mail::internal {

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(a[i]) != absl::ascii_tolower(b[i])) return false;
  }
  return true;
}

inline bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

inline std::string_view StripLeadingWhitespace(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && absl::ascii_isspace(s[b])) ++b;
  return s.substr(b);
}

inline std::string_view StripWhitespace(std::string_view s) {
  s = StripLeadingWhitespace(s);
  size_t e = s.size();
  while (e > 0 && absl::ascii_isspace(s[e - 1])) --e;
  return s.substr(0, e);
}

inline std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = absl::ascii_tolower(c);
  return out;
}

inline bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

}  // namespace lureguard::mail::internal

#endif  // LUREGUARD_SERVER_MAIL_INTERNAL_ASCII_VIEW_H_
