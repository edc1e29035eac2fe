#include "client/milter/decision.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace lureguard::milter {

absl::string_view DispositionName(Disposition disposition) {
  switch (disposition) {
    case Disposition::kAccept:
      return "accept";
    case Disposition::kQuarantine:
      return "quarantine";
    case Disposition::kReject:
      return "reject";
    case Disposition::kTempfail:
      return "tempfail";
  }
  return "accept";
}

std::string ReasonList(const v1::Verdict& verdict) {
  std::vector<std::string> codes;
  for (const v1::Reason& reason : verdict.reasons()) {
    std::string name = v1::ReasonCode_Name(reason.code());
    if (name.empty()) name = absl::StrCat(static_cast<int>(reason.code()));
    if (std::find(codes.begin(), codes.end(), name) == codes.end()) {
      codes.push_back(std::move(name));
    }
  }
  return absl::StrJoin(codes, ",");
}

std::string FormatVerdictHeader(const v1::Verdict& verdict) {
  std::string action = v1::Action_Name(verdict.action());
  if (action.empty()) action = "ACTION_UNSPECIFIED";
  std::string value = absl::StrFormat("%s score=%.2f", action, verdict.score());
  if (std::string reasons = ReasonList(verdict); !reasons.empty()) {
    absl::StrAppend(&value, " reasons=", reasons);
  }
  if (verdict.degraded()) absl::StrAppend(&value, " degraded");
  return value;
}

MilterDecision DecideOnVerdict(const v1::MilterConfig& config,
                               const v1::Verdict& verdict, bool body_changed) {
  MilterDecision decision;
  decision.verdict_header = FormatVerdictHeader(verdict);
  decision.replace_body = body_changed && !config.disable_link_rewriting();
  switch (verdict.action()) {
    case v1::WARN:
      decision.verdict_label = "warn";
      decision.subject_prefix = config.warn_subject_prefix();
      break;
    case v1::BLOCK:
      decision.verdict_label = "block";
      decision.subject_prefix = config.block_subject_prefix();
      if (config.on_block() == v1::BLOCK_REJECT) {
        decision.disposition = Disposition::kReject;
        decision.reply_code = "550";
        decision.reply_xcode = "5.7.1";
        decision.reply_text =
            absl::StrCat("Message refused as phishing by Lureguard (",
                         ReasonList(verdict), ")");
        decision.verdict_header.clear();
        decision.subject_prefix.clear();
        decision.replace_body = false;
      } else if (config.on_block() == v1::BLOCK_QUARANTINE) {
        decision.disposition = Disposition::kQuarantine;
        decision.quarantine_reason =
            absl::StrCat("Lureguard BLOCK: ", ReasonList(verdict));
      }
      break;
    default:
      // ALLOW, and anything a newer server may add: deliver, tagged.
      decision.verdict_label = "allow";
      break;
  }
  return decision;
}

MilterDecision DecideOnFailure(const v1::MilterConfig& config,
                               const absl::Status& /*failure*/) {
  MilterDecision decision;
  decision.verdict_label = "unavailable";
  if (config.on_failure() == v1::FAILURE_TEMPFAIL) {
    decision.disposition = Disposition::kTempfail;
    decision.reply_code = "451";
    decision.reply_xcode = "4.7.1";
    decision.reply_text = "Message check unavailable, please try again later";
  } else {
    decision.verdict_header = "unavailable";
  }
  return decision;
}

MilterDecision DecideOnOversize(int64_t size) {
  MilterDecision decision;
  decision.verdict_label = "skipped";
  decision.verdict_header = absl::StrCat("skipped size=", size);
  return decision;
}

std::string PrefixedSubject(absl::string_view subject,
                            absl::string_view prefix) {
  const size_t text_start = subject.find_first_not_of(" \t");
  absl::string_view lead = subject.substr(
      0, text_start == absl::string_view::npos ? subject.size() : text_start);
  absl::string_view text = subject.substr(lead.size());
  if (prefix.empty() || absl::StartsWith(text, prefix)) {
    return std::string(subject);
  }
  return absl::StrCat(lead, prefix, text);
}

}  // namespace lureguard::milter
