#include "server/verdict/ct_alert_reason.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace lureguard::verdict {

// A lookalike name that already has a certificate is being set up to serve
// pages: enough to warn on its own (policy WARN at 0.5), and with the
// lookalike reason the same host gets, noisy-OR takes it to BLOCK.
constexpr double kCtLookalikeWeight = 0.7;

Reason CtAlertReason(const store::AlertRecord& alert) {
  Reason reason;
  reason.code = ReasonCode::kCertCtLookalike;
  reason.technique = alert.technique;
  reason.brand = alert.brand;
  reason.matched = alert.name;
  reason.weight = kCtLookalikeWeight;
  reason.detail = absl::StrCat(
      "A ", alert.precertificate ? "precertificate" : "certificate", " for '",
      alert.name, "' (imitating ", alert.official_domain, ") was issued by ",
      alert.issuer, ", valid from ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", alert.not_before,
                       absl::UTCTimeZone()),
      ", logged in CT log '", alert.log_name, "' at index ", alert.log_index,
      " (alert ", alert.id, ").");
  reason.source = absl::StrCat("ct:", alert.log_name);
  return reason;
}

}  // namespace lureguard::verdict
