// Speed of the lookalike engine at scale (issue 5): the whole Tranco top
// 100k protected as brands, 100k other hosts (Cisco Umbrella FQDNs not in
// Tranco) checked on one core. Reports index build time and memory, the
// p50/p99 of BrandIndex::Match per host, and a brute-force edit-distance
// scan over every token measured in the same run for the ratio.
//
//   lookalike_bench [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "server/lookalike/brand_index.h"
#include "server/lookalike/internal/edits.h"
#include "server/url/url.h"

namespace {

using lureguard::lookalike::BrandIndex;

std::string ReadFile(const std::string& relative) {
  std::ifstream in(std::string(LUREGUARD_DATA_DIR) + "/" + relative);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

struct Fixture {
  std::vector<lureguard::lookalike::Brand> brands;
  std::unique_ptr<BrandIndex> index;
  std::vector<lureguard::url::UrlAnalysis> queries;
  std::vector<std::string> site_labels;  // for the brute-force scan
  double build_seconds = 0;
  size_t rss_delta = 0;
  bool ok = false;

  Fixture() {
    std::string top = ReadFile("top-domains-100k.txt");
    std::string umbrella = ReadFile("umbrella-top-100k.txt");
    if (top.empty() || umbrella.empty()) return;
    for (char& c : top) c = static_cast<char>(std::tolower(c));
    auto parsed = lureguard::lookalike::ParseBrandList(
        top, lureguard::lookalike::BrandListFormat::kRankedDomains);
    if (!parsed.ok()) {
      std::fprintf(stderr, "%s\n",
                   std::string(parsed.status().message()).c_str());
      return;
    }
    brands = *std::move(parsed);
    const size_t rss_before = ResidentBytes();
    const auto start = std::chrono::steady_clock::now();
    auto built = BrandIndex::Build(brands);
    build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (!built.ok()) return;
    index = std::make_unique<BrandIndex>(*std::move(built));
    rss_delta = ResidentBytes() - rss_before;
    absl::flat_hash_set<std::string> protected_domains;
    for (const auto& b : brands) {
      for (const auto& d : b.domains) protected_domains.insert(d);
    }
    std::istringstream lines(umbrella);
    for (std::string host;
         std::getline(lines, host) && queries.size() < 100000;) {
      if (host.empty() || protected_domains.contains(host)) continue;
      auto a = lureguard::url::AnalyzeUrl("http://" + host + "/");
      if (!a.ok() || a->registrable_domain.empty() ||
          protected_domains.contains(a->registrable_domain)) {
        continue;
      }
      const size_t suffix_labels =
          1 + std::count(a->public_suffix.begin(), a->public_suffix.end(), '.');
      if (a->labels.size() <= suffix_labels) continue;
      site_labels.push_back(
          a->labels[a->labels.size() - suffix_labels - 1].text);
      queries.push_back(*std::move(a));
    }
    ok = true;
  }
};

Fixture& Get() {
  static Fixture* const f = new Fixture();
  return *f;
}

void BM_Match(benchmark::State& state) {
  Fixture& f = Get();
  if (!f.ok) {
    state.SkipWithError("../shared/data top lists absent");
    return;
  }
  std::vector<double> ns;
  ns.reserve(f.queries.size());
  size_t matched = 0;
  for (auto _ : state) {
    ns.clear();
    for (const auto& q : f.queries) {
      const auto t0 = std::chrono::steady_clock::now();
      auto m = f.index->Match(q, "");
      const auto t1 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(m);
      matched += !m.empty();
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
  }
  std::sort(ns.begin(), ns.end());
  const auto stats = f.index->stats();
  state.counters["hosts"] = static_cast<double>(f.queries.size());
  state.counters["p50_us"] = ns[ns.size() / 2] / 1000;
  state.counters["p99_us"] = ns[ns.size() * 99 / 100] / 1000;
  state.counters["max_us"] = ns.back() / 1000;
  state.counters["brands"] = static_cast<double>(stats.brands);
  state.counters["tokens"] = static_cast<double>(stats.tokens);
  state.counters["build_s"] = f.build_seconds;
  state.counters["index_MB"] = stats.memory_bytes / 1e6;
  state.counters["rss_delta_MB"] = f.rss_delta / 1e6;
  state.counters["matched_frac"] =
      static_cast<double>(matched) / (state.iterations() * f.queries.size());
  state.SetItemsProcessed(state.iterations() * f.queries.size());
}
BENCHMARK(BM_Match)->Unit(benchmark::kMillisecond)->Iterations(3);

// MatchHost includes URL analysis (parse, IDNA, libpsl) of a bare host.
void BM_MatchHost(benchmark::State& state) {
  Fixture& f = Get();
  if (!f.ok) {
    state.SkipWithError("../shared/data top lists absent");
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.index->MatchHost(f.queries[i].host, ""));
    if (++i == f.queries.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MatchHost)->Unit(benchmark::kMicrosecond);

// The baseline the index replaces: edit distance of the site label against
// every protected token, one host at a time (typos only: no skeletons, no
// combosquats).
void BM_BruteForceEditDistance(benchmark::State& state) {
  Fixture& f = Get();
  if (!f.ok) {
    state.SkipWithError("../shared/data top lists absent");
    return;
  }
  std::vector<std::string> tokens;
  for (const auto& b : f.brands) {
    for (const auto& t : b.tokens) tokens.push_back(t);
  }
  size_t i = 0;
  for (auto _ : state) {
    const std::string& label = f.site_labels[i];
    int hits = 0;
    for (const std::string& t : tokens) {
      hits +=
          lureguard::lookalike::internal::BoundedEditDistance(label, t, 1) <= 1;
    }
    benchmark::DoNotOptimize(hits);
    if (++i == f.site_labels.size()) i = 0;
  }
  state.counters["tokens"] = static_cast<double>(tokens.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BruteForceEditDistance)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
