// The cost the metrics add to every call: recording a finished gRPC call
// (counter + histogram, found without a lock), a verdict with two reasons,
// an HTTP request, and a scrape of the whole exposition.
//
//   scripts/bench metrics   or   build/tests/bench/metrics_bench

#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "lureguard/v1/url_service.pb.h"
#include "server/service/metrics.h"

namespace lureguard::service {
namespace {

ServerMetrics& Metrics() {
  // Links the UrlService descriptor, as the server does.
  static const void* const link = v1::CheckUrlRequest::descriptor();
  (void)link;
  static ServerMetrics* metrics = new ServerMetrics(
      GrpcMethodsOf({"lureguard.v1.UrlService", "lureguard.v1.AdminService"}));
  return *metrics;
}

void BM_RecordRpc(benchmark::State& state) {
  ServerMetrics& metrics = Metrics();
  for (auto _ : state) {
    metrics.RecordRpc("/lureguard.v1.UrlService/CheckUrl", 0,
                      absl::Microseconds(150));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordRpc)->Threads(1)->Threads(4);

void BM_RecordVerdict(benchmark::State& state) {
  ServerMetrics& metrics = Metrics();
  verdict::Verdict verdict;
  verdict.action = verdict::Action::kBlock;
  verdict.reasons.push_back({.code = verdict::ReasonCode::kBlocklistMatch});
  verdict.reasons.push_back({.code = verdict::ReasonCode::kLookalikeTypo});
  for (auto _ : state) metrics.RecordVerdict(verdict);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordVerdict)->Threads(1)->Threads(4);

void BM_RecordHttp(benchmark::State& state) {
  ServerMetrics& metrics = Metrics();
  for (auto _ : state) {
    metrics.RecordHttp(HttpRoute::kAuthz, 403, absl::Microseconds(90));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordHttp);

void BM_Exposition(benchmark::State& state) {
  ServerMetrics& metrics = Metrics();
  for (int code = 0; code < 17; ++code) {
    metrics.RecordRpc("/lureguard.v1.UrlService/CheckUrl", code,
                      absl::Microseconds(100));
  }
  for (auto _ : state) benchmark::DoNotOptimize(metrics.Exposition());
}
BENCHMARK(BM_Exposition);

}  // namespace
}  // namespace lureguard::service

BENCHMARK_MAIN();
