// Results of slow lookups (a TLS probe, following a link's redirects) for
// the verdict path, computed in the background.
//
// A check must never wait on the network, so it asks the cache: a fresh
// result is returned at once; otherwise the work is queued on the bounded
// executor and the check answers without it (and says so). Concurrent
// lookups of one key share one run (coalescing). Successes are kept for
// `success_ttl`, failures for the shorter `failure_ttl`; after that the
// last result is still served while one refresh runs.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
// REQUIRES: the executor is stopped before the cache is destroyed (queued
// work refers to the cache).
//
// Example:
//   BackgroundCache<CertProbe> cache(executor, SystemClock(), {});
//   CacheLookup<CertProbe> lookup =
//       cache.Lookup("paypa1-login.com:443", [&] { return Probe(...); });
//   if (lookup.state == CacheState::kReady && lookup.result->ok()) ...

#ifndef LUREGUARD_SERVER_COMMON_BACKGROUND_CACHE_H_
#define LUREGUARD_SERVER_COMMON_BACKGROUND_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/bounded_executor.h"
#include "server/common/clock.h"

namespace lureguard {

struct BackgroundCacheOptions {
  // How long a success is served before it is refreshed.
  absl::Duration success_ttl = absl::Hours(6);
  // How long a failure is remembered, so a dead host is not retried on
  // every check.
  absl::Duration failure_ttl = absl::Minutes(10);
  // Most keys remembered; expired entries are evicted first, then any.
  size_t max_entries = 100000;
};

enum class CacheState {
  kReady,    // `result` holds the last run's outcome
  kPending,  // a run is queued or going; nothing known yet
  kDropped,  // nothing known and the executor's queue was full
};

// What the cache knows about one key.
template <typename Value>
struct CacheLookup {
  CacheState state = CacheState::kPending;
  // The last outcome; set when kReady.
  std::shared_ptr<const absl::StatusOr<Value>> result;
};

// Counters for status pages and tests.
struct BackgroundCacheStats {
  size_t entries = 0;
  size_t pending = 0;
  uint64_t runs = 0;       // runs finished, on any thread
  uint64_t failures = 0;   // of which failed
  uint64_t coalesced = 0;  // lookups that joined a pending run
  uint64_t dropped = 0;    // lookups whose run the executor refused
};

template <typename Value>
class BackgroundCache {
 public:
  using Work = std::function<absl::StatusOr<Value>()>;

  // `executor` and `clock` must outlive the cache.
  BackgroundCache(BoundedExecutor& executor, const Clock& clock,
                  BackgroundCacheOptions options)
      : executor_(executor), clock_(clock), options_(std::move(options)) {}

  BackgroundCache(const BackgroundCache&) = delete;
  BackgroundCache& operator=(const BackgroundCache&) = delete;

  // The cached outcome for `key`; queues `work` when there is none or it
  // has expired, unless a run is already queued or going. Never blocks on
  // the work.
  CacheLookup<Value> Lookup(const std::string& key, Work work) {
    const absl::Time now = clock_.Now();
    CacheLookup<Value> lookup;
    {
      absl::MutexLock lock(&mu_);
      auto it = entries_.find(key);
      if (it != entries_.end()) {
        Entry& entry = it->second;
        if (entry.result != nullptr) {
          lookup.state = CacheState::kReady;
          lookup.result = entry.result;
        }
        if (entry.pending) {
          if (entry.result == nullptr) ++stats_.coalesced;
          return lookup;
        }
        if (now < entry.expires) return lookup;
      }
      // No fresh result and no run under way: this lookup starts one. A
      // stale entry keeps its result (served until the refresh lands).
      if (it == entries_.end()) {
        MakeRoom(now);
        entries_[key].pending = true;
      } else {
        it->second.pending = true;
      }
    }
    if (executor_.TrySubmit([this, key, work = std::move(work)] {
          absl::StatusOr<Value> result = work();
          absl::MutexLock lock(&mu_);
          Store(key, std::move(result));
        })) {
      return lookup;
    }
    absl::MutexLock lock(&mu_);
    ++stats_.dropped;
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      it->second.pending = false;
      if (it->second.result == nullptr) entries_.erase(it);
    }
    if (lookup.state != CacheState::kReady) lookup.state = CacheState::kDropped;
    return lookup;
  }

  // Runs `work` on the calling thread (an admin asking now) and caches its
  // outcome.
  absl::StatusOr<Value> RunNow(const std::string& key, const Work& work) {
    absl::StatusOr<Value> result = work();
    absl::MutexLock lock(&mu_);
    MakeRoom(clock_.Now());
    Store(key, result);
    return result;
  }

  BackgroundCacheStats stats() const {
    absl::MutexLock lock(&mu_);
    BackgroundCacheStats stats = stats_;
    stats.entries = entries_.size();
    stats.pending = 0;
    for (const auto& [key, entry] : entries_) stats.pending += entry.pending;
    return stats;
  }

 private:
  struct Entry {
    std::shared_ptr<const absl::StatusOr<Value>> result;
    absl::Time expires = absl::InfinitePast();
    bool pending = false;
  };

  void Store(const std::string& key, absl::StatusOr<Value> result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++stats_.runs;
    if (!result.ok()) ++stats_.failures;
    Entry& entry = entries_[key];
    entry.expires = clock_.Now() +
                    (result.ok() ? options_.success_ttl : options_.failure_ttl);
    entry.result =
        std::make_shared<const absl::StatusOr<Value>>(std::move(result));
    entry.pending = false;
  }

  void MakeRoom(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (entries_.size() < options_.max_entries) return;
    // Expired results first; pending entries must stay (a run will land).
    absl::erase_if(entries_, [now](const auto& kv) {
      return !kv.second.pending && kv.second.expires <= now;
    });
    for (auto it = entries_.begin();
         entries_.size() >= options_.max_entries && it != entries_.end();) {
      if (it->second.pending) {
        ++it;
      } else {
        entries_.erase(it++);
      }
    }
  }

  BoundedExecutor& executor_;
  const Clock& clock_;
  const BackgroundCacheOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  BackgroundCacheStats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_BACKGROUND_CACHE_H_
