#include "server/auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/hash/hash.h"

namespace lureguard::auth {

RateLimiter::RateLimiter(const Clock& clock, RateLimit limit, size_t max_keys)
    : clock_(clock),
      limit_{std::max(0.0, limit.rate), std::max(1.0, limit.burst)},
      max_per_shard_(std::max<size_t>(1, max_keys / kShards)) {}

namespace {

// Rounded up to the millisecond the pushback header carries, so a caller
// that waits exactly that long finds a token; the nanosecond taken off
// first keeps floating-point noise (1.0000000000000009 ms) from adding a
// whole millisecond.
absl::Duration CeilMilliseconds(double seconds) {
  return absl::Milliseconds(std::ceil(seconds * 1000 - 1e-6));
}

}  // namespace

RateDecision RateLimiter::Admit(absl::string_view key) {
  return Reserve(key, absl::ZeroDuration());
}

RateDecision RateLimiter::Reserve(absl::string_view key,
                                  absl::Duration max_wait) {
  if (!enabled()) return {};
  const absl::Time now = clock_.Now();
  Shard& shard = shards_[absl::Hash<absl::string_view>()(key) % kShards];
  absl::MutexLock lock(&shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) Evict(shard, now);
    it = shard.buckets.emplace(std::string(key), Bucket{limit_.burst, now})
             .first;
  }
  Bucket& bucket = it->second;
  // A clock that steps back refills nothing rather than draining.
  const double elapsed =
      std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
  bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * limit_.rate);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {};
  }
  // Tokens below 1 (below 0 when others reserved ahead) come back at
  // `rate` a second; the caller's token is the next one after them.
  const absl::Duration wait =
      CeilMilliseconds((1 - bucket.tokens) / limit_.rate);
  if (wait > max_wait) return {.admitted = false, .retry_after = wait};
  bucket.tokens -= 1;
  return {.admitted = true, .delay = wait};
}

void RateLimiter::Evict(Shard& shard, absl::Time now) {
  const absl::Duration refill_time = absl::Seconds(limit_.burst / limit_.rate);
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    if (now - it->second.updated >= refill_time) {
      shard.buckets.erase(it++);
    } else {
      ++it;
    }
  }
  if (shard.buckets.size() >= max_per_shard_) {
    shard.buckets.erase(shard.buckets.begin());
  }
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    n += shard.buckets.size();
  }
  return n;
}

}  // namespace lureguard::auth
