// The CounterStore shared by several replicas: sliding-window counters in
// Redis 7, with the in-memory store's semantics (16 buckets per window,
// an event from a stepped-back clock counted in the newest bucket, the same
// `below_limit_in`).
//
// Each counter is one Redis hash, bucket number -> events, that expires
// once its newest bucket has left the window. A batch of operations is one
// EVALSHA of a Lua script (EVAL when Redis answers NOSCRIPT, after a
// restart): one round trip per login check, and atomic, so two replicas
// counting the same key at once never lose an event and exactly one of
// them sees a user's first failure. (Pipelined HINCRBY/HGETALL would also
// be one round trip, but pruning old buckets and counting the newest one
// after a clock step read before they write: without a script that is a
// WATCH/MULTI retry loop. A sorted set per counter would keep one member
// per event: 100 failures a day from one IP, 100 members.)
//
// Keys are `key_prefix` + 32 hex digits of HMAC-SHA256(key, counter key):
// Redis never sees a username, an IP or a tenant. Replicas sharing counters
// must share that key (counter_store.key_file).
//
// Time is the caller's `now` (every replica's clock, NTP-synchronized), not
// Redis's: a replica whose clock is off by s seconds shifts its events by
// s. Evictions cannot be told (`evicted` stays false): run Redis with
// `maxmemory-policy noeviction`, so a full Redis shows as errors (and
// degraded verdicts), not as counts silently lost.
//
// When a batch fails (Redis down, a timeout) Apply returns Unavailable;
// errors() counts the failures and up() says whether the last batch
// succeeded. The first failure after a success is logged as a warning and
// the first success after a failure as info: one line per outage, whatever
// the request rate.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   absl::StatusOr<std::unique_ptr<RedisCounterStore>> counters =
//       RedisCounterStore::Create(options, SystemClock());
//   absl::StatusOr<std::vector<WindowCount>> counts = (*counters)->Apply(
//       {CounterOp::Add(key, absl::Hours(1), 10)}, absl::Now());

#ifndef LUREGUARD_SERVER_LOGIN_REDIS_COUNTER_STORE_H_
#define LUREGUARD_SERVER_LOGIN_REDIS_COUNTER_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/common/hmac_sha256.h"
#include "server/login/counter_store.h"
#include "server/login/internal/redis_client.h"

namespace lureguard::login {

class RedisCounterStore final : public CounterStore {
 public:
  struct Options {
    // "redis://[[user]:password@]host[:port][/db]".
    std::string url;
    absl::Duration connect_timeout = absl::Milliseconds(200);
    absl::Duration command_timeout = absl::Milliseconds(200);
    int pool_size = 4;
    absl::Duration backoff_initial = absl::Milliseconds(100);
    absl::Duration backoff_max = absl::Seconds(5);
    // Put before every key, so several deployments can share one Redis.
    std::string key_prefix = "lureguard:login:";
    // Keys the HMAC that names counters in Redis. At least 32 bytes.
    std::string hash_key;
  };

  // InvalidArgument for a bad URL ("url: ...") or a short hash key. Does
  // not connect: an unreachable Redis at start is an outage like any other.
  // `clock` times reconnection backoff and must outlive the store.
  static absl::StatusOr<std::unique_ptr<RedisCounterStore>> Create(
      const Options& options, const Clock& clock);

  absl::StatusOr<std::vector<WindowCount>> Apply(
      absl::Span<const CounterOp> ops, absl::Time now) override;

  // Failed batches since start.
  int64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  // Whether the last batch reached Redis (true before the first).
  bool up() const { return up_.load(std::memory_order_relaxed); }

  // The Redis key of a counter key, for tests and operators.
  std::string RedisKey(absl::string_view key) const;

 private:
  RedisCounterStore(const Options& options,
                    std::shared_ptr<const HmacSha256> hmac,
                    internal::RedisEndpoint endpoint, const Clock& clock);

  absl::StatusOr<std::vector<WindowCount>> Run(absl::Span<const CounterOp> ops,
                                               absl::Time now);
  void NoteOutcome(const absl::Status& status);

  const std::string key_prefix_;
  const std::shared_ptr<const HmacSha256> hmac_;
  const std::string endpoint_name_;  // host:port, for logs (no password)
  internal::RedisClient client_;
  std::atomic<int64_t> errors_{0};
  std::atomic<bool> up_{true};
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_REDIS_COUNTER_STORE_H_
