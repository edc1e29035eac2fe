// The message verdict: a whole mail judged as one thing. It reads the
// sender (lookalike domains of protected brands and of the tenant's own,
// display names naming a brand from elsewhere, a diverging Reply-To,
// DMARC failures a trusted server recorded), every body and attachment
// that a browser would render (HTML, SVG, attached messages, HTML inside
// ZIP files, with what their scripts decode at open time) for forms and
// scripts that collect a password and send it away, and every link
// (through the links engine, as RewriteMessage judges them). All reasons
// go through the one verdict policy; each names the part or header it came
// from.
//
// Check has no side effects. Rewrite is RewriteMessage with the same
// verdict, and replaces the attachments that made a message BLOCK by a
// notice when the tenant's policy says so.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   MessageChecker checker(links, verdicts, engine, *policies, clock);
//   absl::StatusOr<MessageCheck> check = checker.Check(
//       {.message = raw, .tenant = "acme", .recipients =
//       {"bob@acme.example"}});
//   // check->verdict.action == verdict::Action::kBlock, with
//   // MAIL_SENDER_LOOKALIKE (part "From") and MAIL_CREDENTIAL_FORM
//   // (part "2", filename "quote.html") among its reasons.

#ifndef LUREGUARD_SERVER_MAIL_MESSAGE_CHECKER_H_
#define LUREGUARD_SERVER_MAIL_MESSAGE_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/common/clock.h"
#include "server/links/link_protector.h"
#include "server/mail/mail_policy.h"
#include "server/verdict/engine.h"
#include "server/verdict/verdict.h"

namespace lureguard::mail {

// A message to judge.
struct MessageInput {
  absl::string_view message;  // RFC 5322, as received
  std::string tenant;
  std::string envelope_sender;          // MAIL FROM; "" when unknown
  std::vector<std::string> recipients;  // RCPT TO; may be empty
};

// Where a body or attachment sends data or the reader.
struct PartSinkReport {
  std::string kind;  // SinkKindName, or "link" for an attachment's links
  std::string url;
  int depth = 0;
  // The verdict on `url` when it is an http(s) URL that could be judged;
  // verdict_id is empty otherwise.
  verdict::Verdict verdict;
};

// One body or attachment and what was found in it.
struct PartReport {
  std::string part;  // "2", "2/invoice.htm" for a ZIP member
  std::string content_type;
  std::string filename;
  bool attachment = false;
  int64_t size_bytes = 0;
  bool inspected = false;
  std::string skipped;
  std::vector<verdict::Reason> reasons;
  std::vector<PartSinkReport> sinks;
};

// The sender as the message gives it.
struct SenderReport {
  std::string from_address;
  std::string from_display_name;
  std::string reply_to_address;
  std::string envelope_sender;
  std::string dmarc;  // from a trusted Authentication-Results; "" if none
};

// The message verdict and what it rests on.
struct MessageCheck {
  verdict::Verdict verdict;
  std::vector<PartReport> parts;
  std::vector<links::LinkReport> links;
  SenderReport sender;
  std::vector<std::string> notes;  // what could not be read
};

// An attachment replaced by a notice.
struct DefangedPart {
  std::string part;
  std::string filename;
  std::vector<verdict::ReasonCode> codes;
};

// RewriteMessage with the message verdict.
struct MessageRewrite {
  links::RewriteOutput rewrite;  // the message with links rewritten
  MessageCheck check;            // check.links == rewrite.links
  std::vector<DefangedPart> defanged;
};

class MessageChecker {
 public:
  // `links`, `engine` (policy and brand index of its snapshot), `policies`
  // and `clock` must outlive the checker. `verdicts` judges the URLs that
  // forms and scripts send data to, as CheckUrl does.
  MessageChecker(const links::LinkProtector& links, links::UrlVerdicts verdicts,
                 const verdict::Engine& engine, const MailPolicies& policies,
                 const Clock& clock);

  MessageChecker(const MessageChecker&) = delete;
  MessageChecker& operator=(const MessageChecker&) = delete;

  // The verdict on `input.message`. InvalidArgument naming the field
  // ("message: ...", "recipients[1]: ...") for an empty or oversized
  // message or a malformed recipient; Unavailable before the first
  // snapshot. A message that is not MIME is judged on what could be read
  // and marked degraded.
  absl::StatusOr<MessageCheck> Check(const MessageInput& input) const;

  // The links of `input.message` rewritten (links::LinkProtector::Rewrite,
  // with `recipient` for the tokens) and the same verdict as Check; with
  // the tenant's defang_attachments, every attachment whose own findings
  // reach WARN in a BLOCK message is replaced by a text/plain notice.
  absl::StatusOr<MessageRewrite> Rewrite(const MessageInput& input,
                                         std::string recipient) const;

 private:
  absl::StatusOr<MessageCheck> Judge(const MessageInput& input,
                                     std::vector<links::LinkReport> links,
                                     std::vector<std::string> link_notes) const;

  const links::LinkProtector& links_;
  const links::UrlVerdicts verdicts_;
  const verdict::Engine& engine_;
  const MailPolicies& policies_;
  const Clock& clock_;
};

// The recipients a message rewritten for `recipient` is judged with: the
// recipient itself when it is an address ('@', no space, tab, line break
// or angle bracket), so it counts for the pre-filled-address signal; else
// none, for it is only hashed for the tokens and never refused.
std::vector<std::string> RewriteRecipients(absl::string_view recipient);

}  // namespace lureguard::mail

#endif  // LUREGUARD_SERVER_MAIL_MESSAGE_CHECKER_H_
