// CheckUrl end to end: in process through the engine, and over loopback gRPC
// against an in-process server, next to an empty unary call (the health
// check) measured in the same run, so the ratio DESIGN.md §6 asks about
// (CheckUrl >= 70 % of the empty call's QPS) is visible.
//
//   scripts/bench check_url

#include <malloc.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "server/common/clock.h"
#include "server/lists/entry_value.h"
#include "server/lookalike/brand_index.h"
#include "server/service/url_service.h"
#include "server/verdict/engine.h"
#include "tests/bench/bench_engine.h"

namespace lureguard {
namespace {

constexpr size_t kUrlCount = 10000;

// Real phishing URLs when the data set is present, synthetic ones otherwise.
std::vector<std::string> LoadUrls(size_t count = kUrlCount) {
  std::vector<std::string> urls;
  std::ifstream file(std::string(LUREGUARD_DATA_DIR) + "/phishing-urls.txt");
  std::string line;
  while (urls.size() < count && std::getline(file, line)) {
    if (!line.empty()) urls.push_back(line);
  }
  for (size_t i = 0; urls.size() < count; ++i) {
    urls.push_back(absl::StrCat("https://login-", i, ".example-", i % 97,
                                ".test/account/verify?id=", i));
  }
  return urls;
}

struct Fixture {
  explicit Fixture(size_t url_count = kUrlCount)
      : urls(LoadUrls(url_count)), engine(SystemClock()) {
    engine.Publish(bench::BenchSnapshotBlockingATenth(urls));
    v1::Limits limits;
    limits.set_max_url_length(8192);
    limits.set_max_batch_size(1000);
    service = std::make_unique<service::UrlServiceImpl>(engine, limits,
                                                        /*authorizer=*/nullptr);
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                  grpc::InsecureChannelCredentials());
  }
  ~Fixture() { server->Shutdown(); }

  std::vector<std::string> urls;
  verdict::Engine engine;
  std::unique_ptr<service::UrlServiceImpl> service;
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
};

Fixture& GetFixture() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

void BM_CheckUrlInProcess(benchmark::State& state) {
  Fixture& f = GetFixture();
  size_t i = 0;
  for (auto _ : state) {
    auto check = f.engine.CheckUrl(f.urls[i++ % f.urls.size()], "");
    benchmark::DoNotOptimize(check);
  }
  state.SetItemsProcessed(state.iterations());
  const verdict::Engine::LookalikeReasonCache::Stats cache =
      f.engine.LookalikeCacheStats();
  state.counters["lookalike_cache_hit_rate"] =
      static_cast<double>(cache.hits) /
      std::max<int64_t>(1, cache.hits + cache.misses);
}
BENCHMARK(BM_CheckUrlInProcess);

void BM_EmptyUnaryOverLoopback(benchmark::State& state) {
  Fixture& f = GetFixture();
  auto stub = grpc::health::v1::Health::NewStub(f.channel);
  grpc::health::v1::HealthCheckRequest request;
  for (auto _ : state) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EmptyUnaryOverLoopback)->UseRealTime()->Threads(1)->Threads(4);

void BM_CheckUrlOverLoopback(benchmark::State& state) {
  Fixture& f = GetFixture();
  auto stub = v1::UrlService::NewStub(f.channel);
  size_t i = state.thread_index() * 997;
  v1::CheckUrlRequest request;
  for (auto _ : state) {
    request.set_url(f.urls[i++ % f.urls.size()]);
    grpc::ClientContext context;
    v1::CheckUrlResponse response;
    grpc::Status status = stub->CheckUrl(&context, request, &response);
    if (!status.ok() && status.error_code() != grpc::INVALID_ARGUMENT) {
      state.SkipWithError(status.error_message().c_str());
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckUrlOverLoopback)->UseRealTime()->Threads(1)->Threads(4);

// The heap the caches of checks hold when full: verdict::kCachedUrlChecks
// distinct URLs, each asked about twice over gRPC (a check is kept from
// its second time), against a fresh server. Counts what stays allocated
// (mallinfo2): the engine's checks with their analyses, the service's
// encoded answers and the lookalike reasons of their hosts.
void BM_FullCheckCachesHeap(benchmark::State& state) {
  for (auto _ : state) {
    Fixture f(verdict::kCachedUrlChecks);
    auto stub = v1::UrlService::NewStub(f.channel);
    auto check = [&](const std::string& url) {
      v1::CheckUrlRequest request;
      request.set_url(url);
      grpc::ClientContext context;
      v1::CheckUrlResponse response;
      return stub->CheckUrl(&context, request, &response);
    };
    check(f.urls.front());  // the channel and the server's first call
    const size_t before = mallinfo2().uordblks;
    int64_t refused = 0;
    size_t after_first_pass = 0;
    for (int pass = 0; pass < 2; ++pass) {
      for (const std::string& url : f.urls) {
        if (!check(url).ok()) ++refused;
      }
      if (pass == 0) after_first_pass = mallinfo2().uordblks;
    }
    const size_t after = mallinfo2().uordblks;
    // The first pass fills the caches of per-host facts (public suffixes,
    // lookalike reasons); the second, the checks and their answers.
    state.counters["host_caches_MiB"] =
        static_cast<double>(after_first_pass - before) / (1024 * 1024);
    const double kept = static_cast<double>(f.urls.size() - refused / 2);
    state.counters["checks_kept"] = kept;
    state.counters["heap_MiB"] =
        static_cast<double>(after - before) / (1024 * 1024);
    state.counters["bytes_per_check"] =
        static_cast<double>(after - before) / kept;
  }
}
BENCHMARK(BM_FullCheckCachesHeap)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace lureguard

BENCHMARK_MAIN();
