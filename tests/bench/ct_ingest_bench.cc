// CT ingest rate (issue 6): log entries per second through the parser, the
// certificate summary and the lookalike index with the default brands, on
// one core. Certificates are made with OpenSSL for real host names: half
// Cisco Umbrella FQDNs, half hosts from ../shared/data/phishing-domains.txt
// (many of them lookalikes, so alerts are built too), each certificate
// with the host and its wildcard.
//
//   BM_ParseAndMatch   RFC 6962 leaf_input + extra_data -> names -> index
//   BM_TileParseAndMatch  the same entries as Static CT data tiles
//   BM_MonitorPoll     the whole poll: a fake RFC 6962 log on loopback HTTP
//                      (batches of 256), the index, alerts into SQLite
//
//   ct_ingest_bench [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/certs/ct_leaf.h"
#include "server/certs/ct_log_client.h"
#include "server/certs/ct_monitor.h"
#include "server/common/clock.h"
#include "server/lists/curl_http_fetcher.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "tests/fakes/fake_ct_log.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/temp_dir.h"

namespace {

namespace enc = ::lureguard::testing::ct_encoding;
using lureguard::certs::CertificateSummary;
using lureguard::certs::CtEntry;
using lureguard::lookalike::BrandIndex;

constexpr size_t kEntries = 4096;  // 16 full tiles

std::vector<std::string> ReadHosts(const std::string& relative, size_t n) {
  std::ifstream in(std::string(LUREGUARD_DATA_DIR) + "/" + relative);
  std::vector<std::string> hosts;
  std::string line;
  while (hosts.size() < n && std::getline(in, line)) {
    if (line.empty() || line.find_first_of(" \t/:") != std::string::npos) {
      continue;
    }
    hosts.push_back(line);
  }
  return hosts;
}

struct Fixture {
  lureguard::testing::CtTestCa ca{"Bench CA"};
  std::unique_ptr<BrandIndex> index;
  std::vector<std::vector<std::string>> names;  // per certificate
  std::vector<std::string> leaves, extras, tiles;
  std::string error;

  Fixture() {
    index = std::make_unique<BrandIndex>(
        *BrandIndex::Build(lureguard::lookalike::DefaultBrands()));
    std::vector<std::string> benign =
        ReadHosts("umbrella-top-100k.txt", kEntries / 2);
    std::vector<std::string> phish =
        ReadHosts("phishing-domains.txt", kEntries / 2);
    if (benign.size() + phish.size() < kEntries) {
      error =
          "../shared/data (umbrella-top-100k.txt, phishing-domains.txt) "
          "is absent";
      return;
    }
    for (size_t i = 0; i < kEntries; ++i) {
      const std::string& host = i % 2 == 0 ? benign[i / 2] : phish[i / 2];
      names.push_back({host, "*." + host});
      const std::string der = ca.Issue(names.back(), i + 1, false);
      leaves.push_back(enc::X509Leaf(der, 1767225600000));
      extras.push_back(enc::X509ExtraData({ca.der()}));
    }
    for (size_t t = 0; t < kEntries / 256; ++t) {
      std::string tile;
      for (size_t i = t * 256; i < (t + 1) * 256; ++i) {
        const std::string der = ca.Issue(names[i], i + 1, false);
        tile += enc::TileLeaf(i, false, der, "", "", {enc::Sha256(ca.der())},
                              1767225600000);
      }
      tiles.push_back(std::move(tile));
    }
  }
};

Fixture& GetFixture() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

// Names of one entry through the index, as the monitor does; returns how
// many would alert (weight >= 0.5, the default WARN threshold).
int Match(const CtEntry& entry, const BrandIndex& index) {
  absl::StatusOr<CertificateSummary> cert =
      lureguard::certs::SummarizeEntry(entry);
  if (!cert.ok()) return 0;
  int alerts = 0;
  for (const std::string& name : cert->names) {
    absl::string_view host = name;
    absl::ConsumePrefix(&host, "*.");
    std::vector<lureguard::lookalike::LookalikeMatch> m =
        index.MatchHost(host, "");
    if (!m.empty() && m.front().weight >= 0.5) ++alerts;
  }
  return alerts;
}

void BM_ParseAndMatch(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  size_t i = 0;
  int64_t alerts = 0;
  for (auto _ : state) {
    absl::StatusOr<CtEntry> entry =
        lureguard::certs::ParseRfc6962Entry(f.leaves[i], f.extras[i], i);
    alerts += Match(*entry, *f.index);
    i = (i + 1) % kEntries;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["alerting_names_per_entry"] =
      static_cast<double>(alerts) / state.iterations();
}
BENCHMARK(BM_ParseAndMatch);

void BM_TileParseAndMatch(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  size_t t = 0;
  for (auto _ : state) {
    absl::StatusOr<std::vector<CtEntry>> entries =
        lureguard::certs::ParseDataTile(f.tiles[t], t * 256, 256);
    for (const CtEntry& entry : *entries) {
      benchmark::DoNotOptimize(Match(entry, *f.index));
    }
    t = (t + 1) % f.tiles.size();
  }
  state.SetItemsProcessed(state.iterations() * 256);
}
BENCHMARK(BM_TileParseAndMatch);

void BM_MonitorPoll(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  std::unique_ptr<lureguard::testing::HttpTestServer> server =
      *lureguard::testing::HttpTestServer::Start();
  lureguard::testing::FakeCtLog log(*server, "/log/", f.ca);
  for (size_t i = 0; i < kEntries; ++i) {
    log.AddRaw(f.leaves[i], f.extras[i], "");
  }
  lureguard::lists::CurlHttpFetcher fetcher({.allow_private_targets = true});
  std::shared_ptr<const BrandIndex> index(f.index.get(), [](auto*) {});
  int64_t alerts = 0;
  for (auto _ : state) {
    state.PauseTiming();
    lureguard::testing::TempDir dir;
    std::unique_ptr<lureguard::store::Store> store =
        *lureguard::store::OpenSqliteStore(dir.path() + "/lureguard.db");
    lureguard::certs::CtMonitor monitor(
        *store,
        [&fetcher](const lureguard::certs::CtLogConfig& config) {
          return lureguard::certs::NewCtLogClient(config, fetcher, 256);
        },
        [&index] { return index; }, lureguard::SystemClock(),
        lureguard::certs::CtMonitorOptions());
    (void)monitor.Add({.name = "bench", .url = log.url()}, 0);
    state.ResumeTiming();
    absl::StatusOr<lureguard::certs::CtLogState> polled =
        monitor.PollNow("bench");
    if (!polled.ok() || polled->cursor != static_cast<int64_t>(kEntries)) {
      state.SkipWithError("the poll did not read the whole log");
      return;
    }
    alerts = polled->alert_count;
  }
  state.SetItemsProcessed(state.iterations() * kEntries);
  state.counters["alerts"] = static_cast<double>(alerts);
}
BENCHMARK(BM_MonitorPoll)->Unit(benchmark::kMillisecond)->MinTime(2);

}  // namespace

BENCHMARK_MAIN();
