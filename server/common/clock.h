// Time, injected. Every component that reads the time takes a Clock so tests
// of expiry, windows and backoff can run on a fake clock without sleeping.
//
// Thread safety: implementations are safe for concurrent use.
//
// Example:
//   const Clock& clock = SystemClock();
//   absl::Time now = clock.Now();

#ifndef LUREGUARD_SERVER_COMMON_CLOCK_H_
#define LUREGUARD_SERVER_COMMON_CLOCK_H_

#include "absl/time/time.h"

namespace lureguard {

// A source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock. The returned object lives for the whole process.
const Clock& SystemClock();

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_CLOCK_H_
