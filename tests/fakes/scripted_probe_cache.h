// A certs::ProbeCache over a FakeTlsProber, a FakeClock and one executor
// thread: what a test of code that probes through the cache needs.
//
// Example:
//   ScriptedProbeCache probes(absl::Now());
//   probes.prober.Set("shop.example:443", probe);
//   ProbeCertificateNow(&probes.cache, {"shop.example", 443}, ...);

#ifndef LUREGUARD_TESTS_FAKES_SCRIPTED_PROBE_CACHE_H_
#define LUREGUARD_TESTS_FAKES_SCRIPTED_PROBE_CACHE_H_

#include "absl/time/time.h"
#include "server/certs/probe_cache.h"
#include "server/common/bounded_executor.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_tls_prober.h"

namespace lureguard {

// The cache and the fakes behind it, stopped in the right order.
struct ScriptedProbeCache {
  explicit ScriptedProbeCache(absl::Time now) : clock(now) {}
  ~ScriptedProbeCache() { executor.Stop(); }

  FakeClock clock;
  FakeTlsProber prober;
  BoundedExecutor executor{1, 8};
  certs::ProbeCache cache{prober, executor, clock, {}};
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_SCRIPTED_PROBE_CACHE_H_
