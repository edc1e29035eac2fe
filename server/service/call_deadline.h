// Server-side deadlines: a call that arrives without a deadline gets the
// configured default (Limits.default_deadline), so a stream or a slow admin
// call cannot hold a thread or a stream slot forever.
//
// Unary verdict calls take microseconds and are not timed; streams and the
// admin calls that wait on clients, imports, feed fetches and snapshot
// publishes are.

#ifndef LUREGUARD_SERVER_SERVICE_CALL_DEADLINE_H_
#define LUREGUARD_SERVER_SERVICE_CALL_DEADLINE_H_

#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/alarm.h"
#include "grpcpp/server_context.h"

namespace lureguard::service {

// The client's deadline when it sent one, else `now + default_deadline`.
absl::Time EffectiveDeadline(const grpc::ServerContextBase& context,
                             absl::Duration default_deadline, absl::Time now);

// Runs a function once at a deadline unless destroyed first, on a gRPC
// thread. Used to end a call that is blocked waiting for its client.
//
// Thread safety: when the destructor returns, the function is not running
// and never will; so it may safely refer to objects that die with the
// timer's owner.
//
// Example:
//   DeadlineTimer timer(deadline, [context] { context->TryCancel(); });
class DeadlineTimer {
 public:
  DeadlineTimer(absl::Time deadline, std::function<void()> on_expiry);
  ~DeadlineTimer();

  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // True once the function has run.
  bool expired() const;

 private:
  struct State {
    mutable absl::Mutex mu;
    bool armed ABSL_GUARDED_BY(mu) = true;
    bool expired ABSL_GUARDED_BY(mu) = false;
    std::function<void()> on_expiry;
  };
  // Shared with the alarm callback, which may run after this object died.
  std::shared_ptr<State> state_;
  grpc::Alarm alarm_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_CALL_DEADLINE_H_
