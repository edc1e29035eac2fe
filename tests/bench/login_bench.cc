// Login verdicts: CheckLogin latency (p50/p99) in process and over
// loopback gRPC, with the counters in memory and in Redis (a throwaway
// redis-server the benchmark starts on a free loopback port), and
// breached-password lookups on a 10 M-hash store that the benchmark builds
// itself in a temporary directory.
//
//   scripts/bench 'CheckLogin|Breached'
//
// Percentiles come from timing each call; Google Benchmark's own time
// column is the mean.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "grpcpp/grpcpp.h"
#include "lureguard/v1/login_service.grpc.pb.h"
#include "server/common/clock.h"
#include "server/lists/entry_value.h"
#include "server/login/breached_password_import.h"
#include "server/login/breached_passwords.h"
#include "server/login/login_engine.h"
#include "server/login/redis_counter_store.h"
#include "server/login/sliding_window_counters.h"
#include "server/lookalike/brand_index.h"
#include "server/service/login_service.h"
#include "server/verdict/engine.h"
#include "tests/bench/bench_engine.h"
#include "tests/bench/bench_support.h"
#include "tests/testing/redis_test_server.h"

namespace lureguard {
namespace {

using Clock = std::chrono::steady_clock;

// Records one duration per call and reports p50/p99 in microseconds.
std::string TempPath() {
  return (std::filesystem::temp_directory_path() /
          absl::StrCat("lureguard-login-bench-", getpid()))
      .string();
}

// The engine a server on defaults has (default brands, 100 000 list
// entries, a few CIDR ranges), a tenant with a login origin, 100 000
// failures already counted (in `counters`), and a 10 000-hash
// breached-password store.
struct LoginFixture {
  explicit LoginFixture(std::unique_ptr<login::CounterStore> store)
      : verdicts(SystemClock()),
        counters(std::move(store)),
        dir(TempPath() + (counters_are_redis() ? "-redis" : "")) {
    std::filesystem::create_directories(dir);
    std::vector<store::ListEntryRecord> ranges;
    for (int i = 0; i < 64; ++i) {
      store::ListEntryRecord entry;
      entry.kind = store::EntryKind::kIpRange;
      entry.value = absl::StrCat("100.", i, ".0.0/16");
      ranges.push_back(std::move(entry));
    }
    verdicts.Publish(bench::BenchSnapshot(std::move(ranges)));

    login::LoginOptions options;
    options.breached_password_path = dir + "/breached.lgpw";
    options.tenants["idp"].brand = "PayPal";
    options.tenants["idp"].login_hosts = {"www.paypal.com"};
    engine = std::make_unique<login::LoginEngine>(
        verdicts, *counters, *KeyedHasher::Create(std::string(32, 'k')),
        options, nullptr, SystemClock());
    (void)engine->Load();
    login::BreachedPasswordImporter importer({.work_dir = dir});
    std::mt19937_64 random(1);
    for (int i = 0; i < 10000; ++i) {
      (void)importer.Add(absl::StrCat(
          absl::Hex(random(), absl::kZeroPad16),
          absl::Hex(random(), absl::kZeroPad16),
          absl::Hex(random() >> 32, absl::kZeroPad8), ":", i + 1, "\n"));
    }
    (void)engine->ImportBreachedPasswords(importer);
    for (int i = 0; i < 100000; ++i) {
      (void)engine->Report(
          "idp", absl::StrCat("user", i),
          absl::StrCat("10.", i >> 16, ".", (i >> 8) & 255, ".", i & 255),
          login::LoginResult::kBadPassword);
    }
    for (int i = 0; i < 1000; ++i) {
      login::LoginAttempt attempt;
      attempt.tenant = "idp";
      attempt.username = absl::StrCat("user", i * 37);
      attempt.client_ip =
          absl::StrCat("10.0.", (i * 37) >> 8 & 255, ".", (i * 37) & 255);
      attempt.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0";
      attempt.origin =
          i % 10 == 0 ? "https://paypa1-login.com" : "https://www.paypal.com";
      attempt.referer = attempt.origin + "/signin";
      attempt.password_sha1 = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";
      attempts.push_back(std::move(attempt));
    }
    service = std::make_unique<service::LoginServiceImpl>(*engine, nullptr);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                  grpc::InsecureChannelCredentials());
    std::filesystem::remove_all(dir);  // the store stays mapped
  }

  bool counters_are_redis() const {
    return dynamic_cast<login::RedisCounterStore*>(counters.get()) != nullptr;
  }

  verdict::Engine verdicts;
  std::unique_ptr<login::CounterStore> counters;
  std::string dir;
  std::unique_ptr<login::LoginEngine> engine;
  std::vector<login::LoginAttempt> attempts;
  std::unique_ptr<service::LoginServiceImpl> service;
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
};

LoginFixture& GetLoginFixture() {
  static LoginFixture* fixture =
      new LoginFixture(std::make_unique<login::SlidingWindowCounters>(
          login::SlidingWindowCounters::Options{}));
  return *fixture;
}

// The same engine with its counters in a redis-server of its own, reached
// over loopback TCP: one EVALSHA per CheckLogin.
struct RedisLoginFixture {
  RedisLoginFixture() {
    absl::StatusOr<std::unique_ptr<testing::RedisTestServer>> started =
        testing::RedisTestServer::Start();
    if (!started.ok()) {
      std::fprintf(stderr, "login_bench: %s\n",
                   std::string(started.status().message()).c_str());
      std::abort();
    }
    redis = *std::move(started);
    login::RedisCounterStore::Options options;
    options.url = redis->url();
    options.hash_key = std::string(32, 'k');
    login = std::make_unique<LoginFixture>(
        *login::RedisCounterStore::Create(options, SystemClock()));
    absl::StatusOr<std::string> keys = redis->Command({"DBSIZE"});
    absl::StatusOr<std::string> info = redis->Command({"INFO", "memory"});
    if (keys.ok() && info.ok()) {
      redis_keys = std::stod(*keys);
      const size_t at = info->find("used_memory:");
      const size_t dataset = info->find("used_memory_dataset:");
      if (at != std::string::npos) {
        redis_bytes = std::stod(info->substr(at + 12));
      }
      if (dataset != std::string::npos) {
        redis_dataset_bytes = std::stod(info->substr(dataset + 20));
      }
    }
  }

  std::unique_ptr<testing::RedisTestServer> redis;
  std::unique_ptr<LoginFixture> login;
  double redis_keys = 0;
  double redis_bytes = 0;
  double redis_dataset_bytes = 0;
};

RedisLoginFixture& GetRedisLoginFixture() {
  // Destroyed at exit (unlike the other fixtures), which stops its
  // redis-server: an orphan would outlive the benchmark.
  static RedisLoginFixture fixture;
  return fixture;
}

void CheckLoginInProcess(benchmark::State& state, LoginFixture& f) {
  bench::LatencySamples percentiles;
  size_t i = 0;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    auto check = f.engine->Check(f.attempts[i++ % f.attempts.size()]);
    percentiles.Add(Clock::now() - start);
    if (!check.ok() || check->verdict.degraded) {
      state.SkipWithError("a check failed or was degraded");
      break;
    }
    benchmark::DoNotOptimize(check);
  }
  percentiles.Report(state);
}

void BM_CheckLoginInProcess(benchmark::State& state) {
  CheckLoginInProcess(state, GetLoginFixture());
}
BENCHMARK(BM_CheckLoginInProcess);

void BM_CheckLoginInProcessRedis(benchmark::State& state) {
  RedisLoginFixture& f = GetRedisLoginFixture();
  CheckLoginInProcess(state, *f.login);
  // What 100 000 failures (about 300 000 counters) hold in Redis.
  state.counters["redis_keys"] = f.redis_keys;
  state.counters["redis_used_MB"] = f.redis_bytes / 1e6;
  state.counters["redis_dataset_B_per_key"] =
      f.redis_dataset_bytes / std::max(f.redis_keys, 1.0);
}
BENCHMARK(BM_CheckLoginInProcessRedis);

void CheckLoginOverLoopback(benchmark::State& state, LoginFixture& f) {
  auto stub = v1::LoginService::NewStub(f.channel);
  bench::LatencySamples percentiles;
  size_t i = 0;
  for (auto _ : state) {
    const login::LoginAttempt& a = f.attempts[i++ % f.attempts.size()];
    v1::CheckLoginRequest request;
    request.set_tenant(a.tenant);
    request.set_username(a.username);
    request.set_client_ip(a.client_ip);
    request.set_user_agent(a.user_agent);
    request.set_origin(a.origin);
    request.set_referer(a.referer);
    request.set_password_sha1(a.password_sha1);
    const Clock::time_point start = Clock::now();
    grpc::ClientContext context;
    v1::CheckLoginResponse response;
    grpc::Status status = stub->CheckLogin(&context, request, &response);
    percentiles.Add(Clock::now() - start);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
  percentiles.Report(state);
}

void BM_CheckLoginOverLoopback(benchmark::State& state) {
  CheckLoginOverLoopback(state, GetLoginFixture());
}
BENCHMARK(BM_CheckLoginOverLoopback)->UseRealTime();

void BM_CheckLoginOverLoopbackRedis(benchmark::State& state) {
  CheckLoginOverLoopback(state, *GetRedisLoginFixture().login);
}
BENCHMARK(BM_CheckLoginOverLoopbackRedis)->UseRealTime();

// 10 M random hashes, imported through the real importer (64 MiB runs).
struct BreachedFixture {
  BreachedFixture() : dir(TempPath() + "-10m") {
    std::filesystem::create_directories(dir);
    login::BreachedPasswordImporter importer({.work_dir = dir});
    std::mt19937_64 random(2);
    std::string chunk;
    for (int i = 0; i < 10'000'000; ++i) {
      const uint64_t a = random(), b = random(), c = random() >> 32;
      const std::string hex = absl::StrCat(absl::Hex(a, absl::kZeroPad16),
                                           absl::Hex(b, absl::kZeroPad16),
                                           absl::Hex(c, absl::kZeroPad8));
      absl::StrAppend(&chunk, hex, ":", i % 1000 + 1, "\n");
      if (i % 4096 == 0) present.push_back(hex);
      if (chunk.size() > (1 << 20)) {
        (void)importer.Add(chunk);
        chunk.clear();
      }
    }
    (void)importer.Add(chunk);
    const auto start = Clock::now();
    (void)importer.Finish(nullptr, dir + "/breached.lgpw", absl::Now());
    merge_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    store = *login::BreachedPasswordStore::Open(dir + "/breached.lgpw");
    // The mapping keeps the file alive; nothing is left in /tmp.
    std::filesystem::remove_all(dir);
  }

  std::string dir;
  std::vector<std::string> present;  // hex of stored hashes
  double merge_seconds = 0;
  std::unique_ptr<login::BreachedPasswordStore> store;
};

BreachedFixture& GetBreachedFixture() {
  static BreachedFixture* fixture = new BreachedFixture();
  return *fixture;
}

void BM_BreachedLookup10M(benchmark::State& state) {
  BreachedFixture& f = GetBreachedFixture();
  std::vector<login::Sha1> keys;
  std::mt19937_64 random(3);
  for (size_t i = 0; i < f.present.size(); ++i) {
    keys.push_back(*login::ParseSha1Hex(f.present[i]));
    login::Sha1 absent;
    for (auto& byte : absent) byte = static_cast<uint8_t>(random());
    keys.push_back(absent);  // half hits, half misses
  }
  bench::LatencySamples percentiles;
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    hits += f.store->Lookup(keys[i++ % keys.size()]).has_value();
    percentiles.Add(Clock::now() - start);
  }
  percentiles.Report(state);
  state.counters["hashes"] = static_cast<double>(f.store->size());
  state.counters["file_MB"] = f.store->file_bytes() / 1e6;
  state.counters["import_merge_s"] = f.merge_seconds;
  state.counters["hit_rate"] =
      static_cast<double>(hits) / std::max<size_t>(i, 1);
}
BENCHMARK(BM_BreachedLookup10M);

void BM_RangeBody10M(benchmark::State& state) {
  BreachedFixture& f = GetBreachedFixture();
  std::mt19937_64 random(4);
  bench::LatencySamples percentiles;
  size_t i = 0;
  for (auto _ : state) {
    const std::string prefix = f.present[i++ % f.present.size()].substr(0, 5);
    const Clock::time_point start = Clock::now();
    auto body = login::RangeBody(f.store.get(), prefix, state.range(0) != 0,
                                 [&] { return random(); });
    percentiles.Add(Clock::now() - start);
    benchmark::DoNotOptimize(body);
  }
  percentiles.Report(state);
}
BENCHMARK(BM_RangeBody10M)->Arg(0)->Arg(1);

}  // namespace
}  // namespace lureguard

BENCHMARK_MAIN();
