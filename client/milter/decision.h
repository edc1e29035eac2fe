// What the milter does with a message: the decision table from the
// verdict (or its absence) and the configuration to a disposition, the
// X-Lureguard-Verdict value, the Subject prefix and the SMTP reply.
//
// Pure functions: no libmilter, no gRPC, so every row is unit-tested.
//
// Example:
//   MilterDecision d = DecideOnVerdict(config, response.verdict());
//   // d.disposition == Disposition::kReject, d.reply_code == "550",
//   // d.verdict_header == "BLOCK score=0.99 reasons=MAIL_CREDENTIAL_FORM"

#ifndef LUREGUARD_CLIENT_MILTER_DECISION_H_
#define LUREGUARD_CLIENT_MILTER_DECISION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lureguard/v1/milter_config.pb.h"
#include "lureguard/v1/verdict.pb.h"

namespace lureguard::milter {

// What libmilter is told at the end of the message.
enum class Disposition {
  kAccept,      // SMFIS_CONTINUE: delivered (with the changes below)
  kQuarantine,  // smfi_quarantine, then SMFIS_CONTINUE: the hold queue
  kReject,      // smfi_setreply 550, SMFIS_REJECT
  kTempfail,    // smfi_setreply 451, SMFIS_TEMPFAIL
};

// "accept", "quarantine", "reject", "tempfail": the metrics label.
absl::string_view DispositionName(Disposition disposition);

struct MilterDecision {
  Disposition disposition = Disposition::kAccept;
  // What the metrics call the verdict: "allow", "warn", "block",
  // "unavailable" or "skipped".
  std::string verdict_label;
  // The value of our X-Lureguard-Verdict header; empty for kReject and
  // kTempfail (the message is not kept).
  std::string verdict_header;
  // Prepended to the Subject; empty to leave it.
  std::string subject_prefix;
  // Replace the body with the rewritten message's body.
  bool replace_body = false;
  // The SMTP reply for kReject and kTempfail (smfi_setreply).
  std::string reply_code;
  std::string reply_xcode;
  std::string reply_text;
  // Why, for smfi_quarantine.
  std::string quarantine_reason;
};

// "BLOCK score=0.99 reasons=MAIL_CREDENTIAL_FORM,MAIL_SENDER_LOOKALIKE":
// the action, the score with two decimals, each reason code once in the
// verdict's order ("reasons=" left out without any), and " degraded" when
// the verdict says parts were not read.
std::string FormatVerdictHeader(const v1::Verdict& verdict);

// The reason codes, comma-separated, each once.
std::string ReasonList(const v1::Verdict& verdict);

// The decision for a message that got a verdict. `body_changed` says
// whether the rewritten body differs from the one received.
MilterDecision DecideOnVerdict(const v1::MilterConfig& config,
                               const v1::Verdict& verdict, bool body_changed);

// The decision when no verdict came (`failure` says why; it is not shown
// to the sender).
MilterDecision DecideOnFailure(const v1::MilterConfig& config,
                               const absl::Status& failure);

// The decision for a message over max_message_bytes.
MilterDecision DecideOnOversize(int64_t size);

// `subject` with `prefix` in front, after any leading whitespace; unchanged
// when it already starts with the prefix (a reply to a tagged message).
std::string PrefixedSubject(absl::string_view subject,
                            absl::string_view prefix);

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_DECISION_H_
