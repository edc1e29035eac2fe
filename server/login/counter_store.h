// Sliding-window failure counters behind one narrow interface, so that one
// process keeps them in memory (SlidingWindowCounters) and several replicas
// share them in Redis (RedisCounterStore) without the login engine changing.
//
// A counter is named by a key the caller builds ("ui:<user hmac>:<ip>");
// keys never contain a raw username. Each counter counts events in a window
// that slides with time: events older than the window stop counting. The
// window is 16 buckets of 1/16 of its length in every implementation, so
// counts, and when they fall below a limit, agree to the second.
//
// A store answers a whole batch of operations at once: a remote store sends
// it in one round trip, so a login check costs one round trip however many
// counters it reads.
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   SlidingWindowCounters counters(SlidingWindowCounters::Options{});
//   absl::StatusOr<std::vector<WindowCount>> counts = counters.Apply(
//       {CounterOp::Add("ip:203.0.113.9", absl::Hours(24), 100)}, now);
//   if (counts.ok() && (*counts)[0].count >= 100) ...

#ifndef LUREGUARD_SERVER_LOGIN_COUNTER_STORE_H_
#define LUREGUARD_SERVER_LOGIN_COUNTER_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace lureguard::login {

// A counter's value at one instant.
struct WindowCount {
  int64_t count = 0;
  // True when the store may have evicted this counter under memory
  // pressure since it last counted: `count` may then be low.
  bool evicted = false;
  // How long until `count` falls below `limit` as the window slides (zero
  // when it already is). Filled for the `limit` the operation named.
  absl::Duration below_limit_in = absl::ZeroDuration();
};

// One operation of a batch.
struct CounterOp {
  enum class Kind {
    kRead,   // the count at `now`, counting nothing
    kAdd,    // counts one event at `now`; the count includes it
    kReset,  // forgets the key (a successful login resets the user's own)
  };

  static CounterOp Read(std::string key, absl::Duration window, int64_t limit) {
    return {Kind::kRead, std::move(key), window, limit};
  }
  static CounterOp Add(std::string key, absl::Duration window, int64_t limit) {
    return {Kind::kAdd, std::move(key), window, limit};
  }
  static CounterOp Reset(std::string key) {
    return {Kind::kReset, std::move(key), absl::ZeroDuration(), 0};
  }

  Kind kind = Kind::kRead;
  std::string key;
  // REQUIRES: the same window on every operation for one key; at least
  // 16 seconds (buckets of whole seconds).
  absl::Duration window = absl::ZeroDuration();
  // Only fills `below_limit_in`.
  int64_t limit = 0;
};

class CounterStore {
 public:
  virtual ~CounterStore() = default;

  // Applies `ops` in order at `now` and returns one WindowCount per op (a
  // reset's is zero). Unavailable when the store cannot be reached: then
  // nothing is known about which operations took effect. The in-memory
  // store never fails.
  virtual absl::StatusOr<std::vector<WindowCount>> Apply(
      absl::Span<const CounterOp> ops, absl::Time now) = 0;
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_COUNTER_STORE_H_
