// Per-caller request rate limits: one token bucket per key name.
//
// A bucket holds up to `burst` tokens and refills at `rate` tokens per
// second; a call takes one. Used by the gRPC layer and the HTTP front alike,
// so it knows nothing of either: callers name the key and get back either
// admission or how long to wait.
//
// Memory is bounded: at most `max_keys` buckets are kept. A bucket that has
// refilled completely is indistinguishable from a new one, so those are
// dropped first when the table is full; if none is full, an arbitrary one
// is dropped, which at worst grants that key one extra burst.
//
// Thread safety: safe for concurrent use. Buckets are spread over shards,
// each with its own mutex held for a hash lookup and a few arithmetic
// operations, so callers with different keys rarely contend.
//
// A caller that can wait (a stream pacing its messages) reserves instead:
// when the bucket is empty, a token that will exist within `max_wait` is
// taken in advance (the bucket goes into debt, so every other caller of
// the key waits its turn behind it) and the caller is told how long to
// wait before using it. This is Go's rate.Limiter.Reserve.
//
// Example:
//   RateLimiter limiter(SystemClock(), {.rate = 100, .burst = 200});
//   RateDecision d = limiter.Admit("gateway");
//   if (!d.admitted) return Exhausted(d.retry_after);
//   RateDecision r = limiter.Reserve("gateway", absl::Seconds(5));
//   if (r.admitted) RunAfter(r.delay, work);

#ifndef LUREGUARD_SERVER_AUTH_RATE_LIMITER_H_
#define LUREGUARD_SERVER_AUTH_RATE_LIMITER_H_

#include <array>
#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"

namespace lureguard::auth {

// A sustained rate and a burst. A rate of 0 means no limit.
struct RateLimit {
  double rate = 0;   // tokens per second
  double burst = 0;  // bucket size; below 1 is treated as 1
};

// The answer for one call.
struct RateDecision {
  bool admitted = true;
  // When not admitted: how long until a token is available.
  absl::Duration retry_after = absl::ZeroDuration();
  // When admitted by Reserve: how long the caller must wait before acting
  // (zero when a token was there already).
  absl::Duration delay = absl::ZeroDuration();
};

class RateLimiter {
 public:
  // `clock` must outlive the limiter.
  RateLimiter(const Clock& clock, RateLimit limit, size_t max_keys = 100000);

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one token from `key`'s bucket if it has one.
  RateDecision Admit(absl::string_view key);

  // Takes one token from `key`'s bucket, now or, when the bucket is empty
  // and the next free token comes within `max_wait`, in advance: then the
  // decision is admitted with the `delay` to wait. Otherwise refused, with
  // `retry_after`, and nothing is taken.
  RateDecision Reserve(absl::string_view key, absl::Duration max_wait);

  // False when the limit is 0 (Admit always admits).
  bool enabled() const { return limit_.rate > 0; }

  // Buckets currently held, for tests of the memory bound.
  size_t size() const;

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, Bucket> buckets ABSL_GUARDED_BY(mu);
  };
  static constexpr size_t kShards = 16;

  // Makes room for one more bucket in `shard`.
  void Evict(Shard& shard, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);

  const Clock& clock_;
  const RateLimit limit_;
  const size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace lureguard::auth

#endif  // LUREGUARD_SERVER_AUTH_RATE_LIMITER_H_
