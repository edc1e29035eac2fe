// The cost of a beacon flag write (BeaconFlags::Record of a new host) with
// 0 and 20 000 flags already stored, in memory only and through a SQLite
// store in a temporary directory. Issue #16: the copy-on-write map made
// each new flag cost ~20x more at 20 000 flags; a write now touches one
// map entry and one store row, whatever the number of flags.
//
//   scripts/bench BeaconFlagWrite
//
// Each run records 2 000 new hosts (fixed iterations), so the map holds
// N to N + 2 000 flags while it is timed.

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "server/common/clock.h"
#include "server/login/beacon_flags.h"
#include "server/store/store.h"

namespace lureguard {
namespace {

login::BeaconFlagOptions Unlimited() {
  login::BeaconFlagOptions options;
  options.per_client_ip = {};
  options.per_tenant = {};
  options.max_flags = 1000000;
  return options;
}

login::BeaconSighting Sighting(int64_t i) {
  return {.tenant = "acme",
          .host = absl::StrCat("relay-", i, ".kit-host.example"),
          .brand = "Acme",
          .technique = "reverse-proxy"};
}

void RunWrites(benchmark::State& state, store::Store* db) {
  const int64_t stored = state.range(0);
  login::BeaconFlags flags(db, SystemClock(), Unlimited());
  for (int64_t i = 0; i < stored; ++i) {
    if (!flags.Record(Sighting(i), "").ok()) {
      state.SkipWithError("prefill failed");
      return;
    }
  }
  int64_t next = stored;
  for (auto _ : state) {
    absl::StatusOr<login::BeaconHit> hit =
        flags.Record(Sighting(next++), "203.0.113.9");
    if (!hit.ok() || !hit->first_seen) {
      state.SkipWithError("write failed");
      return;
    }
  }
  state.counters["flags_after"] = static_cast<double>(flags.size());
}

void BM_BeaconFlagWriteInMemory(benchmark::State& state) {
  RunWrites(state, nullptr);
}

void BM_BeaconFlagWriteSqlite(benchmark::State& state) {
  const std::string dir =
      (std::filesystem::temp_directory_path() /
       absl::StrCat("lureguard-beacon-bench-", getpid(), "-", state.range(0)))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    absl::StatusOr<std::unique_ptr<store::Store>> db =
        store::OpenSqliteStore(dir + "/lureguard.db");
    if (!db.ok()) {
      state.SkipWithError(std::string(db.status().message()).c_str());
      return;
    }
    RunWrites(state, db->get());
  }
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_BeaconFlagWriteInMemory)
    ->Arg(0)
    ->Arg(20000)
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BeaconFlagWriteSqlite)
    ->Arg(0)
    ->Arg(20000)
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace lureguard

BENCHMARK_MAIN();
