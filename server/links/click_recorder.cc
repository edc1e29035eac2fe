#include "server/links/click_recorder.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"

namespace lureguard::links {
namespace {

// Retention is in days; an hourly sweep keeps rows at most an hour past it.
constexpr absl::Duration kSweepInterval = absl::Hours(1);

}  // namespace

ClickRecorder::ClickRecorder(store::ClickStore& clicks, const Clock& clock,
                             ClickRecorderOptions options)
    : clicks_(clicks),
      clock_(clock),
      options_(std::move(options)),
      per_ip_(clock, options_.per_client_ip),
      last_sweep_(absl::InfinitePast()) {}

absl::Status ClickRecorder::Admit(absl::string_view client_ip) {
  if (client_ip.empty()) return absl::OkStatus();
  auth::RateDecision decision = per_ip_.Admit(client_ip);
  if (decision.admitted) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("client_ip: ", client_ip,
                   " is over the click rate limit per client IP; retry in ",
                   absl::FormatDuration(
                       absl::Ceil(decision.retry_after, absl::Seconds(1)))));
}

absl::StatusOr<store::ClickRecord> ClickRecorder::Record(
    const store::ClickRecord& click) {
  bool sweep = false;
  {
    absl::MutexLock lock(&sweep_mu_);
    if (clock_.Now() - last_sweep_ >= kSweepInterval) {
      last_sweep_ = clock_.Now();
      sweep = true;
    }
  }
  if (sweep) {
    // A failed sweep is retried an hour later; the click still counts.
    if (absl::StatusOr<int64_t> swept = SweepExpired(); !swept.ok()) {
      LogWarning("click retention sweep failed",
                 {{"error", swept.status().message()}});
    }
  }
  return clicks_.RecordClick(click, options_.window);
}

absl::StatusOr<int64_t> ClickRecorder::SweepExpired() {
  absl::StatusOr<int64_t> deleted =
      clicks_.DeleteClicksBefore(clock_.Now() - options_.retention);
  if (deleted.ok() && *deleted > 0) {
    LogInfo("clicks past retention deleted",
            {{"rows", absl::StrCat(*deleted)},
             {"retention", absl::FormatDuration(options_.retention)}});
  }
  return deleted;
}

}  // namespace lureguard::links
