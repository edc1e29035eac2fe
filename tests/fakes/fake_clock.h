// A Clock that moves only when a test tells it to.

#ifndef LUREGUARD_TESTS_FAKES_FAKE_CLOCK_H_
#define LUREGUARD_TESTS_FAKES_FAKE_CLOCK_H_

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "absl/time/time.h"
#include "server/common/clock.h"

namespace lureguard {

// Thread-safe fake clock starting at a fixed, readable instant.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600))
      : nanos_(absl::ToUnixNanos(start)) {}

  absl::Time Now() const override { return absl::FromUnixNanos(nanos_.load()); }
  // Aborts rather than wrap past the year 2262, where int64 nanoseconds
  // end: a wrapped clock runs backwards and fails tests far from here.
  void Advance(absl::Duration d) {
    const int64_t step = absl::ToInt64Nanoseconds(d);
    int64_t now = nanos_.load();
    int64_t next = 0;
    do {
      if (__builtin_add_overflow(now, step, &next)) std::abort();
    } while (!nanos_.compare_exchange_weak(now, next));
  }
  void Set(absl::Time t) { nanos_ = absl::ToUnixNanos(t); }

 private:
  std::atomic<int64_t> nanos_;
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_FAKE_CLOCK_H_
