// One message as the milter sees it (envelope, headers, body), rebuilt
// into the bytes sent to RewriteMessage, and the body taken back out of
// the rewritten message.
//
// Thread safety: a MessageCollector belongs to one SMTP session (libmilter
// calls one session's callbacks from one thread at a time).
//
// Example:
//   MessageCollector message(/*max_bytes=*/25 << 20);
//   message.SetSender("<alice@example.com>");
//   message.AddRecipient("<bob@acme.example>");
//   message.AddHeader("Subject", " Hello");
//   message.AppendBody("Hi Bob\r\n");
//   std::string bytes = message.Message();  // "Subject: Hello\r\n\r\nHi
//   Bob\r\n"

#ifndef LUREGUARD_CLIENT_MILTER_MESSAGE_H_
#define LUREGUARD_CLIENT_MILTER_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::milter {

inline constexpr char kVerdictHeader[] = "X-Lureguard-Verdict";

class MessageCollector {
 public:
  // Messages over `max_bytes` (headers and body) are not kept: only their
  // size is counted.
  explicit MessageCollector(int64_t max_bytes);

  // Forgets everything: a new message on the same session.
  void Reset();

  // The envelope sender as the MTA gives it ("<a@b>" or "<>").
  void SetSender(absl::string_view sender);
  void AddRecipient(absl::string_view recipient);

  // One header as libmilter gives it. `value` keeps its leading space when
  // the MTA sends it (SMFIP_HDR_LEADSPC), else ": " is written between
  // name and value. Line breaks inside folded values become CRLF.
  void AddHeader(absl::string_view name, absl::string_view value);
  void AppendBody(absl::string_view chunk);

  // The envelope sender without angle brackets; empty for "<>".
  const std::string& sender() const { return sender_; }
  // Recipients without angle brackets, in RCPT TO order.
  const std::vector<std::string>& recipients() const { return recipients_; }
  // How many `X-Lureguard-Verdict` headers arrived (any case).
  int verdict_headers_seen() const { return verdict_headers_seen_; }
  // The first Subject's value as received (leading space included when the
  // MTA sent it); nullopt without one.
  const std::optional<std::string>& subject() const { return subject_; }
  // Bytes of the message so far as Message() writes it: headers (as
  // rebuilt), the empty line, the body.
  int64_t size() const { return size_; }
  bool over_limit() const { return size_ > max_bytes_; }
  // The Message-ID header's value, stripped; for logs only.
  const std::string& message_id() const { return message_id_; }

  // The header block with its blank line, then the body.
  // REQUIRES: !over_limit().
  std::string Message() const;
  // Length of the header block with its blank line (the prefix of
  // Message() before the body).
  size_t header_bytes() const { return headers_.size() + 2; }
  const std::string& headers() const { return headers_; }
  const std::string& body() const { return body_; }

 private:
  int64_t max_bytes_;
  std::string sender_;
  std::vector<std::string> recipients_;
  std::string headers_;
  std::string body_;
  std::optional<std::string> subject_;
  std::string message_id_;
  int verdict_headers_seen_ = 0;
  int64_t size_ = 2;
};

// The body of `rewritten` (a message RewriteMessage returned for
// `sent_headers` + CRLF + body): the bytes after the header block. The
// service keeps header bytes as they were, so the block is found by its
// known length; when the header block changed anyway, after the first
// empty line. InvalidArgument when `rewritten` has no empty line.
absl::StatusOr<std::string> BodyOfRewrittenMessage(
    absl::string_view sent_headers, absl::string_view rewritten);

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_MESSAGE_H_
