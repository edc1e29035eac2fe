// Cost of checking an API key on the request path: one KeyRing::Authenticate
// per call (issue #19: a SHA-256 with an EVP_MD_fetch each call).
//
//   build-bench/tests/bench/api_key_bench

#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "server/auth/api_keys.h"
#include "server/common/clock.h"
#include "server/store/store.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::auth {
namespace {

void BM_AuthenticateValidKey(benchmark::State& state) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(dir.path() + "/lureguard.db");
  if (!store.ok()) {
    state.SkipWithError("cannot open the store");
    return;
  }
  KeyRing keys(**store, SystemClock());
  // A gateway's key among a few others, as a deployment has them.
  for (const char* name : {"admin", "proxy", "milter"}) {
    (void)keys.Create(name, Role::kAdmin, "");
  }
  absl::StatusOr<std::string> token =
      keys.Create("gateway", Role::kVerdict, "");
  if (!token.ok()) {
    state.SkipWithError("cannot create a key");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(keys.Authenticate(*token));
  }
}
BENCHMARK(BM_AuthenticateValidKey);

}  // namespace
}  // namespace lureguard::auth

BENCHMARK_MAIN();
