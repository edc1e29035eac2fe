// Block-list snapshot: build time, resident memory and lookup latency for
// the real phishing domains and for synthetic lists of 1 M hosts.
//
//   scripts/bench list_snapshot

#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "server/lists/list_snapshot.h"

namespace lureguard::lists {
namespace {

const absl::Time kNow = absl::Now();

int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

std::vector<std::string> RealDomains() {
  std::vector<std::string> domains;
  std::ifstream file(std::string(LUREGUARD_DATA_DIR) +
                     "/phishing-domains.txt");
  std::string line;
  while (std::getline(file, line)) {
    if (!line.empty()) domains.push_back(line);
  }
  return domains;
}

std::vector<std::string> SyntheticHosts(size_t count) {
  std::vector<std::string> hosts;
  hosts.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    hosts.push_back(absl::StrCat("h", i * 2654435761u % 1000003, "-", i,
                                 ".example", i % 50, ".test"));
  }
  return hosts;
}

std::vector<store::ListEntryRecord> Entries(
    const std::vector<std::string>& hosts) {
  std::vector<store::ListEntryRecord> entries;
  entries.reserve(hosts.size());
  for (const std::string& host : hosts) {
    store::ListEntryRecord entry;
    entry.kind = store::EntryKind::kDomain;
    entry.value = host;
    entry.source = "admin";
    entries.push_back(std::move(entry));
  }
  return entries;
}

// Half of the lookups hit a listed host's subdomain, half miss.
std::vector<url::UrlAnalysis> Queries(const std::vector<std::string>& hosts) {
  std::vector<url::UrlAnalysis> queries;
  for (size_t i = 0; i < 10000 && i < hosts.size(); ++i) {
    const std::string& host = hosts[(i * 7919) % hosts.size()];
    std::string url = i % 2 == 0
                          ? absl::StrCat("https://www.", host, "/login/a.php")
                          : absl::StrCat("https://not-", host, "/login/a.php");
    absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(url);
    if (analysis.ok()) queries.push_back(*std::move(analysis));
  }
  return queries;
}

void RunBuildAndMatch(benchmark::State& state,
                      const std::vector<std::string>& hosts) {
  if (hosts.empty()) {
    state.SkipWithError("no data (../shared/data absent)");
    return;
  }
  std::vector<url::UrlAnalysis> queries = Queries(hosts);
  const int64_t rss_before = ResidentBytes();
  const absl::Time start = absl::Now();
  ListSnapshot snapshot = ListSnapshot::Build(Entries(hosts));
  const double build_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const int64_t rss_after = ResidentBytes();
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    hits += snapshot.Match(queries[i++ % queries.size()], "", kNow).size();
  }
  benchmark::DoNotOptimize(hits);
  state.counters["entries"] = hosts.size();
  state.counters["build_s"] = build_seconds;
  state.counters["rss_bytes_per_entry"] =
      static_cast<double>(rss_after - rss_before) / hosts.size();
  state.SetItemsProcessed(state.iterations());
}

void BM_MatchRealPhishingDomains(benchmark::State& state) {
  static const std::vector<std::string> hosts = RealDomains();
  RunBuildAndMatch(state, hosts);
}
BENCHMARK(BM_MatchRealPhishingDomains)->Iterations(200000);

void BM_MatchSyntheticHosts(benchmark::State& state) {
  RunBuildAndMatch(state, SyntheticHosts(state.range(0)));
}
BENCHMARK(BM_MatchSyntheticHosts)->Arg(1000000)->Iterations(200000);

}  // namespace
}  // namespace lureguard::lists

BENCHMARK_MAIN();
