// Block-list snapshot: build time, resident memory and lookup latency for
// the real phishing domains and for synthetic lists of 1 M and 10 M hosts.
// Entries are streamed into a ListSnapshotBuilder as the publisher does
// from the store, so only the snapshot itself is resident afterwards.
//
//   scripts/bench list_snapshot
//
// Counters: build_s and build_cpu_s (generating the values, builder Add
// and Build; wall and CPU time), rss_mb and rss_bytes_per_entry
// (resident growth across the build), peak_rss_mb (the process's high-water
// mark so far), lookup_p50_ns / lookup_p99_ns (one Match() each, timed
// separately); the benchmark's own time is the mean Match().

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "server/lists/list_snapshot.h"
#include "tests/bench/bench_support.h"

namespace lureguard::lists {
namespace {

using bench::LatencySamples;
using bench::PeakResidentBytes;
using bench::ResidentBytes;
using bench::Timed;

const absl::Time kNow = absl::Now();

std::vector<std::string> RealDomains() {
  std::vector<std::string> domains;
  std::ifstream file(std::string(LUREGUARD_DATA_DIR) + "/phishing-domains.txt");
  std::string line;
  while (std::getline(file, line)) {
    if (!line.empty()) domains.push_back(line);
  }
  return domains;
}

std::string SyntheticHost(size_t i) {
  return absl::StrCat("h", i * 2654435761u % 1000003, "-", i, ".example",
                      i % 50, ".test");
}

// Half of the lookups hit a listed host's subdomain, half miss.
std::vector<url::UrlAnalysis> Queries(
    size_t count, const std::function<std::string(size_t)>& host_at) {
  std::vector<url::UrlAnalysis> queries;
  for (size_t i = 0; i < 10000 && i < count; ++i) {
    const std::string host = host_at((i * 7919) % count);
    std::string url = i % 2 == 0
                          ? absl::StrCat("https://www.", host, "/login/a.php")
                          : absl::StrCat("https://not-", host, "/login/a.php");
    absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(url);
    if (analysis.ok()) queries.push_back(*std::move(analysis));
  }
  return queries;
}

void RunBuildAndMatch(benchmark::State& state, size_t count,
                      const std::function<std::string(size_t)>& host_at) {
  if (count == 0) {
    state.SkipWithError("no data (../shared/data absent)");
    return;
  }
  std::vector<url::UrlAnalysis> queries = Queries(count, host_at);
  const int64_t rss_before = ResidentBytes();
  const absl::Time start = absl::Now();
  const std::clock_t cpu_start = std::clock();
  ListSnapshotBuilder builder;
  store::ListEntryRecord entry;
  entry.kind = store::EntryKind::kDomain;
  entry.source = "admin";
  for (size_t i = 0; i < count; ++i) {
    entry.value = host_at(i);
    if (absl::Status added = builder.Add(entry); !added.ok()) {
      state.SkipWithError(added.ToString().c_str());
      return;
    }
  }
  ListSnapshot snapshot = std::move(builder).Build();
  const double build_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const double build_cpu_seconds =
      static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const int64_t rss_after = ResidentBytes();

  // Per-lookup percentiles, over every query twice (the second pass is
  // what is kept: the first warms the code, not the table).
  LatencySamples lookups;
  size_t hits = 0;
  for (int pass = 0; pass < 2; ++pass) {
    lookups.Clear();
    for (const url::UrlAnalysis& query : queries) {
      hits += Timed(lookups,
                    [&] { return snapshot.Match(query, "", kNow).size(); });
    }
  }

  size_t i = 0;
  for (auto _ : state) {
    hits += snapshot.Match(queries[i++ % queries.size()], "", kNow).size();
  }
  benchmark::DoNotOptimize(hits);
  state.counters["entries"] = count;
  state.counters["build_s"] = build_seconds;
  state.counters["build_cpu_s"] = build_cpu_seconds;
  state.counters["rss_mb"] = (rss_after - rss_before) / 1e6;
  state.counters["rss_bytes_per_entry"] =
      static_cast<double>(rss_after - rss_before) / count;
  state.counters["peak_rss_mb"] = PeakResidentBytes() / 1e6;
  lookups.Report(state, "lookup_", "ns");
  state.SetItemsProcessed(state.iterations());
}

void BM_MatchRealPhishingDomains(benchmark::State& state) {
  static const std::vector<std::string> hosts = RealDomains();
  RunBuildAndMatch(state, hosts.size(), [](size_t i) { return hosts[i]; });
}
BENCHMARK(BM_MatchRealPhishingDomains)->Iterations(200000);

void BM_MatchSyntheticHosts(benchmark::State& state) {
  RunBuildAndMatch(state, state.range(0), SyntheticHost);
}
BENCHMARK(BM_MatchSyntheticHosts)
    ->Arg(1000000)
    ->Arg(10000000)
    ->Iterations(200000);

}  // namespace
}  // namespace lureguard::lists

BENCHMARK_MAIN();
