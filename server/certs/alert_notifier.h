// Wakes alert watchers (AdminService.WatchAlerts) when the CT monitor has
// stored new alerts, so a watch streams them at once instead of polling.
// Watchers still re-read the store on a timeout, which also catches alerts
// written by another process sharing it.
//
// Thread safety: safe for concurrent use.
//
// Example:
//   AlertNotifier notifier;
//   // monitor, after a commit:  notifier.Notify(last_alert_id);
//   // watcher:  int64_t latest = notifier.WaitNewer(seen, absl::Seconds(1));

#ifndef LUREGUARD_SERVER_CERTS_ALERT_NOTIFIER_H_
#define LUREGUARD_SERVER_CERTS_ALERT_NOTIFIER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lureguard::certs {

class AlertNotifier {
 public:
  // Records that alerts up to `latest_id` are stored and wakes waiters.
  void Notify(int64_t latest_id) {
    absl::MutexLock lock(&mu_);
    if (latest_id > latest_id_) latest_id_ = latest_id;
  }

  // Waits until an alert newer than `after_id` is notified, or `timeout`.
  // Returns the newest id notified so far.
  int64_t WaitNewer(int64_t after_id, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto newer = [this, after_id]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return latest_id_ > after_id;
    };
    mu_.AwaitWithTimeout(absl::Condition(&newer), timeout);
    return latest_id_;
  }

 private:
  absl::Mutex mu_;
  int64_t latest_id_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_ALERT_NOTIFIER_H_
