// Sliding-window failure counters behind one narrow interface, so that one
// process keeps them in memory (SlidingWindowCounters) and several replicas
// can later share them (e.g. Redis) without the login engine changing.
//
// A counter is named by a key the caller builds ("ui:<user hmac>:<ip>");
// keys never contain a raw username. Each counter counts events in a window
// that slides with time: events older than the window stop counting.
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   SlidingWindowCounters counters(SlidingWindowCounters::Options{});
//   WindowCount c = counters.Add("ip:203.0.113.9", absl::Hours(24), now);
//   if (c.count >= 100) ...  // c.BelowIn(100) says for how long

#ifndef LUREGUARD_SERVER_LOGIN_COUNTER_STORE_H_
#define LUREGUARD_SERVER_LOGIN_COUNTER_STORE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::login {

// A counter's value at one instant.
struct WindowCount {
  int64_t count = 0;
  // True when the store may have evicted this counter under memory
  // pressure since it last counted: `count` may then be low.
  bool evicted = false;
  // How long until `count` falls below `limit` as the window slides (zero
  // when it already is). Filled by Read and Add for the `limit` they were
  // given.
  absl::Duration below_limit_in = absl::ZeroDuration();
};

class CounterStore {
 public:
  virtual ~CounterStore() = default;

  // Counts one event for `key` at `now` in a window of `window`, and returns
  // the count including it. `limit` only fills `below_limit_in`.
  // REQUIRES: the same `window` on every call for one key.
  virtual WindowCount Add(absl::string_view key, absl::Duration window,
                          absl::Time now, int64_t limit) = 0;

  // The count of `key` at `now` without counting anything.
  virtual WindowCount Read(absl::string_view key, absl::Duration window,
                           absl::Time now, int64_t limit) const = 0;

  // Forgets `key` (a successful login resets the user's own counters).
  virtual void Reset(absl::string_view key) = 0;

  // Bytes of memory the counters occupy, for status and tests.
  virtual size_t MemoryBytes() const = 0;

  // Counters evicted so far to stay within the memory cap.
  virtual int64_t Evictions() const = 0;
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_COUNTER_STORE_H_
