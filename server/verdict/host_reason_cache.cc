#include "server/verdict/host_reason_cache.h"

#include <utility>

#include "absl/hash/hash.h"

namespace lureguard::verdict {
namespace {

// Tenant names never hold a NUL, so "tenant NUL host" keys cannot collide.
void MakeKey(absl::string_view tenant, absl::string_view host,
             std::string& key) {
  key.assign(tenant.data(), tenant.size());
  key.push_back('\0');
  key.append(host.data(), host.size());
}

}  // namespace

HostReasonCache::HostReasonCache(size_t capacity)
    : shard_capacity_((capacity + kShards - 1) / kShards) {}

std::vector<Reason> HostReasonCache::GetOrCompute(
    absl::string_view tenant, absl::string_view host,
    const std::function<std::vector<Reason>()>& compute) {
  // Reused per thread: most lookups hit, and then no key is allocated.
  thread_local std::string key;
  MakeKey(tenant, host, key);
  Shard& shard = shards_[absl::Hash<absl::string_view>()(key) % kShards];
  {
    absl::MutexLock lock(&shard.mu);
    auto it = shard.index.find(absl::string_view(key));
    if (it != shard.index.end()) {
      Slot& slot = shard.slots[it->second];
      slot.referenced = true;
      hits_.fetch_add(1, std::memory_order_relaxed);
      return slot.reasons;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  std::vector<Reason> reasons = compute();
  Insert(shard, key, reasons);
  return reasons;
}

void HostReasonCache::Insert(Shard& shard, std::string key,
                             std::vector<Reason> reasons) {
  absl::MutexLock lock(&shard.mu);
  if (shard.index.contains(key)) return;  // another thread was first
  if (shard.slots.size() < shard_capacity_) {
    shard.index.emplace(key, shard.slots.size());
    shard.slots.push_back({std::move(key), std::move(reasons), false});
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
  victim = {std::move(key), std::move(reasons), false};
  shard.hand = (shard.hand + 1) % shard.slots.size();
}

HostReasonCache::Stats HostReasonCache::stats() const {
  return {hits_.load(std::memory_order_relaxed),
          misses_.load(std::memory_order_relaxed)};
}

size_t HostReasonCache::size() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    total += shard.slots.size();
  }
  return total;
}

}  // namespace lureguard::verdict
