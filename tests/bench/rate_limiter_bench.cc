// Cost of the per-key rate limiter on the request path: one Admit per call.
//
//   build-bench/tests/bench/rate_limiter_bench

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "server/auth/rate_limiter.h"
#include "server/common/clock.h"

namespace lureguard::auth {
namespace {

// A rate no benchmark reaches, so every call takes the admit path.
constexpr RateLimit kGenerous = {.rate = 1e12, .burst = 1e12};

RateLimiter& SharedLimiter() {
  static RateLimiter* limiter = new RateLimiter(SystemClock(), kGenerous);
  return *limiter;
}

// All threads on one key: the worst case, one shard's mutex.
void BM_AdmitOneKey(benchmark::State& state) {
  RateLimiter& limiter = SharedLimiter();
  for (auto _ : state) {
    benchmark::DoNotOptimize(limiter.Admit("gateway"));
  }
}
BENCHMARK(BM_AdmitOneKey)->Threads(1)->Threads(2)->UseRealTime();

// Each thread its own key, as several gateways would be.
void BM_AdmitKeyPerThread(benchmark::State& state) {
  RateLimiter& limiter = SharedLimiter();
  const std::string key = absl::StrCat("gateway-", state.thread_index());
  for (auto _ : state) {
    benchmark::DoNotOptimize(limiter.Admit(key));
  }
}
BENCHMARK(BM_AdmitKeyPerThread)->Threads(1)->Threads(2)->UseRealTime();

// Over the limit: the refusal path computes the pushback.
void BM_Refuse(benchmark::State& state) {
  RateLimiter limiter(SystemClock(), {.rate = 1e-9, .burst = 1});
  limiter.Admit("gateway");
  for (auto _ : state) {
    benchmark::DoNotOptimize(limiter.Admit("gateway"));
  }
}
BENCHMARK(BM_Refuse);

}  // namespace
}  // namespace lureguard::auth

BENCHMARK_MAIN();
