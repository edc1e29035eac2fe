// Records confirmed clicks (the click page's POST) so that an
// unauthenticated caller cannot grow the store without bound (issue #16):
//   - one row per recipient, link and window: a repeat within `window` of
//     the row's first click grows its count (ClickStore::RecordClick);
//   - a token bucket per client IP (auth::RateLimiter) on recorded clicks;
//     a refused click is not judged, recorded nor redirected;
//   - rows whose last click is older than `retention` are deleted, by a
//     sweep run from Record at most once an hour.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   ClickRecorder clicks(store, clock, {.window = absl::Hours(1)});
//   if (absl::Status s = clicks.Admit("203.0.113.9"); !s.ok()) return s;
//   absl::StatusOr<store::ClickRecord> row = clicks.Record(click);

#ifndef LUREGUARD_SERVER_LINKS_CLICK_RECORDER_H_
#define LUREGUARD_SERVER_LINKS_CLICK_RECORDER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/auth/rate_limiter.h"
#include "server/common/clock.h"
#include "server/store/click_store.h"

namespace lureguard::links {

// The defaults are the documented ones (config.proto LinksConfig).
struct ClickRecorderOptions {
  // Clicks of one recipient on one link within this window of the first
  // are one row.
  absl::Duration window = absl::Hours(1);
  // Confirmed clicks per client IP: a person presses "continue" a few
  // times a minute at most; 20 at once leaves room for an office behind
  // one address.
  auth::RateLimit per_client_ip = {.rate = 1, .burst = 20};
  // How long a row is kept after its last click.
  absl::Duration retention = absl::Hours(24 * 90);
};

class ClickRecorder {
 public:
  // `clicks` (any store::Store, or a fake) and `clock` must outlive the
  // recorder.
  ClickRecorder(store::ClickStore& clicks, const Clock& clock,
                ClickRecorderOptions options);

  ClickRecorder(const ClickRecorder&) = delete;
  ClickRecorder& operator=(const ClickRecorder&) = delete;

  // Takes a token from `client_ip`'s bucket ("" when unknown, e.g. a gRPC
  // caller, whose API key has its own limit: always admitted).
  // ResourceExhausted "client_ip: ... retry in ..." when it is empty.
  absl::Status Admit(absl::string_view client_ip);

  // Stores `click` (its `time` is the click's), counted into the open row
  // of its recipient and link when there is one; returns the row. Sweeps
  // expired rows first when the last sweep is an hour old.
  absl::StatusOr<store::ClickRecord> Record(const store::ClickRecord& click);

  // Deletes the rows whose last click is older than the retention; returns
  // how many.
  absl::StatusOr<int64_t> SweepExpired();

  const ClickRecorderOptions& options() const { return options_; }

 private:
  store::ClickStore& clicks_;
  const Clock& clock_;
  const ClickRecorderOptions options_;
  auth::RateLimiter per_ip_;
  absl::Mutex sweep_mu_;
  absl::Time last_sweep_ ABSL_GUARDED_BY(sweep_mu_);
};

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_CLICK_RECORDER_H_
