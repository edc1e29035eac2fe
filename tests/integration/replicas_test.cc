// Several lureguard-server processes on one PostgreSQL store (issue #17):
// an admin write through one replica reaches the others' snapshots and key
// rings within a second, and the replicas keep serving through a database
// restart. The servers are the real binary on loopback ports; PostgreSQL
// is a throwaway cluster the test starts (a missing PostgreSQL fails it).

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/login_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/postgres_test_server.h"
#include "tests/testing/prometheus_text.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

// What the issue holds replicas to.
constexpr absl::Duration kPropagationBound = absl::Seconds(1);
// How long a poll waits for a change before the test gives up on it; far
// above the bound, so that a slow change is measured rather than lost.
constexpr absl::Duration kGiveUp = absl::Seconds(20);

std::unique_ptr<grpc::ClientContext> ContextWithToken(
    const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

int64_t SnapshotRevision(ServerProcess& server) {
  v1::GetStatusResponse status;
  grpc::Status rpc = server.admin()->GetStatus(Context(server).get(),
                                               v1::GetStatusRequest(), &status);
  return rpc.ok() ? status.snapshot_revision() : -1;
}

// Polls `done` until it holds; returns how long that took, or kGiveUp.
absl::Duration Until(const std::function<bool()>& done) {
  const absl::Time start = absl::Now();
  while (!done()) {
    if (absl::Now() - start > kGiveUp) return kGiveUp;
    absl::SleepFor(absl::Milliseconds(2));  // between polls, not a wait
  }
  return absl::Now() - start;
}

// Clears `running` and joins `threads` when it goes out of scope, so that
// an ASSERT returning early ends the test cleanly (a joinable thread's
// destructor would abort the whole run, leaving its servers behind).
class JoinOnExit {
 public:
  JoinOnExit(std::atomic<bool>& running, std::vector<std::thread>& threads)
      : running_(running), threads_(threads) {}
  ~JoinOnExit() {
    running_ = false;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  std::atomic<bool>& running_;
  std::vector<std::thread>& threads_;
};

// Writes `textproto` (a ServerConfig) into `dir`; returns its path.
std::string WriteConfig(testing::TempDir& dir, const std::string& textproto) {
  const std::string path = dir.path() + "/replica.textproto";
  std::FILE* file = std::fopen(path.c_str(), "w");
  EXPECT_NE(file, nullptr) << path;
  if (file != nullptr) {
    std::fputs(textproto.c_str(), file);
    std::fclose(file);
  }
  return path;
}

class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::PostgresTestServer>> postgres =
        testing::PostgresTestServer::Start();
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = *std::move(postgres);
    ASSERT_TRUE(postgres_->CreateDatabase("lureguard").ok());
    url_ = postgres_->Url("lureguard");
  }

  // Starts a replica with its own data dir on the shared store. Replicas
  // after the first get the first one's admin token: the key is shared,
  // the token file is written only by the start that created the key.
  ServerProcess& StartReplica(std::vector<std::string> flags = {}) {
    dirs_.push_back(std::make_unique<testing::TempDir>());
    const std::string& dir = dirs_.back()->path();
    if (!replicas_.empty()) {
      std::filesystem::copy_file(dirs_.front()->path() + "/admin.token",
                                 dir + "/admin.token");
    }
    flags.insert(flags.end(), {"--store", url_});
    replicas_.push_back(std::make_unique<ServerProcess>(dir, flags));
    EXPECT_TRUE(replicas_.back()->WaitServing());
    return *replicas_.back();
  }

  std::unique_ptr<testing::PostgresTestServer> postgres_;
  std::string url_;
  std::vector<std::unique_ptr<testing::TempDir>> dirs_;
  std::vector<std::unique_ptr<ServerProcess>> replicas_;
};

bool Blocked(ServerProcess& server, const std::string& url) {
  v1::CheckUrlRequest request;
  request.set_url(url);
  v1::CheckUrlResponse response;
  return server.url()
             ->CheckUrl(Context(server).get(), request, &response)
             .ok() &&
         response.verdict().action() == v1::BLOCK;
}

grpc::StatusCode CheckWithKey(ServerProcess& server, const std::string& token) {
  v1::CheckUrlRequest request;
  request.set_url("https://example.com/");
  v1::CheckUrlResponse response;
  return server.url()
      ->CheckUrl(ContextWithToken(token).get(), request, &response)
      .error_code();
}

// 100 admin writes through A (block-list adds, brand adds, key
// revocations, in turn); after each, the time until both B and C show it:
// the entry blocks, the snapshot carries the brand's revision, the
// revoked key is refused.
TEST_F(ReplicasTest, AWriteThroughOneReplicaReachesTheOthersWithinASecond) {
  ServerProcess& a = StartReplica();
  ServerProcess& b = StartReplica();
  ServerProcess& c = StartReplica();
  ServerProcess* others[] = {&b, &c};

  constexpr int kWrites = 100;
  std::vector<double> block_ms, brand_ms, revoke_ms;
  for (int i = 0; i < kWrites; ++i) {
    const std::string name = absl::StrCat("w", i);
    switch (i % 3) {
      case 0: {
        const std::string host = absl::StrCat(name, ".evil-phish.test");
        v1::CreateListEntryRequest request;
        request.set_list(v1::BLOCKLIST);
        request.set_kind(v1::DOMAIN_WITH_SUBDOMAINS);
        request.set_value(host);
        v1::ListEntry entry;
        ASSERT_TRUE(
            a.admin()->CreateListEntry(Context(a).get(), request, &entry).ok());
        absl::Duration worst;
        for (ServerProcess* other : others) {
          worst = std::max(worst, Until([&] {
                             return Blocked(*other,
                                            absl::StrCat("http://", host, "/"));
                           }));
        }
        block_ms.push_back(absl::ToDoubleMilliseconds(worst));
        break;
      }
      case 1: {
        v1::CreateBrandRequest request;
        request.mutable_brand()->set_name(absl::StrCat("Brand", name));
        request.mutable_brand()->add_domains(
            absl::StrCat("brand", name, ".example"));
        v1::Brand brand;
        grpc::Status created =
            a.admin()->CreateBrand(Context(a).get(), request, &brand);
        ASSERT_TRUE(created.ok()) << created.error_message();
        const int64_t revision = SnapshotRevision(a);
        absl::Duration worst;
        for (ServerProcess* other : others) {
          worst = std::max(worst, Until([&] {
                             return SnapshotRevision(*other) >= revision;
                           }));
        }
        brand_ms.push_back(absl::ToDoubleMilliseconds(worst));
        break;
      }
      case 2: {
        v1::CreateApiKeyRequest create;
        create.set_name(absl::StrCat("key-", name));
        create.set_role(v1::VERDICT);
        v1::CreateApiKeyResponse key;
        ASSERT_TRUE(
            a.admin()->CreateApiKey(Context(a).get(), create, &key).ok());
        // Not measured: the key must be known everywhere before it can be
        // seen to go.
        for (ServerProcess* other : others) {
          ASSERT_LT(Until([&] {
                      return CheckWithKey(*other, key.token()) ==
                             grpc::StatusCode::OK;
                    }),
                    kGiveUp);
        }
        v1::RevokeApiKeyRequest revoke;
        revoke.set_name(create.name());
        v1::RevokeApiKeyResponse revoked;
        ASSERT_TRUE(
            a.admin()->RevokeApiKey(Context(a).get(), revoke, &revoked).ok());
        EXPECT_EQ(CheckWithKey(a, key.token()),
                  grpc::StatusCode::UNAUTHENTICATED);
        absl::Duration worst;
        for (ServerProcess* other : others) {
          worst = std::max(worst, Until([&] {
                             return CheckWithKey(*other, key.token()) ==
                                    grpc::StatusCode::UNAUTHENTICATED;
                           }));
        }
        revoke_ms.push_back(absl::ToDoubleMilliseconds(worst));
        break;
      }
    }
  }

  std::vector<double> all;
  for (const auto* kind : {&block_ms, &brand_ms, &revoke_ms}) {
    all.insert(all.end(), kind->begin(), kind->end());
  }
  auto report = [](const char* what, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
      return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
    };
    std::printf(
        "[ measure  ] %s: %zu writes, propagation to B and C ms: p50 %.1f "
        "p90 %.1f p99 %.1f max %.1f\n",
        what, ms.size(), at(0.5), at(0.9), at(0.99), ms.back());
    return ms.back();
  };
  report("block-list adds", block_ms);
  report("brand adds", brand_ms);
  report("key revocations", revoke_ms);
  const double worst = report("all", all);
  EXPECT_EQ(all.size(), size_t{kWrites});
  EXPECT_LE(worst, absl::ToDoubleMilliseconds(kPropagationBound));
}

grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(
    ServerProcess& server, const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(server.channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  if (!stub->Check(&context, request, &response).ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

// The value of `lureguard_store_up` on the replica's /metrics; -1 when it
// cannot be read.
double StoreUp(ServerProcess& server) {
  httplib::Client client("http://" + server.metrics_address());
  client.set_read_timeout(10, 0);
  httplib::Result result = client.Get("/metrics");
  if (!result || result->status != 200) return -1;
  absl::StatusOr<testing::PrometheusSamples> samples =
      testing::ParsePrometheusText(result->body);
  if (!samples.ok() || !samples->contains("lureguard_store_up")) return -1;
  return samples->at("lureguard_store_up");
}

// PostgreSQL stopped (pg_ctl, connections cut) and started again while
// two threads keep checking URLs on both replicas: no check fails or
// changes its answer; the replicas report the outage (the admin service's
// gRPC health NOT_SERVING, the server's SERVING; lureguard_store_up 0),
// refuse admin writes with UNAVAILABLE naming the store, and once the
// database is back report it, take writes again and catch up (each
// replica's snapshot revision moves past the write) without a restart.
TEST_F(ReplicasTest, ReplicasServeThroughADatabaseRestartAndCatchUp) {
  const std::string kAdmin(v1::AdminService::service_full_name());
  using Health = grpc::health::v1::HealthCheckResponse;
  // How soon a replica reports a change of the store's state: its next
  // look (every second), with room for a loaded machine.
  constexpr absl::Duration kReportBound = absl::Seconds(10);
  // The load runs as fast as the replicas answer: past the per-key limit.
  testing::TempDir config_dir;
  const std::string config =
      WriteConfig(config_dir, "rate_limit { requests_per_second: 0 }");
  ServerProcess& a =
      StartReplica({"--metrics_listen", "127.0.0.1:0", "--config", config});
  ServerProcess& b =
      StartReplica({"--metrics_listen", "127.0.0.1:0", "--config", config});
  v1::CreateListEntryRequest request;
  request.set_list(v1::BLOCKLIST);
  request.set_kind(v1::DOMAIN_WITH_SUBDOMAINS);
  request.set_value("before.evil-phish.test");
  v1::ListEntry entry;
  ASSERT_TRUE(
      a.admin()->CreateListEntry(Context(a).get(), request, &entry).ok());
  ASSERT_LT(Until([&] { return Blocked(b, "http://before.evil-phish.test/"); }),
            kGiveUp);
  EXPECT_EQ(HealthOf(a, kAdmin), Health::SERVING);
  EXPECT_EQ(StoreUp(a), 1);

  // The load: every check must answer, BLOCK for the listed host and
  // ALLOW for another, from start to end.
  std::atomic<bool> loading{true};
  std::atomic<int64_t> checks{0};
  std::atomic<int64_t> wrong{0};
  absl::Mutex first_wrong_mu;
  std::string first_wrong;  // the first wrong answer, for the failure
  std::vector<std::thread> load;
  JoinOnExit stop_loading(loading, load);
  for (ServerProcess* replica : {&a, &b}) {
    load.emplace_back([&, replica] {
      auto stub = replica->url();
      while (loading.load()) {
        for (const char* url :
             {"http://before.evil-phish.test/x", "https://www.example.com/"}) {
          v1::CheckUrlRequest check;
          check.set_url(url);
          v1::CheckUrlResponse response;
          grpc::Status status =
              stub->CheckUrl(Context(*replica).get(), check, &response);
          const bool listed = url[7] == 'b';
          if (!status.ok() ||
              (response.verdict().action() == v1::BLOCK) != listed) {
            if (wrong.fetch_add(1) == 0) {
              absl::MutexLock lock(&first_wrong_mu);
              first_wrong = absl::StrCat(
                  url, " at ", absl::FormatTime(absl::Now()), ": code ",
                  status.error_code(), " ", status.error_message(), " action ",
                  response.verdict().action());
            }
          }
          ++checks;
        }
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));  // load before the outage

  ASSERT_TRUE(postgres_->Stop().ok());
  const absl::Time stopped_at = absl::Now();
  const int64_t checks_at_stop = checks.load();
  for (ServerProcess* replica : {&a, &b}) {
    EXPECT_LT(Until([&] {
                return HealthOf(*replica, kAdmin) == Health::NOT_SERVING;
              }),
              kReportBound);
    EXPECT_EQ(HealthOf(*replica, ""), Health::SERVING);
    EXPECT_EQ(StoreUp(*replica), 0);
  }
  const absl::Duration reported_down = absl::Now() - stopped_at;
  request.set_value("down.evil-phish.test");
  const absl::Time write_start = absl::Now();
  grpc::Status down =
      a.admin()->CreateListEntry(Context(a).get(), request, &entry);
  const absl::Duration refused_in = absl::Now() - write_start;
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE)
      << down.error_message();
  EXPECT_THAT(down.error_message(), ::testing::HasSubstr("postgresql://"));
  EXPECT_LT(refused_in, absl::Seconds(5));  // fails fast, not at a timeout
  absl::SleepFor(absl::Seconds(1));  // a second of load during the outage
  const int64_t checks_while_down = checks.load() - checks_at_stop;

  ASSERT_TRUE(postgres_->Restart().ok());
  const absl::Time restarted_at = absl::Now();
  for (ServerProcess* replica : {&a, &b}) {
    EXPECT_LT(
        Until([&] { return HealthOf(*replica, kAdmin) == Health::SERVING; }),
        kReportBound);
    EXPECT_EQ(StoreUp(*replica), 1);
  }
  const absl::Duration reported_up = absl::Now() - restarted_at;
  request.set_value("after.evil-phish.test");
  grpc::Status after =
      a.admin()->CreateListEntry(Context(a).get(), request, &entry);
  ASSERT_TRUE(after.ok()) << after.error_message();
  const int64_t revision = SnapshotRevision(a);
  EXPECT_LT(Until([&] { return SnapshotRevision(b) >= revision; }), kGiveUp);
  const absl::Duration caught_up = absl::Now() - restarted_at;
  EXPECT_TRUE(Blocked(b, "http://after.evil-phish.test/"));
  EXPECT_TRUE(Blocked(b, "http://before.evil-phish.test/"));
  EXPECT_FALSE(Blocked(b, "http://down.evil-phish.test/"));

  loading = false;
  for (std::thread& thread : load) thread.join();
  std::printf(
      "[ measure  ] database restart under load: %lld checks, %lld while "
      "down, %lld failed or wrong; both replicas reported down %.0f ms "
      "after the stop, a write refused in %.1f ms; reported up %.0f ms and "
      "a write through A seen by B %.0f ms after the restart\n",
      static_cast<long long>(checks.load()),
      static_cast<long long>(checks_while_down),
      static_cast<long long>(wrong.load()),
      absl::ToDoubleMilliseconds(reported_down),
      absl::ToDoubleMilliseconds(refused_in),
      absl::ToDoubleMilliseconds(reported_up),
      absl::ToDoubleMilliseconds(caught_up));
  EXPECT_GT(checks_while_down, 0);
  absl::MutexLock lock(&first_wrong_mu);
  EXPECT_EQ(wrong.load(), 0) << "first: " << first_wrong << "; stopped "
                             << stopped_at << ", restarted " << restarted_at;
}

// Streams `file` into the replica's breached-password store.
grpc::Status ImportPasswords(ServerProcess& server, const std::string& file) {
  auto stub = v1::LoginService::NewStub(server.channel());
  auto context = Context(server);
  v1::ImportBreachedPasswordsResponse response;
  auto writer = stub->ImportBreachedPasswords(context.get(), &response);
  v1::ImportBreachedPasswordsRequest chunk;
  chunk.set_chunk(file);
  writer->Write(chunk);
  writer->WritesDone();
  return writer->Finish();
}

// The replica's k-anonymity answer for `prefix`; empty on an error.
std::string PasswordRange(ServerProcess& server, const std::string& prefix) {
  auto stub = v1::LoginService::NewStub(server.channel());
  v1::GetPasswordRangeRequest request;
  request.set_prefix(prefix);
  v1::GetPasswordRangeResponse response;
  if (!stub->GetPasswordRange(Context(server).get(), request, &response).ok()) {
    return "";
  }
  return response.body();
}

// The breached-password file on a path both replicas share (a volume every
// replica mounts): an import through A is answered by B within the
// propagation bound, and an import through B merges into A's.
TEST_F(ReplicasTest, ABreachedPasswordImportThroughOneReplicaReachesTheOther) {
  testing::TempDir shared;  // stands for the shared volume
  testing::TempDir config_dir;
  const std::string config = WriteConfig(
      config_dir, absl::StrCat("login { breached_password_path: \"",
                               shared.path(), "/breached.lgpw\" }"));
  ServerProcess& a = StartReplica({"--config", config});
  ServerProcess& b = StartReplica({"--config", config});
  EXPECT_EQ(
      PasswordRange(b, "5BAA6").find("1E4C9B93F3F0682250B6CF8331B7EE68FD8"),
      std::string::npos);

  grpc::Status imported =
      ImportPasswords(a, "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824\n");
  ASSERT_TRUE(imported.ok()) << imported.error_message();
  const absl::Duration to_b = Until([&] {
    return PasswordRange(b, "5BAA6") ==
           "1E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824";
  });

  imported = ImportPasswords(b, "7C4A8D09CA3762AF61E59520943DC26494F8941B:2\n");
  ASSERT_TRUE(imported.ok()) << imported.error_message();
  const absl::Duration to_a = Until([&] {
    return PasswordRange(a, "7C4A8") == "D09CA3762AF61E59520943DC26494F8941B:2";
  });
  // Merged: A still answers the first import.
  EXPECT_EQ(PasswordRange(a, "5BAA6"),
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824");
  std::printf(
      "[ measure  ] breached-password import visible on the other replica: "
      "A to B %.1f ms, B to A %.1f ms\n",
      absl::ToDoubleMilliseconds(to_b), absl::ToDoubleMilliseconds(to_a));
  EXPECT_LE(to_b, kPropagationBound);
  EXPECT_LE(to_a, kPropagationBound);
}

int64_t BlocklistEntries(ServerProcess& server) {
  v1::GetStatusResponse status;
  grpc::Status rpc = server.admin()->GetStatus(Context(server).get(),
                                               v1::GetStatusRequest(), &status);
  return rpc.ok() ? status.blocklist_entries() : -1;
}

// Feed refreshes run on the replica holding the feed lease. Killed with
// SIGKILL, the other replica takes the lease over when the feed is next
// due and refreshes; meanwhile both keep serving the feed's entries, never
// none and never twice.
TEST_F(ReplicasTest, AKilledFeedRefresherIsTakenOverAndEntriesStayWhole) {
  constexpr int kFeedEntries = 50;
  // The feed's interval (the replicas' feeds.min_interval allows it), and
  // how often a replica without the lease asks for it while work is due
  // (kLeaseRetry in server/lists/feed_manager.cc).
  constexpr absl::Duration kInterval = absl::Seconds(2);
  constexpr absl::Duration kLeaseRetry = absl::Seconds(1);
  // The takeover comes within one interval and one lease retry of the
  // kill; the rest is room for a machine loaded by builds (a loaded
  // replica's next look, its snapshot rebuild).
  const absl::Duration kTakeoverBound =
      kInterval + kLeaseRetry + absl::Seconds(10);
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  std::string body;
  for (int i = 0; i < kFeedEntries; ++i) {
    absl::StrAppend(&body, "https://f", i, ".feed-phish.test/x\n");
  }
  (*http)->SetResponse("/feed.txt", {.body = body});
  testing::TempDir config_dir;
  // Feeds may refresh every kInterval, so the takeover takes seconds.
  const std::string config = WriteConfig(
      config_dir, absl::StrCat("feeds { min_interval { seconds: ",
                               absl::ToInt64Seconds(kInterval), " } }"));
  ServerProcess& a =
      StartReplica({"--allow_private_targets", "--config", config});
  ServerProcess& b =
      StartReplica({"--allow_private_targets", "--config", config});

  v1::CreateFeedRequest create;
  create.mutable_feed()->set_name("shared");
  create.mutable_feed()->set_url((*http)->Url("/feed.txt"));
  create.mutable_feed()->set_format("urls");
  create.mutable_feed()->mutable_interval()->set_seconds(
      absl::ToInt64Seconds(kInterval));
  v1::Feed created;
  grpc::Status status =
      a.admin()->CreateFeed(Context(a).get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_LT(Until([&] { return BlocklistEntries(b) == kFeedEntries; }),
            kGiveUp);

  // Watches both replicas' entry counts until the end of the test.
  std::atomic<bool> watching{true};
  std::atomic<int> a_alive{1};
  std::atomic<int> wrong_counts{0};
  std::atomic<int> observations{0};
  std::vector<std::thread> watcher;
  JoinOnExit stop_watching(watching, watcher);
  watcher.emplace_back([&] {
    while (watching.load()) {
      for (ServerProcess* replica : {&a, &b}) {
        if (replica == &a && a_alive.load() == 0) continue;
        const int64_t entries = BlocklistEntries(*replica);
        if (entries == -1) continue;  // a replica being killed
        ++observations;
        if (entries != kFeedEntries) ++wrong_counts;
      }
      absl::SleepFor(absl::Milliseconds(20));  // between samples
    }
  });

  // The replica that refreshed first took the lease and keeps it (it is
  // held until its session ends). Let it refresh a few times, then kill it.
  ServerProcess* holder = nullptr;
  const absl::Time due_by = absl::Now() + kGiveUp;
  while (holder == nullptr && absl::Now() < due_by) {
    for (ServerProcess* replica : {&a, &b}) {
      absl::StatusOr<std::string> line = replica->process().WaitForStderrLine(
          "\"lease\":\"feed-refresh\"", absl::Milliseconds(50));
      if (line.ok()) {
        holder = replica;
        break;
      }
    }
  }
  ASSERT_NE(holder, nullptr) << "no replica took the feed lease";
  ServerProcess& survivor = holder == &a ? b : a;
  const size_t fetches_at_start = (*http)->requests().size();
  ASSERT_LT(
      Until([&] { return (*http)->requests().size() >= fetches_at_start + 2; }),
      kGiveUp)
      << "the lease holder did not refresh every " << kInterval << ":\n"
      << holder->process().stderr_text();
  const size_t fetches_before = (*http)->requests().size();
  if (holder == &a) a_alive = 0;
  holder->process().Signal(SIGKILL);
  const absl::Time killed = absl::Now();
  holder->process().Wait();

  // The survivor tries the lease when the feed is next due: at once if
  // the holder died before storing its refresh, an interval later if
  // after.
  absl::StatusOr<std::string> taken = survivor.process().WaitForStderrLine(
      "\"lease\":\"feed-refresh\"", kGiveUp);
  ASSERT_TRUE(taken.ok()) << taken.status();
  const absl::Duration takeover = absl::Now() - killed;
  ASSERT_LT(Until([&] { return (*http)->requests().size() > fetches_before; }),
            kGiveUp)
      << "the survivor took the lease but did not fetch the feed";
  // Its refresh is stored: the feed's status shows an attempt after the
  // kill, and no error.
  ASSERT_LT(
      Until([&] {
        v1::ListFeedsResponse feeds;
        return survivor.admin()
                   ->ListFeeds(Context(survivor).get(), v1::ListFeedsRequest(),
                               &feeds)
                   .ok() &&
               feeds.feeds_size() == 1 &&
               absl::FromUnixSeconds(
                   feeds.feeds(0).status().last_attempt_time().seconds()) +
                       absl::Nanoseconds(feeds.feeds(0)
                                             .status()
                                             .last_attempt_time()
                                             .nanos()) >
                   killed &&
               feeds.feeds(0).status().last_error().empty();
      }),
      kGiveUp);
  watching = false;
  watcher.front().join();
  std::printf(
      "[ measure  ] feed lease takeover after SIGKILL of its holder: %.0f ms "
      "(feed interval %s); %d entry-count samples, %d wrong\n",
      absl::ToDoubleMilliseconds(takeover),
      absl::FormatDuration(kInterval).c_str(), observations.load(),
      wrong_counts.load());
  EXPECT_LT(takeover, kTakeoverBound);
  EXPECT_GT(observations.load(), 0);
  EXPECT_EQ(wrong_counts.load(), 0);
  EXPECT_EQ(BlocklistEntries(survivor), kFeedEntries);
}

}  // namespace
}  // namespace lureguard
