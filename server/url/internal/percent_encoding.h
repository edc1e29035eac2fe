// Percent-encoding and -decoding of URL components.
//
// The encode sets are those of the WHATWG URL Standard, section 1.3
// ("Percent-encoded bytes"); bytes >= 0x80 are in every set, so non-ASCII
// input is encoded byte by byte (valid UTF-8 gives the Standard's result, and
// invalid UTF-8 stays representable instead of being replaced).

#ifndef LUREGUARD_SERVER_URL_INTERNAL_PERCENT_ENCODING_H_
#define LUREGUARD_SERVER_URL_INTERNAL_PERCENT_ENCODING_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace lureguard::url::internal {

enum class EncodeSet : uint8_t {
  kC0Control = 1 << 0,
  kFragment = 1 << 1,
  kQuery = 1 << 2,
  kSpecialQuery = 1 << 3,
  kPath = 1 << 4,
  kUserinfo = 1 << 5,
  // Safe Browsing "URLs and Hashing": bytes <= 0x20, >= 0x7f, '#' and '%'.
  kSafeBrowsing = 1 << 6,
};

// True if `c` must be percent-encoded in `set`.
bool InEncodeSet(unsigned char c, EncodeSet set);

// Appends `in` to `out`, writing every byte in `set` as %XX (uppercase hex).
void AppendPercentEncoded(std::string_view in, EncodeSet set, std::string* out);

// Appends %XX for `c` (uppercase hex).
void AppendEscapedByte(unsigned char c, std::string* out);

inline bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

// REQUIRES: IsHexDigit(c).
inline int HexValue(char c) {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// WHATWG "percent-decode": each %XX becomes its byte once; a '%' not
// followed by two hex digits is kept. Appends to `out`.
void AppendPercentDecoded(std::string_view in, std::string* out);

// Safe Browsing "repeatedly percent-unescape until no escapes remain".
// Appends the fixed point to `out` in one linear pass: escapes cannot
// overlap ('%' is not a hex digit), so the rewriting has a unique normal
// form and decoding at the end of the output as bytes arrive reaches the
// same string as repeated whole-string passes, with no iteration cap needed.
void AppendFullyUnescaped(std::string_view in, std::string* out);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_PERCENT_ENCODING_H_
