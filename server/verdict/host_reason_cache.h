// A bounded cache of the reasons a host earns on its own, for one brand
// index: a gateway asks about the same hosts over and over (mail links to
// the same sites, one page's many URLs), and matching a host against the
// brand index (issue #19: 4–5 µs of a ~10 µs check) gives the same answer
// every time until the brands change.
//
// The engine keeps one cache per published brand index and starts a new,
// empty one when the brands change, so an entry never outlives the index
// that computed it. Entries are keyed by tenant and host: a tenant's own
// brands make its answers differ from the global ones.
//
// Bounded: at most `capacity` entries (rounded up to a multiple of the
// shard count), evicted by CLOCK (second chance), so a stream of distinct
// hosts (a scan, a spam run) cycles through the cache without growing it.
// Sharded by the key's hash so that concurrent checks rarely share a lock.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   HostReasonCache cache(65536);
//   std::vector<Reason> reasons = cache.GetOrCompute(tenant, host, [&] {
//     return LookalikeReasons(index.Match(url, tenant));
//   });

#ifndef LUREGUARD_SERVER_VERDICT_HOST_REASON_CACHE_H_
#define LUREGUARD_SERVER_VERDICT_HOST_REASON_CACHE_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

class HostReasonCache {
 public:
  // Hits and misses since construction.
  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
  };

  // REQUIRES: capacity > 0.
  explicit HostReasonCache(size_t capacity);

  HostReasonCache(const HostReasonCache&) = delete;
  HostReasonCache& operator=(const HostReasonCache&) = delete;

  // The cached reasons of (`tenant`, `host`), or `compute()`'s, which are
  // then cached. `compute` runs without a lock held; two threads missing
  // the same host at once may both run it (the answers are equal).
  std::vector<Reason> GetOrCompute(
      absl::string_view tenant, absl::string_view host,
      const std::function<std::vector<Reason>()>& compute);

  Stats stats() const;
  // Entries held now; at most the capacity.
  size_t size() const;

 private:
  static constexpr size_t kShards = 16;

  struct Slot {
    std::string key;
    std::vector<Reason> reasons;
    bool referenced = false;
  };

  // One lock's worth of the cache: a ring of slots swept by the clock hand,
  // and the index from key to slot.
  struct Shard {
    mutable absl::Mutex mu;
    std::vector<Slot> slots ABSL_GUARDED_BY(mu);
    absl::flat_hash_map<std::string, size_t> index ABSL_GUARDED_BY(mu);
    size_t hand ABSL_GUARDED_BY(mu) = 0;
  };

  void Insert(Shard& shard, std::string key, std::vector<Reason> reasons);

  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_HOST_REASON_CACHE_H_
