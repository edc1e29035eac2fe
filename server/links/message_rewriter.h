// Rewrites the links of mail messages in place, byte-exact.
//
// RewriteMessage takes an RFC 5322 message, finds every text/html and
// text/plain part that is not an attachment, decodes it (transfer encoding
// and charset), asks a LinkHandler for each http(s) link, and splices the
// re-encoded body back into the original bytes: headers, boundaries,
// attachments and parts without a changed link keep their exact bytes.
// Parts inside message/rfc822, multipart/signed and multipart/encrypted are
// left alone (a forwarded message is someone else's; a signature would
// break). A part whose charset cannot hold a new URL is written in UTF-8
// and only its charset parameter changes.
// RewriteHtml and RewriteText do the same for a single decoded body; in HTML
// only the href/action attribute values change, in text only the URL.
//
// Thread-safety: the functions are safe to call concurrently; each call uses
// only its own handler.
//
// Example:
//   WrapAll handler;  // see link_handler.h
//   RewriteStats stats;
//   absl::StatusOr<std::string> out =
//       RewriteMessage(raw_message, RewriteOptions{}, handler, &stats);
//   if (!out.ok()) return out.status();  // InvalidArgument: too big, bad MIME
#ifndef LUREGUARD_SERVER_LINKS_MESSAGE_REWRITER_H_
#define LUREGUARD_SERVER_LINKS_MESSAGE_REWRITER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "server/links/link_handler.h"

namespace lureguard::links {

// What to rewrite and how much work one message may cost.
struct RewriteOptions {
  bool rewrite_html = true;  // text/html parts (RewriteMessage)
  bool rewrite_text = true;  // text/plain parts (RewriteMessage)
  // Larger inputs are refused with InvalidArgument naming the limit.
  size_t max_input_bytes = 25u << 20;
  // Links after the first max_links are left untouched (and counted in
  // RewriteStats::links_over_limit); the handler is not called for them.
  int max_links = 5000;
};

// What one rewrite did, for callers that report it. Counts accumulate when
// the same RewriteStats is passed to several calls.
struct RewriteStats {
  int links_found = 0;       // http(s) links seen, over the limit included
  int links_replaced = 0;    // the handler returned a URL for them
  int links_over_limit = 0;  // left untouched because max_links was reached
  int parts_rewritten = 0;   // MIME parts whose bytes changed
};

// RFC 5322 message in, message out; bytes outside rewritten parts untouched.
// InvalidArgument when the input exceeds options.max_input_bytes or is not
// a message GMime can parse.
absl::StatusOr<std::string> RewriteMessage(std::string_view message,
                                           const RewriteOptions& options,
                                           LinkHandler& handler);
absl::StatusOr<std::string> RewriteMessage(std::string_view message,
                                           const RewriteOptions& options,
                                           LinkHandler& handler,
                                           RewriteStats* stats);

// A single text/html body (UTF-8). Only href/action attribute values change.
absl::StatusOr<std::string> RewriteHtml(std::string_view html,
                                        LinkHandler& handler,
                                        std::string_view part = "");
// As above, under `options` (size and link limits) and reporting counts in
// `stats` (may be null).
absl::StatusOr<std::string> RewriteHtml(std::string_view html,
                                        const RewriteOptions& options,
                                        LinkHandler& handler,
                                        std::string_view part,
                                        RewriteStats* stats);

// A single text/plain body (UTF-8).
absl::StatusOr<std::string> RewriteText(std::string_view text,
                                        LinkHandler& handler,
                                        std::string_view part = "");
// As above, under `options` and reporting counts in `stats` (may be null).
absl::StatusOr<std::string> RewriteText(std::string_view text,
                                        const RewriteOptions& options,
                                        LinkHandler& handler,
                                        std::string_view part,
                                        RewriteStats* stats);

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_MESSAGE_REWRITER_H_
