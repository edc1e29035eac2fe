#include "server/service/store_health.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"

namespace lureguard::service {

StoreHealth::StoreHealth(store::Store& store, const Clock& clock,
                         std::function<void(bool up)> on_change)
    : store_(store), clock_(clock), on_change_(std::move(on_change)) {}

absl::Status StoreHealth::Check() {
  const absl::StatusOr<int64_t> revision = store_.Revision();
  const bool up = revision.ok();
  const absl::Time now = clock_.Now();
  absl::Time outage_start;
  {
    absl::MutexLock lock(&mu_);
    if (up == up_) return absl::OkStatus();
    up_ = up;
    outage_start = down_since_;
    down_since_ = up ? absl::InfinitePast() : now;
  }
  if (up) {
    LogInfo("store reachable again; admin writes are accepted",
            {{"store", store_.Describe()},
             {"outage", absl::FormatDuration(now - outage_start)}});
  } else {
    LogWarning(
        "store unreachable; verdicts continue from the last snapshot, admin "
        "writes fail with UNAVAILABLE",
        {{"store", store_.Describe()},
         {"error", revision.status().ToString()}});
  }
  if (on_change_) on_change_(up);
  return absl::OkStatus();
}

bool StoreHealth::up() const {
  absl::MutexLock lock(&mu_);
  return up_;
}

absl::Time StoreHealth::down_since() const {
  absl::MutexLock lock(&mu_);
  return down_since_;
}

}  // namespace lureguard::service
