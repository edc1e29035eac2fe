// Mail link protection without gRPC: click resolution latency (p50/p99) for
// an ALLOW and a WARN destination and for a confirmed click (counted into
// its row: one SQLite lookup and update), and LinkProtector::Rewrite of a 100
// kB HTML body with 200 links (unwrap, verdict, token per link; DESIGN.md §6:
// <= 5 ms).
//
//   scripts/bench 'ResolveClick|RewriteHtml'
//
// Percentiles come from timing each call; Google Benchmark's own time
// column is the mean.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "server/common/clock.h"
#include "server/common/keyed_hasher.h"
#include "server/links/link_protector.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"
#include "tests/bench/bench_engine.h"
#include "tests/bench/bench_support.h"

namespace lureguard {
namespace {

using Clock = std::chrono::steady_clock;

// The engine a server on defaults has (default brands, 100 000 list
// entries), a SQLite store in a temporary directory, and the protector.
struct ClickFixture {
  ClickFixture()
      : engine(SystemClock()),
        dir((std::filesystem::temp_directory_path() /
             absl::StrCat("lureguard-click-bench-", getpid()))
                .string()) {
    std::filesystem::create_directories(dir);
    engine.Publish(bench::BenchSnapshot());
    store = *store::OpenSqliteStore(dir + "/lureguard.db");
    links::LinkPolicy policy;
    policy.click_base_url = "https://click.example";
    auto codec = links::ClickTokenCodec::Create(
        {{.id = "k1", .secret = std::string(32, 's')}}, "k1",
        policy.token_lifetime);
    protector = std::make_unique<links::LinkProtector>(
        *std::move(codec), links::LinkPolicies(policy, {}),
        [this](absl::string_view, absl::string_view url,
               absl::string_view tenant) {
          return engine.CheckUrl(url, tenant);
        },
        engine, *KeyedHasher::Create(std::string(32, 'k')), *store,
        SystemClock());
    // 100 kB of HTML, 200 links of which a few are lookalikes or wrapped.
    for (int i = 0; i < 200; ++i) {
      std::string url = i % 20 == 0 ? absl::StrCat("http://pay-pal.com/s?i=", i)
                        : i % 20 == 1
                            ? absl::StrCat(
                                  "https://www.google.com/url?q=http%3A%2F%2F"
                                  "news.example%2F",
                                  i)
                            : absl::StrCat("https://www.example.org/articles/",
                                           i, "?utm_source=mail");
      absl::StrAppend(&html, "<p>", std::string(420, 'x'), " <a href=\"", url,
                      "\">Read article ", i, "</a></p>\n");
    }
    allow_token = Token("https://www.example.org/news");
    warn_token = Token("http://pay-pal.com/signin");
  }
  ~ClickFixture() { std::filesystem::remove_all(dir); }

  std::string Token(const std::string& url) {
    auto out =
        protector->Rewrite({.kind = links::ContentKind::kText, .content = url});
    const std::string& rewritten = out->links.at(0).rewritten_url;
    return rewritten.substr(rewritten.rfind('/') + 1);
  }

  verdict::Engine engine;
  std::string dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<links::LinkProtector> protector;
  std::string html;
  std::string allow_token;
  std::string warn_token;
};

ClickFixture& GetFixture() {
  static ClickFixture* fixture = new ClickFixture();
  return *fixture;
}

void ResolveClick(benchmark::State& state, const std::string& token,
                  bool confirmed) {
  ClickFixture& f = GetFixture();
  bench::LatencySamples percentiles;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    auto decision = f.protector->ResolveClick(token, std::nullopt, confirmed);
    percentiles.Add(Clock::now() - start);
    if (!decision.ok()) state.SkipWithError("ResolveClick failed");
    benchmark::DoNotOptimize(decision);
  }
  percentiles.Report(state);
}

void BM_ResolveClickAllow(benchmark::State& state) {
  ResolveClick(state, GetFixture().allow_token, false);
}
BENCHMARK(BM_ResolveClickAllow);

void BM_ResolveClickWarn(benchmark::State& state) {
  ResolveClick(state, GetFixture().warn_token, false);
}
BENCHMARK(BM_ResolveClickWarn);

// A confirmed click of one token again and again: after the first, each is
// counted into the same row (Store::RecordClick, one lookup and one update
// in a transaction); the SQLite write dominates.
void BM_ResolveClickConfirmed(benchmark::State& state) {
  ResolveClick(state, GetFixture().warn_token, true);
}
BENCHMARK(BM_ResolveClickConfirmed);

void BM_RewriteHtml100kB200Links(benchmark::State& state) {
  ClickFixture& f = GetFixture();
  bench::LatencySamples percentiles;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    auto out = f.protector->Rewrite(
        {.kind = links::ContentKind::kHtml, .content = f.html});
    percentiles.Add(Clock::now() - start);
    if (!out.ok() || out->links.size() != 200) {
      state.SkipWithError("Rewrite did not find 200 links");
    }
    benchmark::DoNotOptimize(out);
  }
  state.counters["html_bytes"] = static_cast<double>(f.html.size());
  percentiles.Report(state);
}
BENCHMARK(BM_RewriteHtml100kB200Links)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lureguard

BENCHMARK_MAIN();
