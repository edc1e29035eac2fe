// Per-host certificate facts for the verdict, probed in the background.
//
// A URL check must never wait for a TLS handshake, so it asks the cache:
// a fresh result is returned at once; otherwise a probe is queued on the
// bounded executor and the check answers without certificate facts
// (degraded). Concurrent checks of the same host share one probe
// (coalescing). Successes are kept for `success_ttl`, failures for the
// shorter `failure_ttl`; after that the last result is still served while
// one refresh probe runs.
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

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/certs/tls_prober.h"
#include "server/common/bounded_executor.h"
#include "server/common/clock.h"

namespace lureguard::certs {

struct ProbeCacheOptions {
  // How long a successful probe is served before it is refreshed.
  absl::Duration success_ttl = absl::Hours(6);
  // How long a failed probe (refused, timed out, no TLS) is remembered, so
  // a dead host is not probed on every check.
  absl::Duration failure_ttl = absl::Minutes(10);
  // Most hosts remembered; expired entries are evicted first, then any.
  size_t max_entries = 100000;
};

enum class ProbeState {
  kReady,    // `result` holds the last probe's outcome
  kPending,  // a probe is queued or running; nothing known yet
  kDropped,  // nothing known and the executor's queue was full
};

// What the cache knows about one target.
struct ProbeLookup {
  ProbeState state = ProbeState::kPending;
  // The last outcome (a CertProbe or the probe's error); set when kReady.
  std::shared_ptr<const absl::StatusOr<CertProbe>> result;
};

class ProbeCache {
 public:
  // `prober`, `executor` and `clock` must outlive the cache.
  ProbeCache(TlsProber& prober, BoundedExecutor& executor, const Clock& clock,
             ProbeCacheOptions options);

  ProbeCache(const ProbeCache&) = delete;
  ProbeCache& operator=(const ProbeCache&) = delete;

  // The cached outcome for `target`; queues a probe when there is none or
  // it has expired, unless one is already queued or running. Never blocks
  // on I/O.
  ProbeLookup Lookup(const ProbeTarget& target);

  // Probes `target` on the calling thread (the admin path, bounded by the
  // prober's deadline) and caches the outcome.
  absl::StatusOr<CertProbe> ProbeNow(const ProbeTarget& target);

  // Counters for status pages and tests.
  struct Stats {
    size_t entries = 0;
    size_t pending = 0;
    uint64_t probes = 0;     // probes finished, on any thread
    uint64_t failures = 0;   // of which failed
    uint64_t coalesced = 0;  // lookups that joined a pending probe
    uint64_t dropped = 0;    // lookups whose probe the executor refused
  };
  Stats stats() const;

 private:
  struct Entry {
    std::shared_ptr<const absl::StatusOr<CertProbe>> result;
    absl::Time expires = absl::InfinitePast();
    bool pending = false;
  };

  void RunProbe(const ProbeTarget& target);
  void Store(const ProbeTarget& target, absl::StatusOr<CertProbe> result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MakeRoom(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  TlsProber& prober_;
  BoundedExecutor& executor_;
  const Clock& clock_;
  const ProbeCacheOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_PROBE_CACHE_H_
