// Text in a MIME part's charset to UTF-8 and back, strictly: a conversion
// that would lose or invent a byte fails instead, so the rewriter can fall
// back to working on the bytes as they are.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_CHARSET_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_CHARSET_H_

#include <optional>
#include <string>
#include <string_view>

namespace lureguard::links::internal {

// `bytes` in `charset` (a MIME charset name; GMime maps aliases such as
// "windows-1252" to iconv names) as UTF-8; nullopt when the charset is
// unknown or the bytes are not valid in it.
std::optional<std::string> ToUtf8(std::string_view bytes,
                                  std::string_view charset);

// `utf8` converted to `charset`; nullopt when a character has no
// representation there or the charset is unknown.
std::optional<std::string> FromUtf8(std::string_view utf8,
                                    std::string_view charset);

// True for the names of UTF-8 ("utf-8", "utf8", any case).
bool IsUtf8Charset(std::string_view charset);

// True for the names of US-ASCII ("us-ascii", "ascii", any case).
bool IsUsAsciiCharset(std::string_view charset);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_CHARSET_H_
