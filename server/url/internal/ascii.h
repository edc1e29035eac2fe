// ASCII helpers on std::string_view. Debian's Abseil is built with its own
// absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0), which does not
// convert from std::string_view, so the URL engine keeps these few to
// itself instead of converting at every call.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_ASCII_H_
#define LUREGUARD_SERVER_URL_INTERNAL_ASCII_H_

#include <string>
#include <string_view>

namespace lureguard::url::internal {

inline char ToLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

inline bool StartsWithIgnoreCase(std::string_view text,
                                 std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

inline void LowercaseAscii(std::string* s) {
  for (char& c : *s) c = ToLowerAscii(c);
}

// `text` cut to `max_length` bytes with non-printable bytes as \xHH, for
// quoting untrusted input in error messages.
std::string QuoteForMessage(std::string_view text, size_t max_length = 80);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_ASCII_H_
