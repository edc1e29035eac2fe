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
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/postgres_test_server.h"
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

// PostgreSQL restarted under load: the replicas keep answering verdicts
// from their snapshots while it is down, refuse writes with UNAVAILABLE,
// and take writes and propagate them again once it is back.
TEST_F(ReplicasTest, ReplicasServeThroughADatabaseRestartAndCatchUp) {
  ServerProcess& a = StartReplica();
  ServerProcess& b = StartReplica();
  v1::CreateListEntryRequest request;
  request.set_list(v1::BLOCKLIST);
  request.set_kind(v1::DOMAIN_WITH_SUBDOMAINS);
  request.set_value("before.evil-phish.test");
  v1::ListEntry entry;
  ASSERT_TRUE(
      a.admin()->CreateListEntry(Context(a).get(), request, &entry).ok());
  ASSERT_LT(Until([&] { return Blocked(b, "http://before.evil-phish.test/"); }),
            kGiveUp);

  ASSERT_TRUE(postgres_->Stop().ok());
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(Blocked(a, "http://before.evil-phish.test/"));
    EXPECT_TRUE(Blocked(b, "http://before.evil-phish.test/"));
  }
  request.set_value("down.evil-phish.test");
  grpc::Status down =
      a.admin()->CreateListEntry(Context(a).get(), request, &entry);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE)
      << down.error_message();

  ASSERT_TRUE(postgres_->Restart().ok());
  request.set_value("after.evil-phish.test");
  grpc::Status after =
      a.admin()->CreateListEntry(Context(a).get(), request, &entry);
  ASSERT_TRUE(after.ok()) << after.error_message();
  EXPECT_LT(Until([&] { return Blocked(b, "http://after.evil-phish.test/"); }),
            kGiveUp);
  EXPECT_TRUE(Blocked(b, "http://before.evil-phish.test/"));
  EXPECT_FALSE(Blocked(b, "http://down.evil-phish.test/"));
}

int64_t BlocklistEntries(ServerProcess& server) {
  v1::GetStatusResponse status;
  grpc::Status rpc = server.admin()->GetStatus(Context(server).get(),
                                               v1::GetStatusRequest(), &status);
  return rpc.ok() ? status.blocklist_entries() : -1;
}

// Feed refreshes run on the replica holding the feed lease. Killed with
// SIGKILL as it takes the lease to refresh, the other replica takes over
// and refreshes; meanwhile both keep serving the feed's entries, never
// none and never twice.
TEST_F(ReplicasTest, AKilledFeedRefresherIsTakenOverAndEntriesStayWhole) {
  constexpr int kFeedEntries = 50;
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  std::string body;
  for (int i = 0; i < kFeedEntries; ++i) {
    absl::StrAppend(&body, "https://f", i, ".feed-phish.test/x\n");
  }
  (*http)->SetResponse("/feed.txt", {.body = body});
  ServerProcess& a = StartReplica({"--allow_private_targets"});
  ServerProcess& b = StartReplica({"--allow_private_targets"});

  v1::CreateFeedRequest create;
  create.mutable_feed()->set_name("shared");
  create.mutable_feed()->set_url((*http)->Url("/feed.txt"));
  create.mutable_feed()->set_format("urls");
  create.mutable_feed()->mutable_interval()->set_seconds(60);  // the minimum
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
  std::thread watcher([&] {
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

  // The first scheduled refresh, a minute after the feed's creation: one
  // replica takes the lease for it. Kill that one at once.
  ServerProcess* holder = nullptr;
  const absl::Time due_by = absl::Now() + absl::Seconds(120);
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
  const size_t fetches_before = (*http)->requests().size();
  if (holder == &a) a_alive = 0;
  holder->process().Signal(SIGKILL);
  const absl::Time killed = absl::Now();
  holder->process().Wait();

  // The survivor tries the lease when the feed is next due: at once if
  // the holder died before storing its refresh, a feed interval later if
  // after.
  constexpr absl::Duration kInterval = absl::Seconds(60);
  absl::StatusOr<std::string> taken = survivor.process().WaitForStderrLine(
      "\"lease\":\"feed-refresh\"", kInterval + absl::Seconds(30));
  ASSERT_TRUE(taken.ok()) << taken.status();
  const absl::Duration takeover = absl::Now() - killed;
  const absl::Time fetch_by = absl::Now() + absl::Seconds(30);
  while ((*http)->requests().size() <= fetches_before &&
         absl::Now() < fetch_by) {
    absl::SleepFor(absl::Milliseconds(10));  // between polls
  }
  EXPECT_GT((*http)->requests().size(), fetches_before);
  v1::ListFeedsResponse feeds;
  ASSERT_TRUE(
      survivor.admin()
          ->ListFeeds(Context(survivor).get(), v1::ListFeedsRequest(), &feeds)
          .ok());
  ASSERT_EQ(feeds.feeds_size(), 1);
  EXPECT_GE(feeds.feeds(0).status().last_attempt_time().seconds(),
            absl::ToUnixSeconds(killed) - 1);
  EXPECT_EQ(feeds.feeds(0).status().last_error(), "");
  watching = false;
  watcher.join();
  std::printf(
      "[ measure  ] feed lease takeover after SIGKILL of its holder: %.0f ms; "
      "%d entry-count samples, %d wrong\n",
      absl::ToDoubleMilliseconds(takeover), observations.load(),
      wrong_counts.load());
  // Within one feed interval, plus the lease retry and this machine's slack.
  EXPECT_LT(takeover, kInterval + absl::Seconds(5));
  EXPECT_GT(observations.load(), 0);
  EXPECT_EQ(wrong_counts.load(), 0);
  EXPECT_EQ(BlocklistEntries(survivor), kFeedEntries);
}

}  // namespace
}  // namespace lureguard
