// Several lureguard-server processes on one PostgreSQL store (issue #17):
// an admin write through one replica reaches the others' snapshots and key
// rings within a second, and the replicas keep serving through a database
// restart. The servers are the real binary on loopback ports; PostgreSQL
// is a throwaway cluster the test starts (a missing PostgreSQL fails it).

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
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
  ServerProcess& StartReplica() {
    dirs_.push_back(std::make_unique<testing::TempDir>());
    const std::string& dir = dirs_.back()->path();
    if (!replicas_.empty()) {
      std::filesystem::copy_file(dirs_.front()->path() + "/admin.token",
                                 dir + "/admin.token");
    }
    replicas_.push_back(std::make_unique<ServerProcess>(
        dir, std::vector<std::string>{"--store", url_}));
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

}  // namespace
}  // namespace lureguard
