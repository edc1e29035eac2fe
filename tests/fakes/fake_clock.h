// A Clock that moves only when a test tells it to.

#ifndef LUREGUARD_TESTS_FAKES_FAKE_CLOCK_H_
#define LUREGUARD_TESTS_FAKES_FAKE_CLOCK_H_

#include <atomic>

#include "absl/time/time.h"
#include "server/common/clock.h"

namespace lureguard {

// Thread-safe fake clock starting at a fixed, readable instant.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600))
      : nanos_(absl::ToUnixNanos(start)) {}

  absl::Time Now() const override { return absl::FromUnixNanos(nanos_.load()); }
  void Advance(absl::Duration d) { nanos_ += absl::ToInt64Nanoseconds(d); }
  void Set(absl::Time t) { nanos_ = absl::ToUnixNanos(t); }

 private:
  std::atomic<int64_t> nanos_;
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_FAKE_CLOCK_H_
