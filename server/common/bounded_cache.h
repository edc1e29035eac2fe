// A bounded, sharded cache from string keys to values that a pure function
// of the key computes, for the request path: the same hosts come back
// again and again at a gateway, and what a host alone decides (its
// lookalike reasons for one brand index, its public suffix) need not be
// worked out again each time. Values that expire or are not always worth
// keeping (a whole URL's verdict) go through Find and Put instead, with
// Admits to keep only keys that come back.
//
// At most `capacity` entries (rounded up to a multiple of the shard
// count), evicted by CLOCK (second chance: an entry used since the hand
// last passed survives one more round), so a stream of one-time keys (a
// scan, a spam run) cycles through the cache without growing it and
// without pushing out keys in steady use. Sharded by the key's hash so
// that concurrent lookups rarely share a lock.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization. `compute` runs without a lock held; two
// threads missing the same key at once may both run it.
//
// Example:
//   BoundedCache<size_t> suffix_lengths(1 << 16);
//   size_t n = suffix_lengths.GetOrCompute(host, [&] { return Lookup(host); });

#ifndef LUREGUARD_SERVER_COMMON_BOUNDED_CACHE_H_
#define LUREGUARD_SERVER_COMMON_BOUNDED_CACHE_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace lureguard {

template <typename Value>
class BoundedCache {
 public:
  // Hits and misses since construction.
  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
  };

  // REQUIRES: capacity > 0.
  explicit BoundedCache(size_t capacity)
      : shard_capacity_((capacity + kShards - 1) / kShards) {}

  BoundedCache(const BoundedCache&) = delete;
  BoundedCache& operator=(const BoundedCache&) = delete;

  // The cached value of `key`, or `compute()`'s, which is then cached.
  template <typename Compute>
  Value GetOrCompute(absl::string_view key, Compute&& compute) {
    Shard& shard = ShardOf(key);
    {
      absl::MutexLock lock(&shard.mu);
      auto it = shard.index.find(key);
      if (it != shard.index.end()) {
        Slot& slot = shard.slots[it->second];
        slot.referenced = true;
        hits_.fetch_add(1, std::memory_order_relaxed);
        return slot.value;
      }
    }
    misses_.fetch_add(1, std::memory_order_relaxed);
    Value value = compute();
    Insert(shard, key, value);
    return value;
  }

  // The cached value of `key` if there is one and `fresh(value)` holds
  // (counted as a hit), else nullopt (a miss). For values that are not a
  // pure function of the key (they expire, or some are not worth keeping):
  // the caller stores what it computes with Put.
  template <typename Fresh>
  std::optional<Value> Find(absl::string_view key, Fresh&& fresh) {
    Shard& shard = ShardOf(key);
    absl::MutexLock lock(&shard.mu);
    auto it = shard.index.find(key);
    if (it == shard.index.end() || !fresh(shard.slots[it->second].value)) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    Slot& slot = shard.slots[it->second];
    slot.referenced = true;
    hits_.fetch_add(1, std::memory_order_relaxed);
    return slot.value;
  }
  std::optional<Value> Find(absl::string_view key) {
    return Find(key, [](const Value&) { return true; });
  }

  // Caches `value` for `key`, replacing what was there.
  void Put(absl::string_view key, Value value) {
    Shard& shard = ShardOf(key);
    absl::MutexLock lock(&shard.mu);
    auto it = shard.index.find(key);
    if (it != shard.index.end()) {
      shard.slots[it->second].value = std::move(value);
      return;
    }
    InsertLocked(shard, key, std::move(value));
  }

  // Whether `key` is worth caching: true if it was asked about here
  // before, recently (its hash is among those of the last ~2 x capacity
  // keys asked about), and remembered either way. Calling it before Put
  // keeps a key seen once, as most of a stream of one-time URLs are, from
  // costing an entry or pushing out one in use (the "doorkeeper" of
  // TinyLFU, without its counters).
  bool Admits(absl::string_view key) {
    const size_t hash = absl::Hash<absl::string_view>()(key);
    Shard& shard = shards_[hash % kShards];
    // Never 0, the value of a slot no key has filled.
    const uint64_t mark = static_cast<uint64_t>(hash) | 1;
    absl::MutexLock lock(&shard.mu);
    if (shard.recent.empty()) shard.recent.resize(2 * shard_capacity_);
    uint64_t& slot = shard.recent[(hash / kShards) % shard.recent.size()];
    if (slot == mark) return true;
    slot = mark;
    return false;
  }

  Stats stats() const {
    return {hits_.load(std::memory_order_relaxed),
            misses_.load(std::memory_order_relaxed)};
  }

  // Entries held now; at most the capacity.
  size_t size() const {
    size_t total = 0;
    for (const Shard& shard : shards_) {
      absl::MutexLock lock(&shard.mu);
      total += shard.slots.size();
    }
    return total;
  }

 private:
  static constexpr size_t kShards = 16;

  struct Slot {
    std::string key;
    Value value;
    bool referenced = false;
  };

  // One lock's worth of the cache: a ring of slots swept by the clock hand,
  // and the index from key to slot.
  struct Shard {
    mutable absl::Mutex mu;
    std::vector<Slot> slots ABSL_GUARDED_BY(mu);
    absl::flat_hash_map<std::string, size_t> index ABSL_GUARDED_BY(mu);
    size_t hand ABSL_GUARDED_BY(mu) = 0;
    // Hashes of keys asked about lately, by hash (Admits); sized on first
    // use.
    std::vector<uint64_t> recent ABSL_GUARDED_BY(mu);
  };

  Shard& ShardOf(absl::string_view key) {
    return shards_[absl::Hash<absl::string_view>()(key) % kShards];
  }

  void Insert(Shard& shard, absl::string_view key, Value value) {
    absl::MutexLock lock(&shard.mu);
    if (shard.index.contains(key)) return;  // another thread was first
    InsertLocked(shard, key, std::move(value));
  }

  // REQUIRES: `key` is not in `shard`.
  void InsertLocked(Shard& shard, absl::string_view key, Value value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
    if (shard.slots.size() < shard_capacity_) {
      shard.index.emplace(key, shard.slots.size());
      shard.slots.push_back({std::string(key), std::move(value), false});
      return;
    }
    // CLOCK: pass over referenced slots (clearing their bit) to the first
    // one not used since the hand last came by.
    while (shard.slots[shard.hand].referenced) {
      shard.slots[shard.hand].referenced = false;
      shard.hand = (shard.hand + 1) % shard.slots.size();
    }
    Slot& victim = shard.slots[shard.hand];
    shard.index.erase(victim.key);
    shard.index.emplace(key, shard.hand);
    victim = {std::string(key), std::move(value), false};
    shard.hand = (shard.hand + 1) % shard.slots.size();
  }

  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_BOUNDED_CACHE_H_
