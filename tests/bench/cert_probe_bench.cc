// Certificate work per check: feature extraction from one certificate, the
// CERT_* reasons of a probe, and the latency of a whole TLS probe (resolve,
// guard, connect, handshake, verification, features) against a loopback
// TLS server presenting a test-CA certificate. Probe latency is reported
// as p50/p99 counters (microseconds); loopback has no network delay, so
// this is the prober's own CPU and handshake cost, the floor under any
// real probe.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "server/certs/cert_features.h"
#include "server/certs/openssl_tls_prober.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/verdict/cert_reasons.h"
#include "tests/bench/bench_support.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_certs.h"
#include "tests/testing/tls_test_server.h"

namespace lureguard {
namespace {

std::vector<std::string> Sans(int n) {
  std::vector<std::string> sans = {"paypa1-login.com"};
  for (int i = 1; i < n; ++i) {
    sans.push_back("host" + std::to_string(i) + ".example-shop.com");
  }
  return sans;
}

void BM_ExtractCertFeatures(benchmark::State& state) {
  testing::TestCa ca = testing::TestCa::Create("Bench CA");
  testing::TestCert leaf =
      ca.Issue({.cn = "paypa1-login.com", .dns_sans = Sans(state.range(0))});
  for (auto _ : state) {
    absl::StatusOr<certs::CertFeatures> f =
        certs::ExtractCertFeaturesFromDer(leaf.der);
    benchmark::DoNotOptimize(f);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExtractCertFeatures)->Arg(3)->Arg(100);

void BM_CertReasons(benchmark::State& state) {
  static const lookalike::BrandIndex* brands = new lookalike::BrandIndex(
      *lookalike::BrandIndex::Build(lookalike::DefaultBrands()));
  certs::CertProbe probe;
  probe.target = {"paypa1-login.com", 443};
  probe.leaf.dns_names = Sans(state.range(0));
  probe.leaf.not_before = absl::Now() - absl::Hours(24);
  probe.leaf.not_after = absl::Now() + absl::Hours(24 * 90);
  probe.chain_trusted = true;
  probe.hostname_matches = true;
  const absl::Time now = absl::Now();
  for (auto _ : state) {
    std::vector<verdict::Reason> reasons =
        verdict::CertReasons(probe, brands, "", now);
    benchmark::DoNotOptimize(reasons);
  }
}
BENCHMARK(BM_CertReasons)->Arg(3)->Arg(100);

void BM_ProbeLoopback(benchmark::State& state) {
  testing::TempDir dir;
  testing::TestCa ca = testing::TestCa::Create("Bench CA");
  const std::string ca_file = dir.path() + "/ca.pem";
  std::ofstream(ca_file) << ca.cert_pem();
  testing::TestCert leaf =
      ca.Issue({.cn = "127.0.0.1", .dns_sans = {"paypa1-login.com"}});
  auto server = testing::TlsTestServer::Start(
      {.cert_chain_pem = leaf.cert_pem, .key_pem = leaf.key_pem});
  certs::OpenSslTlsProberOptions options;
  options.target_policy.allow_private_targets = true;
  options.use_system_store = false;
  options.extra_ca_file = ca_file;
  auto prober = certs::OpenSslTlsProber::Create(options);
  if (!server.ok() || !prober.ok()) {
    state.SkipWithError("cannot start the loopback TLS server or prober");
    return;
  }
  bench::LatencySamples latency;
  for (auto _ : state) {
    absl::StatusOr<certs::CertProbe> probe =
        (*prober)->Probe({"127.0.0.1", (*server)->port()});
    if (!probe.ok()) {
      state.SkipWithError(std::string(probe.status().message()).c_str());
      return;
    }
    latency.Add(absl::ToChronoNanoseconds(probe->latency));
  }
  latency.Report(state);
}
BENCHMARK(BM_ProbeLoopback)->Unit(benchmark::kMicrosecond)->Iterations(500);

}  // namespace
}  // namespace lureguard

BENCHMARK_MAIN();
