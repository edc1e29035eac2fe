// Per-host certificate facts for the verdict, probed in the background: a
// BackgroundCache (server/common/background_cache.h) of TLS probes keyed by
// "host:port". A URL check never waits for a handshake; it answers without
// certificate facts (degraded) until the probe lands.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
// REQUIRES: the executor is stopped before the cache is destroyed (queued
// probes refer to the cache).
//
// Example:
//   ProbeCache cache(prober, executor, SystemClock(), {});
//   ProbeLookup lookup = cache.Lookup({"paypa1-login.com", 443});
//   if (lookup.state == ProbeState::kReady && lookup.result->ok()) ...

#ifndef LUREGUARD_SERVER_CERTS_PROBE_CACHE_H_
#define LUREGUARD_SERVER_CERTS_PROBE_CACHE_H_

#include "absl/status/statusor.h"
#include "server/certs/tls_prober.h"
#include "server/common/background_cache.h"
#include "server/common/bounded_executor.h"
#include "server/common/clock.h"

namespace lureguard::certs {

// Success and failure TTLs, and the most hosts remembered.
using ProbeCacheOptions = BackgroundCacheOptions;
using ProbeState = CacheState;
using ProbeLookup = CacheLookup<CertProbe>;

class ProbeCache {
 public:
  // `prober`, `executor` and `clock` must outlive the cache.
  ProbeCache(TlsProber& prober, BoundedExecutor& executor, const Clock& clock,
             ProbeCacheOptions options)
      : prober_(prober), cache_(executor, clock, options) {}

  ProbeCache(const ProbeCache&) = delete;
  ProbeCache& operator=(const ProbeCache&) = delete;

  // The cached outcome for `target`; queues a probe when there is none or
  // it has expired, unless one is already queued or running. Never blocks
  // on I/O.
  ProbeLookup Lookup(const ProbeTarget& target) {
    return cache_.Lookup(target.ToString(),
                         [this, target] { return prober_.Probe(target); });
  }

  // Probes `target` on the calling thread (the admin path, bounded by the
  // prober's deadline) and caches the outcome.
  absl::StatusOr<CertProbe> ProbeNow(const ProbeTarget& target) {
    return cache_.RunNow(target.ToString(),
                         [this, &target] { return prober_.Probe(target); });
  }

  // Counters for status pages and tests; `runs` are probes finished.
  using Stats = BackgroundCacheStats;
  Stats stats() const { return cache_.stats(); }

 private:
  TlsProber& prober_;
  BackgroundCache<CertProbe> cache_;
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_PROBE_CACHE_H_
