// The decoders a page runs on string literals at open time, applied to the
// literals as written: base64 passed to atob, percent blobs passed to
// unescape/decodeURIComponent/decodeURI, number lists passed to
// String.fromCharCode, and data: URIs. Used by the HTML inspector to look
// again at what a page hid; no script is executed.
//
// Thread safety: pure functions.

#ifndef LUREGUARD_SERVER_MAIL_INTERNAL_SCRIPT_DECODER_H_
#define LUREGUARD_SERVER_MAIL_INTERNAL_SCRIPT_DECODER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lureguard::mail::internal {

// One string a decoder call in `script` yields.
struct DecodedBlob {
  std::string decoder;  // "atob", "unescape", "decodeURIComponent",
                        // "fromCharCode", "data-uri", "string-concat"
  std::string text;     // the decoded bytes, at most max_bytes
  bool truncated = false;
};

// The string literals of `script` (JavaScript) with their escapes
// resolved ("\x3c", "\u003c", "\n", ...), and adjacent literals joined
// where the script concatenates them with '+' ("ht" + "tps://a.b").
// At most `max_bytes` in total.
std::vector<std::string> StringLiterals(std::string_view script,
                                        size_t max_bytes);

// Every decoder call of `script` whose argument is a string literal (or a
// concatenation of literals, or a variable assigned one literal in the same
// script), decoded. Nested calls (atob(unescape("..."))) are decoded
// inside out and reported once, under the outer decoder. At most
// `max_bytes` of output in total.
std::vector<DecodedBlob> DecodeScript(std::string_view script,
                                      size_t max_bytes);

// The payload of a data: URI (base64 or percent-encoded), nullopt when
// `uri` is not one or its media type is not text-like (text/*, image/svg+xml,
// application/xhtml+xml, application/javascript).
std::optional<std::string> DecodeDataUri(std::string_view uri,
                                         size_t max_bytes);

// Lenient base64 as atob reads it (whitespace ignored, padding optional,
// URL-safe alphabet accepted); nullopt when it is not base64.
std::optional<std::string> DecodeBase64(std::string_view text,
                                        size_t max_bytes);

// %XX and %uXXXX sequences decoded (unescape's rules; %uXXXX becomes UTF-8).
std::string DecodePercent(std::string_view text, size_t max_bytes);

}  // namespace lureguard::mail::internal

#endif  // LUREGUARD_SERVER_MAIL_INTERNAL_SCRIPT_DECODER_H_
