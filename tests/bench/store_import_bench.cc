// Bulk import into the store: ImportEntries of 1 M synthetic block-list
// hosts in one transaction, into PostgreSQL (COPY into a staging table,
// then one merge statement) and, for comparison on the same machine, into
// SQLite. PostgreSQL runs as a throwaway cluster this program starts on a
// free loopback port, with durable commits (fsync on), so the figure
// includes what a production server pays.
//
//   scripts/bench BM_Import
//   build/tests/bench/store_import_bench --benchmark_filter=Postgres
//
// Each iteration imports into an empty store (BM_Import*/fresh) or replaces
// the same 1 M entries of one source in a store that holds them (a feed
// refresh, BM_Import*/replace). Counters: import_s (wall time of the
// ImportEntries call), entries_per_s, client_cpu_s (this process's CPU;
// the server's work is the rest of the wall time).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "server/store/store.h"
#include "tests/bench/bench_support.h"
#include "tests/testing/postgres_test_server.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

constexpr int kEntries = 1'000'000;
constexpr char kSource[] = "feed:bench";

std::vector<store::ListEntryRecord> MakeEntries() {
  std::vector<store::ListEntryRecord> entries(kEntries);
  const absl::Time now = absl::Now();
  for (int i = 0; i < kEntries; ++i) {
    store::ListEntryRecord& e = entries[i];
    e.kind = store::EntryKind::kHost;
    e.value = absl::StrCat("h", i, ".bench-phish.example");
    e.reason = "synthetic feed entry";
    e.source = kSource;
    e.create_time = now;
  }
  return entries;
}

const std::vector<store::ListEntryRecord>& Entries() {
  static const auto* entries =
      new std::vector<store::ListEntryRecord>(MakeEntries());
  return *entries;
}

// Started on first use; stopped and removed at exit by the static's
// destructor.
testing::PostgresTestServer& Postgres() {
  static std::unique_ptr<testing::PostgresTestServer> server = [] {
    absl::StatusOr<std::unique_ptr<testing::PostgresTestServer>> started =
        testing::PostgresTestServer::Start({.durable = true});
    if (!started.ok()) {
      std::fprintf(stderr, "store_import_bench: %s\n",
                   std::string(started.status().message()).c_str());
      std::exit(1);
    }
    return *std::move(started);
  }();
  return *server;
}

// A fresh, empty store of the benchmark's backend.
std::unique_ptr<store::Store> FreshStore(bool postgres, testing::TempDir& dir) {
  static int databases = 0;
  absl::StatusOr<std::unique_ptr<store::Store>> opened;
  if (postgres) {
    const std::string name = absl::StrCat("import_", ++databases);
    if (absl::Status s = Postgres().CreateDatabase(name); !s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      std::exit(1);
    }
    opened = store::OpenPostgresStore(Postgres().Url(name));
  } else {
    opened = store::OpenSqliteStore(
        absl::StrCat(dir.path(), "/import_", ++databases, ".db"));
  }
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(opened.status().message()).c_str());
    std::exit(1);
  }
  return *std::move(opened);
}

// state.range(0): 1 for PostgreSQL, 0 for SQLite; range(1): 1 to replace
// entries already there, 0 to import into an empty store.
void BM_Import(benchmark::State& state) {
  const bool postgres = state.range(0) == 1;
  const bool replace = state.range(1) == 1;
  const std::vector<store::ListEntryRecord>& entries = Entries();
  testing::TempDir dir;
  double seconds = 0;
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<store::Store> target = FreshStore(postgres, dir);
    if (replace && !target->ImportEntries(entries, kSource).ok()) {
      state.SkipWithError("first import failed");
      break;
    }
    state.ResumeTiming();
    const double cpu_start = bench::ProcessCpuSeconds();
    const absl::Time start = absl::Now();
    absl::StatusOr<int64_t> written =
        target->ImportEntries(entries, std::string(kSource));
    seconds += absl::ToDoubleSeconds(absl::Now() - start);
    cpu += bench::ProcessCpuSeconds() - cpu_start;
    if (!written.ok() || *written != kEntries) {
      state.SkipWithError(std::string(written.status().message()).c_str());
      break;
    }
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["import_s"] = seconds / n;
  state.counters["entries_per_s"] = kEntries * n / seconds;
  state.counters["client_cpu_s"] = cpu / n;
}

BENCHMARK(BM_Import)
    ->ArgNames({"postgres", "replace"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace lureguard

BENCHMARK_MAIN();
