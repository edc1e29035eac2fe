// The in-memory CounterStore: sliding-window counters in a fixed amount of
// memory, whatever the number of distinct keys.
//
// Each counter is 16 buckets of its window (a 24 h window counts in 90 min
// slices), so the window slides in steps of 1/16 of its length. Counters
// live in open-addressing tables allocated once at construction, sized from
// `max_bytes`: a flood of a million distinct IPs or usernames cannot grow
// memory. When a table is full, the coldest of a few sampled counters (the
// one touched longest ago, as Redis's approximated LRU) is evicted. Each
// shard remembers the newest last-touch time among the counters it evicted:
// a key that is absent while that time is within the key's window may have
// lost events, so its count reports `evicted` instead of silently starting
// from zero. (A counter evicted earlier than a window ago would have counted
// zero by now anyway.)
//
// Keys are kept as 64-bit hashes (seeded per process): two keys colliding
// would share a counter, with odds of about n^2 / 2^65 for n live keys.
//
// Thread safety: safe for concurrent use; the tables are sharded, each
// under its own mutex.

#ifndef LUREGUARD_SERVER_LOGIN_SLIDING_WINDOW_COUNTERS_H_
#define LUREGUARD_SERVER_LOGIN_SLIDING_WINDOW_COUNTERS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/login/counter_store.h"

namespace lureguard::login {

class SlidingWindowCounters final : public CounterStore {
 public:
  struct Options {
    // Memory for all counters. At least 64 KiB.
    size_t max_bytes = size_t{64} << 20;
    // Seeds key hashing and eviction sampling.
    uint64_t seed = 0x6c75726567756172;
  };

  explicit SlidingWindowCounters(const Options& options);

  // Applies each operation in turn; never fails.
  absl::StatusOr<std::vector<WindowCount>> Apply(
      absl::Span<const CounterOp> ops, absl::Time now) override;

  // One operation each, for callers holding this class itself.
  WindowCount Add(absl::string_view key, absl::Duration window, absl::Time now,
                  int64_t limit);
  WindowCount Read(absl::string_view key, absl::Duration window, absl::Time now,
                   int64_t limit) const;
  void Reset(absl::string_view key);

  // Bytes of memory the counters occupy, for status and tests.
  size_t MemoryBytes() const { return memory_bytes_; }
  // Counters evicted so far to stay within the memory cap.
  int64_t Evictions() const { return evictions_.load(); }

  // Live counters, for tests and status.
  size_t size() const;
  // The most counters kept at once.
  size_t capacity() const { return max_live_per_shard_ * kShards; }

 private:
  static constexpr int kBuckets = 16;
  static constexpr int kShards = 16;
  static constexpr int kEvictionSamples = 8;

  struct Slot {
    uint64_t key = 0;    // hash of the key; 0: empty
    int64_t head = 0;    // bucket number of buckets[head % kBuckets]
    uint32_t touch = 0;  // seconds since the Unix epoch of the last Add
    std::array<uint16_t, kBuckets> buckets = {};
  };

  struct Shard {
    mutable absl::Mutex mu;
    std::vector<Slot> slots ABSL_GUARDED_BY(mu);
    size_t live ABSL_GUARDED_BY(mu) = 0;
    // The newest `touch` of any counter evicted from this shard.
    uint32_t newest_evicted_touch ABSL_GUARDED_BY(mu) = 0;
    uint64_t rng ABSL_GUARDED_BY(mu) = 0;
  };

  uint64_t Hash(absl::string_view key) const;
  Shard& ShardOf(uint64_t hash) const;
  size_t Home(uint64_t hash, size_t capacity) const;
  // Index of `hash` in `shard`, or -1.
  int64_t Find(const Shard& shard, uint64_t hash) const
      ABSL_SHARED_LOCKS_REQUIRED(shard.mu);
  void Erase(Shard& shard, size_t index) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);
  void EvictColdest(Shard& shard) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);
  // Whether a counter absent from `shard` may have been evicted with events
  // still inside `window` at `now`.
  static bool MayHaveBeenEvicted(const Shard& shard, absl::Duration window,
                                 absl::Time now)
      ABSL_SHARED_LOCKS_REQUIRED(shard.mu);
  static WindowCount Count(const Slot& slot, int64_t bucket,
                           absl::Duration slice, absl::Time now, int64_t limit);

  const uint64_t seed_;
  size_t capacity_per_shard_ = 0;
  size_t max_live_per_shard_ = 0;
  size_t memory_bytes_ = 0;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<int64_t> evictions_{0};
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_SLIDING_WINDOW_COUNTERS_H_
