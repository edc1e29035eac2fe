// Block-list snapshot rebuilt from a real SQLite store, as the server does
// at start and after every write: 1 M and 10 M synthetic hosts (the hosts
// of list_snapshot_bench, so the two compare), read back through the Store
// interface and indexed.
//
//   scripts/bench list_rebuild
//
// The database is made once per entry count, by imports of 1 M entries
// each through the Store API, and kept for later runs in
// $LUREGUARD_BENCH_DIR (default /tmp/lureguard-bench): creating 10 M
// entries takes minutes, reading them is what is measured. The first run
// for 10 M needs about 3 GB of disk there. Runs read the file warm from the
// page cache, as a rebuild after a write does.
//
// Counters: scan_s and scan_cpu_s (Store::ScanEntries alone, visiting every
// row), rebuild_s and
// rebuild_cpu_s (what the publisher runs: store to a finished snapshot;
// wall and process CPU time, which counts both threads), index_cpu_s and
// scan_thread_cpu_s (that CPU time split between the calling thread, which
// indexes, and the thread that reads the store: on an idle machine the
// rebuild takes about the larger of the two), rss_mb and
// rss_bytes_per_entry (resident growth across the rebuild), peak_rss_mb,
// lookup_p50_ns / lookup_p99_ns (one Match() each); the benchmark's own
// time is the mean Match().

#include <sys/resource.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "server/lists/list_snapshot.h"
#include "server/store/store.h"
#include "tests/bench/bench_support.h"

namespace lureguard::lists {
namespace {

using bench::LatencySamples;
using bench::PeakResidentBytes;
using bench::ProcessCpuSeconds;
using bench::ResidentBytes;
using bench::ThreadCpuSeconds;
using bench::Timed;

const absl::Time kNow = absl::Now();

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

// The hosts of list_snapshot_bench.
std::string SyntheticHost(size_t i) {
  return absl::StrCat("h", i * 2654435761u % 1000003, "-", i, ".example",
                      i % 50, ".test");
}

// Opens the store holding exactly `count` synthetic hosts, creating it on
// first use.
absl::StatusOr<std::unique_ptr<store::Store>> OpenBenchStore(size_t count) {
  const char* env = std::getenv("LUREGUARD_BENCH_DIR");
  const std::string dir =
      env != nullptr && *env != '\0' ? env : "/tmp/lureguard-bench";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  const std::string path = absl::StrCat(dir, "/list-rebuild-", count, ".db");
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(path);
  if (!store.ok()) return store.status();
  absl::StatusOr<store::ListEntryPage> page =
      (*store)->ListEntries(store::ListType::kBlock, "", 0, 1);
  if (!page.ok()) return page.status();
  if (page->total_size == static_cast<int64_t>(count)) return store;
  if (page->total_size != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " holds ", page->total_size, " entries, not ", count,
                     "; delete it"));
  }
  constexpr size_t kChunk = 1'000'000;
  std::vector<store::ListEntryRecord> chunk;
  for (size_t begin = 0; begin < count; begin += kChunk) {
    chunk.clear();
    for (size_t i = begin; i < std::min(count, begin + kChunk); ++i) {
      store::ListEntryRecord& entry = chunk.emplace_back();
      entry.kind = store::EntryKind::kDomain;
      entry.value = SyntheticHost(i);
      entry.create_time = kNow;
    }
    absl::StatusOr<int64_t> written =
        (*store)->ImportEntries(chunk, std::nullopt);
    if (!written.ok()) return written.status();
  }
  return store;
}

// Half of the lookups hit a listed host's subdomain, half miss.
std::vector<url::UrlAnalysis> Queries(size_t count) {
  std::vector<url::UrlAnalysis> queries;
  for (size_t i = 0; i < 10000 && i < count; ++i) {
    const std::string host = SyntheticHost((i * 7919) % count);
    std::string url = i % 2 == 0
                          ? absl::StrCat("https://www.", host, "/login/a.php")
                          : absl::StrCat("https://not-", host, "/login/a.php");
    absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(url);
    if (analysis.ok()) queries.push_back(*std::move(analysis));
  }
  return queries;
}

void BM_RebuildFromSqlite(benchmark::State& state) {
  const size_t count = state.range(0);
  absl::StatusOr<std::unique_ptr<store::Store>> store = OpenBenchStore(count);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  std::vector<url::UrlAnalysis> queries = Queries(count);

  // The scan alone, which also brings the file into the page cache.
  struct Counter final : store::EntryVisitor {
    void Visit(const store::ListEntryView&) override { ++visited; }
    int64_t visited = 0;
  } counter;
  double cpu_start = ProcessCpuSeconds();
  auto start = std::chrono::steady_clock::now();
  absl::Status scanned = (*store)->ScanEntries(kNow, counter);
  const double scan_seconds = Seconds(start);
  const double scan_cpu_seconds = ProcessCpuSeconds() - cpu_start;
  const int64_t visited = counter.visited;
  if (!scanned.ok() || visited != static_cast<int64_t>(count)) {
    state.SkipWithError(
        absl::StrCat("scan: ", scanned.ToString(), ", ", visited, " entries")
            .c_str());
    return;
  }

#ifdef __GLIBC__
  malloc_trim(0);  // what setting up left behind is not the snapshot's
#endif
  const int64_t rss_before = ResidentBytes();
  cpu_start = ProcessCpuSeconds();
  const double thread_cpu_start = ThreadCpuSeconds();
  start = std::chrono::steady_clock::now();
  absl::StatusOr<ListSnapshot> snapshot = BuildListSnapshot(**store, kNow);
  const double rebuild_seconds = Seconds(start);
  const double rebuild_cpu_seconds = ProcessCpuSeconds() - cpu_start;
  const double index_cpu_seconds = ThreadCpuSeconds() - thread_cpu_start;
  const int64_t rss_after = ResidentBytes();
  if (!snapshot.ok()) {
    state.SkipWithError(snapshot.status().ToString().c_str());
    return;
  }

  LatencySamples lookups;
  size_t hits = 0;
  for (int pass = 0; pass < 2; ++pass) {  // the first pass warms the code
    lookups.Clear();
    for (const url::UrlAnalysis& query : queries) {
      hits += Timed(lookups,
                    [&] { return snapshot->Match(query, "", kNow).size(); });
    }
  }
  size_t i = 0;
  for (auto _ : state) {
    hits += snapshot->Match(queries[i++ % queries.size()], "", kNow).size();
  }
  benchmark::DoNotOptimize(hits);
  state.counters["entries"] = count;
  state.counters["scan_s"] = scan_seconds;
  state.counters["scan_cpu_s"] = scan_cpu_seconds;
  state.counters["rebuild_s"] = rebuild_seconds;
  state.counters["rebuild_cpu_s"] = rebuild_cpu_seconds;
  state.counters["index_cpu_s"] = index_cpu_seconds;
  state.counters["scan_thread_cpu_s"] = rebuild_cpu_seconds - index_cpu_seconds;
  state.counters["rss_mb"] = (rss_after - rss_before) / 1e6;
  state.counters["rss_bytes_per_entry"] =
      static_cast<double>(rss_after - rss_before) / count;
  state.counters["peak_rss_mb"] = PeakResidentBytes() / 1e6;
  lookups.Report(state, "lookup_", "ns");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RebuildFromSqlite)
    ->Arg(1000000)
    ->Arg(10000000)
    ->Iterations(200000)
    ->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace lureguard::lists

BENCHMARK_MAIN();
