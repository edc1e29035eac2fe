#include "server/service/call_deadline.h"

#include <chrono>
#include <utility>

namespace lureguard::service {

absl::Time EffectiveDeadline(const grpc::ServerContextBase& context,
                             absl::Duration default_deadline, absl::Time now) {
  // gRPC reports "no deadline" as the largest time point.
  const std::chrono::system_clock::time_point deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return now + default_deadline;
  }
  return absl::FromChrono(deadline);
}

DeadlineTimer::DeadlineTimer(absl::Time deadline,
                             std::function<void()> on_expiry)
    : state_(std::make_shared<State>()) {
  state_->on_expiry = std::move(on_expiry);
  std::shared_ptr<State> state = state_;
  alarm_.Set(absl::ToChronoTime(deadline), [state](bool fired) {
    if (!fired) return;  // cancelled
    absl::MutexLock lock(&state->mu);
    if (!state->armed) return;
    state->armed = false;
    state->expired = true;
    state->on_expiry();
  });
}

DeadlineTimer::~DeadlineTimer() {
  {
    // Waits for a running callback; afterwards none can start.
    absl::MutexLock lock(&state_->mu);
    state_->armed = false;
  }
  alarm_.Cancel();
}

bool DeadlineTimer::expired() const {
  absl::MutexLock lock(&state_->mu);
  return state_->expired;
}

}  // namespace lureguard::service
