// Text in a MIME part's charset to UTF-8 and back without losing a byte,
// so the rewriter reads a part the way a mail reader does and still
// writes back every byte it did not mean to change.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_CHARSET_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_CHARSET_H_

#include <optional>
#include <string>
#include <string_view>

namespace lureguard::links::internal {

// `bytes` in `charset` (a MIME charset name; GMime maps aliases such as
// "windows-1252" to iconv names) as UTF-8; nullopt when the charset is
// unknown or a character converts only approximately.
//
// A byte that is not valid in the charset (0x81 in windows-1252, half a
// Shift_JIS pair) comes out as the private-use code point U+10FE00 plus
// the byte, which FromUtf8 turns back into that byte. Without it, one
// such byte anywhere in a part left the whole part unreadable as text,
// so its non-ASCII links went unseen; and once a rewrite had replaced
// the link holding the byte, the same part read differently.
std::optional<std::string> ToUtf8(std::string_view bytes,
                                  std::string_view charset);

// `utf8` converted to `charset`, each code point U+10FE00 + b written as
// the byte b; nullopt when a character has no representation there or
// the charset is unknown.
std::optional<std::string> FromUtf8(std::string_view utf8,
                                    std::string_view charset);

// True for the names of UTF-8 ("utf-8", "utf8", any case).
bool IsUtf8Charset(std::string_view charset);

// True for the names of US-ASCII ("us-ascii", "ascii", any case).
bool IsUsAsciiCharset(std::string_view charset);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_CHARSET_H_
