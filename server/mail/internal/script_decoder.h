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

#include "server/mail/html_inspector.h"

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

// Bounds on one ScanScript call.
struct ScriptScanLimits {
  // Bytes of decoded output (blobs and literals, each total); the work of
  // evaluating concatenations and variables is bounded by a small multiple.
  size_t max_bytes = 1u << 20;
  // Sinks kept at most.
  size_t max_items = 64;
};

// A place a script sends data or the person, as ScanScript saw it.
struct ScriptSink {
  SinkKind kind = SinkKind::kFetch;
  // The URL argument after decoding; empty when the script computes it
  // from something that is not a literal (a DOM read, a function call).
  std::string url;
  // Lowercase HTTP method where the call says it ("post" for $.post or
  // xhr.open("POST", ...)); empty otherwise.
  std::string method;
};

// Everything one pass over a script yields: the inspector tokenizes each
// script once and reads sinks, decoder calls and literals off the tokens.
struct ScriptScan {
  std::vector<ScriptSink> sinks;      // in source order, <= max_items
  std::vector<DecodedBlob> blobs;     // as DecodeScript
  std::vector<std::string> literals;  // as StringLiterals
  bool truncated = false;             // a limit cut something
};

// Reads `script` once: its sinks (fetch, xhr.open, $.ajax/$.post/$.get,
// navigator.sendBeacon, new WebSocket, location assignments and
// location.replace/assign, window.open, form.action assignments), its
// decoder calls and its string literals. Linear in the size of `script`.
ScriptScan ScanScript(std::string_view script, const ScriptScanLimits& limits);

}  // namespace lureguard::mail::internal

#endif  // LUREGUARD_SERVER_MAIL_INTERNAL_SCRIPT_DECODER_H_
