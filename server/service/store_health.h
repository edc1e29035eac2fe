// Whether the store answers, for those who must know: operators (the
// `lureguard_store_up` gauge, one log line per outage) and load balancers
// (the gRPC health status of lureguard.v1.AdminService).
//
// While a shared store (PostgreSQL) is down, every replica keeps answering
// verdicts from its last snapshot, and admin writes fail with UNAVAILABLE.
// So the server's overall health ("") stays SERVING — draining every
// replica would turn a write outage into a verdict outage — and only the
// admin service is reported NOT_SERVING, so a client that routes admin
// calls by health can tell which calls will fail.
//
// Thread safety: safe for concurrent use.
//
// Example:
//   StoreHealth health(*store, SystemClock(), [&](bool up) {
//     health_service->SetServingStatus("lureguard.v1.AdminService", up);
//   });
//   publisher.AddReloader([&] { return health.Check(); });

#ifndef LUREGUARD_SERVER_SERVICE_STORE_HEALTH_H_
#define LUREGUARD_SERVER_SERVICE_STORE_HEALTH_H_

#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/store/store.h"

namespace lureguard::service {

class StoreHealth {
 public:
  // `store` and `clock` must outlive this. `on_change(up)` runs on the
  // thread that calls Check() whenever the answer changes.
  StoreHealth(store::Store& store, const Clock& clock,
              std::function<void(bool up)> on_change);

  // Asks the store for its revision once (one round trip) and records
  // whether it answered; logs a warning when an outage begins and an info
  // line with its length when it ends. Always OK: an outage is a state
  // this reports, not an error of the caller's.
  absl::Status Check();

  // Whether the last Check() reached the store (true before the first).
  bool up() const;
  // When the current outage began; InfinitePast() while up.
  absl::Time down_since() const;

 private:
  store::Store& store_;
  const Clock& clock_;
  const std::function<void(bool)> on_change_;
  mutable absl::Mutex mu_;
  bool up_ ABSL_GUARDED_BY(mu_) = true;
  absl::Time down_since_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_STORE_HEALTH_H_
