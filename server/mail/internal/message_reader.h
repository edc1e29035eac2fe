// Reads what a message verdict needs out of an RFC 5322 message through
// GMime: the sender addresses, the Authentication-Results fields, and
// every leaf part with its path, type, file name and byte range — decoded
// only where the verdict reads the content (HTML, SVG, ZIP).
//
// Unlike the link rewriter, it descends into attached messages
// (message/rfc822) and signed multiparts: it changes nothing, and a lure
// forwarded inside another message is still a lure.

#ifndef LUREGUARD_SERVER_MAIL_INTERNAL_MESSAGE_READER_H_
#define LUREGUARD_SERVER_MAIL_INTERNAL_MESSAGE_READER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::mail::internal {

// One address of an address header.
struct Mailbox {
  std::string display_name;  // decoded (RFC 2047), UTF-8
  std::string address;       // "local@domain" as written
  std::string domain;        // lowercase, no trailing dot; "" if none
};

// What the verdict does with a part's content.
enum class PartKind {
  kOther,   // not read (images, PDFs, plain text bodies: links aside)
  kMarkup,  // HTML, XHTML or SVG, by type, file name or content
  kZip,     // a ZIP archive, by type or file name
};

// One leaf part.
struct MessagePart {
  std::string path;          // "1", "2.1"
  std::string content_type;  // "text/html", lowercase
  std::string filename;      // "" when none
  std::string charset;       // the charset parameter, lowercase; "" if none
  bool attachment = false;   // Content-Disposition: attachment, or a name
  bool in_attached_message = false;  // inside a message/rfc822 part
  PartKind kind = PartKind::kOther;
  // The decoded bytes (transfer encoding undone), for kMarkup and kZip
  // parts within the size limit; empty otherwise.
  std::string data;
  // Decoded size; for parts not decoded, an estimate from the encoding.
  size_t size = 0;
  // Why a kMarkup or kZip part was not decoded, "" when it was.
  std::string skipped;
  // The whole part (its header section and body) in the original bytes,
  // for defanging; start == end when unknown.
  size_t part_start = 0;
  size_t part_end = 0;
};

// Bounds on one read.
struct ReadLimits {
  size_t max_part_bytes = 4u << 20;  // decoded bytes of one part
  int max_parts = 500;               // leaf parts listed
};

// What was read.
struct ReadMessage {
  std::vector<Mailbox> from;
  std::vector<Mailbox> sender;
  std::vector<Mailbox> reply_to;
  std::vector<Mailbox> recipients;  // To and Cc
  // Values of the top-level Authentication-Results fields, unfolded.
  std::vector<std::string> authentication_results;
  std::vector<MessagePart> parts;  // document order
  // False when the header section could not be parsed at all; then
  // nothing else is set.
  bool parsed = false;
  // What was left out ("part 3: over max_part_bytes ..."), one line each.
  std::vector<std::string> notes;
};

// `data` as UTF-8 when it is UTF-16 or UTF-32 text by its byte-order mark
// or `charset` (as browsers read such a file); otherwise `data` unchanged.
// gumbo reads UTF-8, and a page in UTF-16 must not hide from it.
std::string MarkupAsUtf8(std::string data, absl::string_view charset);

// Reads `message`. Never fails: a message GMime cannot parse gives
// `parsed == false` and a note.
ReadMessage ReadMailMessage(absl::string_view message,
                            const ReadLimits& limits);

// True when `name` (a file name) ends in an HTML or SVG extension:
// .htm, .html, .shtml, .xhtml, .svg (any case).
bool IsMarkupFileName(absl::string_view name);

// True when `data` starts (after a BOM and white space) like an HTML or
// SVG document: a doctype, <html, <svg, <head, <body, <script, <form,
// <meta, <iframe or <?xml followed by <svg.
bool LooksLikeMarkup(absl::string_view data);

}  // namespace lureguard::mail::internal

#endif  // LUREGUARD_SERVER_MAIL_INTERNAL_MESSAGE_READER_H_
