#include "server/login/sliding_window_counters.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/numeric/int128.h"

namespace lureguard::login {
namespace {

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

int64_t BucketOf(absl::Time now, absl::Duration slice) {
  absl::Duration remainder;  // IDivDuration requires somewhere to put it
  return absl::IDivDuration(now - absl::UnixEpoch(), slice, &remainder);
}

}  // namespace

SlidingWindowCounters::SlidingWindowCounters(const Options& options)
    : seed_(options.seed), shards_(new Shard[kShards]) {
  const size_t bytes = std::max<size_t>(options.max_bytes, 64 << 10);
  capacity_per_shard_ = bytes / kShards / sizeof(Slot);
  // Linear probing stays short below 80 % load.
  max_live_per_shard_ = capacity_per_shard_ * 4 / 5;
  memory_bytes_ = kShards * capacity_per_shard_ * sizeof(Slot);
  for (int i = 0; i < kShards; ++i) {
    Shard& shard = shards_[i];
    absl::MutexLock lock(&shard.mu);
    shard.slots.assign(capacity_per_shard_, Slot{});
    shard.rng = seed_ + i;
  }
}

uint64_t SlidingWindowCounters::Hash(absl::string_view key) const {
  uint64_t state = seed_ ^ absl::HashOf(key);
  const uint64_t hash = SplitMix(state);
  return hash == 0 ? 1 : hash;
}

SlidingWindowCounters::Shard& SlidingWindowCounters::ShardOf(
    uint64_t hash) const {
  return shards_[hash >> 60];  // kShards == 16: the top 4 bits
}

size_t SlidingWindowCounters::Home(uint64_t hash, size_t capacity) const {
  // Fast range reduction (Lemire) of the bits the shard choice left.
  return static_cast<size_t>((absl::uint128(hash << 4) * capacity) >> 64);
}

int64_t SlidingWindowCounters::Find(const Shard& shard, uint64_t hash) const {
  const size_t capacity = shard.slots.size();
  size_t i = Home(hash, capacity);
  while (shard.slots[i].key != 0) {
    if (shard.slots[i].key == hash) return static_cast<int64_t>(i);
    if (++i == capacity) i = 0;
  }
  return -1;
}

void SlidingWindowCounters::Erase(Shard& shard, size_t index) const {
  // Backward-shift deletion keeps every probe sequence unbroken without
  // tombstones.
  const size_t capacity = shard.slots.size();
  size_t hole = index;
  size_t j = index;
  while (true) {
    if (++j == capacity) j = 0;
    const Slot& next = shard.slots[j];
    if (next.key == 0) break;
    const size_t home = Home(next.key, capacity);
    // Move `next` into the hole unless its home lies cyclically in
    // (hole, j].
    const bool home_after_hole =
        hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!home_after_hole) {
      shard.slots[hole] = next;
      hole = j;
    }
  }
  shard.slots[hole] = Slot{};
  --shard.live;
}

bool SlidingWindowCounters::MayHaveBeenEvicted(const Shard& shard,
                                               absl::Duration window,
                                               absl::Time now) {
  return shard.newest_evicted_touch != 0 &&
         now - absl::FromUnixSeconds(shard.newest_evicted_touch) < window;
}

void SlidingWindowCounters::EvictColdest(Shard& shard) {
  const size_t capacity = shard.slots.size();
  int64_t victim = -1;
  for (int sample = 0; sample < kEvictionSamples; ++sample) {
    size_t i = SplitMix(shard.rng) % capacity;
    while (shard.slots[i].key == 0) {
      if (++i == capacity) i = 0;
    }
    if (victim < 0 || shard.slots[i].touch < shard.slots[victim].touch) {
      victim = static_cast<int64_t>(i);
    }
  }
  shard.newest_evicted_touch =
      std::max(shard.newest_evicted_touch, shard.slots[victim].touch);
  Erase(shard, victim);
  evictions_.fetch_add(1, std::memory_order_relaxed);
}

WindowCount SlidingWindowCounters::Count(const Slot& slot, int64_t bucket,
                                         absl::Duration slice, absl::Time now,
                                         int64_t limit) {
  // Buckets (bucket - kBuckets, bucket] are in the window; the slot holds
  // (head - kBuckets, head].
  std::array<int64_t, kBuckets> in_window = {};  // oldest first
  int64_t total = 0;
  for (int k = 0; k < kBuckets; ++k) {
    const int64_t b = bucket - (kBuckets - 1) + k;
    if (b > slot.head || b <= slot.head - kBuckets) continue;
    in_window[k] = slot.buckets[((b % kBuckets) + kBuckets) % kBuckets];
    total += in_window[k];
  }
  WindowCount count;
  count.count = total;
  if (total >= limit) {
    int64_t remaining = total;
    for (int k = 0; k < kBuckets; ++k) {
      remaining -= in_window[k];
      if (remaining < limit) {
        // Bucket k stops counting when the window's start passes its end.
        const int64_t b = bucket - (kBuckets - 1) + k;
        count.below_limit_in = absl::UnixEpoch() + slice * (b + kBuckets) - now;
        break;
      }
    }
  }
  return count;
}

WindowCount SlidingWindowCounters::Add(absl::string_view key,
                                       absl::Duration window, absl::Time now,
                                       int64_t limit) {
  const absl::Duration slice = window / kBuckets;
  const int64_t bucket = BucketOf(now, slice);
  const uint64_t hash = Hash(key);
  Shard& shard = ShardOf(hash);
  absl::MutexLock lock(&shard.mu);
  int64_t index = Find(shard, hash);
  bool evicted = false;
  if (index < 0) {
    evicted = MayHaveBeenEvicted(shard, window, now);
    if (shard.live >= max_live_per_shard_) EvictColdest(shard);
    const size_t capacity = shard.slots.size();
    size_t i = Home(hash, capacity);
    while (shard.slots[i].key != 0) {
      if (++i == capacity) i = 0;
    }
    shard.slots[i].key = hash;
    shard.slots[i].head = bucket;
    ++shard.live;
    index = static_cast<int64_t>(i);
  }
  Slot& slot = shard.slots[index];
  if (bucket > slot.head) {
    const int64_t shift = std::min<int64_t>(bucket - slot.head, kBuckets);
    for (int64_t k = 1; k <= shift; ++k) {
      slot.buckets[(((slot.head + k) % kBuckets) + kBuckets) % kBuckets] = 0;
    }
    slot.head = bucket;
  }
  // An event from before the newest bucket (the clock stepped back) counts
  // in the newest bucket: never lost, at worst kept a slice longer.
  uint16_t& cell =
      slot.buckets[(((slot.head) % kBuckets) + kBuckets) % kBuckets];
  if (cell < UINT16_MAX) ++cell;
  slot.touch = static_cast<uint32_t>(absl::ToUnixSeconds(now));
  WindowCount count =
      Count(slot, std::max(bucket, slot.head), slice, now, limit);
  count.evicted = evicted;
  return count;
}

WindowCount SlidingWindowCounters::Read(absl::string_view key,
                                        absl::Duration window, absl::Time now,
                                        int64_t limit) const {
  const absl::Duration slice = window / kBuckets;
  const int64_t bucket = BucketOf(now, slice);
  const uint64_t hash = Hash(key);
  Shard& shard = ShardOf(hash);
  absl::ReaderMutexLock lock(&shard.mu);
  const int64_t index = Find(shard, hash);
  if (index < 0) {
    WindowCount count;
    count.evicted = MayHaveBeenEvicted(shard, window, now);
    return count;
  }
  return Count(shard.slots[index], bucket, slice, now, limit);
}

absl::StatusOr<std::vector<WindowCount>> SlidingWindowCounters::Apply(
    absl::Span<const CounterOp> ops, absl::Time now) {
  std::vector<WindowCount> counts;
  counts.reserve(ops.size());
  for (const CounterOp& op : ops) {
    switch (op.kind) {
      case CounterOp::Kind::kRead:
        counts.push_back(Read(op.key, op.window, now, op.limit));
        break;
      case CounterOp::Kind::kAdd:
        counts.push_back(Add(op.key, op.window, now, op.limit));
        break;
      case CounterOp::Kind::kReset:
        Reset(op.key);
        counts.emplace_back();
        break;
    }
  }
  return counts;
}

void SlidingWindowCounters::Reset(absl::string_view key) {
  const uint64_t hash = Hash(key);
  Shard& shard = ShardOf(hash);
  absl::MutexLock lock(&shard.mu);
  const int64_t index = Find(shard, hash);
  if (index >= 0) Erase(shard, index);
}

size_t SlidingWindowCounters::size() const {
  size_t total = 0;
  for (int i = 0; i < kShards; ++i) {
    absl::ReaderMutexLock lock(&shards_[i].mu);
    total += shards_[i].live;
  }
  return total;
}

}  // namespace lureguard::login
