// Several lureguard-server processes sharing login failure counters in one
// Redis (a real redis-server this test starts on a free loopback port):
// guesses spread over replicas add up, and a Redis outage gives the
// configured fail mode, a metric and one log line, then heals on its own.

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "lureguard/v1/login_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/prometheus_text.h"
#include "tests/testing/redis_test_server.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

namespace v1 = ::lureguard::v1;

constexpr char kUser[] = "spread-guesses@example.com";
constexpr char kIp[] = "198.51.100.7";

// One replica: its process, its own data dir and admin key, a login stub.
struct Replica {
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<v1::LoginService::Stub> login;

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + server->token());
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(30));
    return context;
  }

  grpc::Status Report(v1::LoginResult result) const {
    v1::ReportLoginOutcomeRequest request;
    request.set_tenant("idp");
    request.set_username(kUser);
    request.set_client_ip(kIp);
    request.set_result(result);
    v1::ReportLoginOutcomeResponse response;
    return login->ReportLoginOutcome(Context().get(), request, &response);
  }

  v1::CheckLoginResponse Check() const {
    v1::CheckLoginRequest request;
    request.set_tenant("idp");
    request.set_username(kUser);
    request.set_client_ip(kIp);
    v1::CheckLoginResponse response;
    grpc::Status status =
        login->CheckLogin(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  testing::PrometheusSamples Metrics() const {
    const std::string& address = server->metrics_address();
    httplib::Client client("127.0.0.1",
                           std::stoi(address.substr(address.rfind(':') + 1)));
    httplib::Result page = client.Get("/metrics");
    EXPECT_TRUE(page && page->status == 200);
    if (!page) return {};
    absl::StatusOr<testing::PrometheusSamples> samples =
        testing::ParsePrometheusText(page->body);
    EXPECT_TRUE(samples.ok()) << samples.status();
    return samples.value_or(testing::PrometheusSamples{});
  }
};

bool Has(const v1::CheckLoginResponse& response, v1::ReasonCode code) {
  for (const v1::Reason& reason : response.verdict().reasons()) {
    if (reason.code() == code) return true;
  }
  return false;
}

class RedisReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::RedisTestServer>> redis =
        testing::RedisTestServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    // The key every replica hashes usernames under (a Kubernetes Secret in
    // deploy/kubernetes/).
    key_file_ = dir_.path() + "/login.key";
    std::ofstream(key_file_) << std::string(32, 'K');
  }

  // Starts a replica with its own data dir, on the shared Redis.
  void StartReplica(bool fail_open = false) {
    const std::string name = absl::StrCat("replica", replicas_.size());
    const std::string config = dir_.path() + "/" + name + ".textproto";
    std::ofstream(config) << absl::StrCat(
        "counter_store {\n  key_file: \"", key_file_,
        "\"\n  fail_open: ", fail_open ? "true" : "false",
        "\n  reconnect_backoff_max { nanos: 200000000 }\n}\n");
    Replica replica;
    replica.server = std::make_unique<ServerProcess>(
        dir_.path() + "/" + name,
        std::vector<std::string>{"--config", config, "--counter_store",
                                 redis_->url(), "--metrics_listen",
                                 "127.0.0.1:0"});
    ASSERT_TRUE(replica.server->WaitServing());
    replica.login = v1::LoginService::NewStub(replica.server->channel());
    replicas_.push_back(std::move(replica));
  }

  void TearDown() override {
    for (Replica& replica : replicas_) {
      if (replica.login == nullptr) continue;  // the test stopped it
      replica.login.reset();
      replica.server->Stop();
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::RedisTestServer> redis_;
  std::string key_file_;
  std::vector<Replica> replicas_;
};

TEST_F(RedisReplicasTest, FiveFailuresThroughEachOfTwoReplicasBlockTheTenth) {
  StartReplica();
  StartReplica();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(replicas_[0].Report(v1::BAD_PASSWORD).ok());
    ASSERT_TRUE(replicas_[1].Report(v1::BAD_PASSWORD).ok());
  }
  for (const Replica& replica : replicas_) {
    v1::CheckLoginResponse check = replica.Check();
    EXPECT_EQ(check.verdict().action(), v1::BLOCK);
    EXPECT_TRUE(Has(check, v1::LOGIN_BRUTE_FORCE));
    EXPECT_FALSE(check.verdict().degraded());
    ASSERT_GE(check.counters_size(), 1);
    EXPECT_EQ(check.counters(0).name(), "user_ip_failures");
    EXPECT_EQ(check.counters(0).count(), 10);
  }
  // Redis holds only keyed hashes: not the user, not the IP.
  absl::StatusOr<std::string> keys = redis_->Command({"KEYS", "*"});
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->find("spread-guesses"), std::string::npos);
  EXPECT_EQ(keys->find(kIp), std::string::npos);
  for (absl::string_view key : absl::StrSplit(*keys, '\n')) {
    EXPECT_TRUE(absl::StartsWith(key, "lureguard:login:")) << key;
  }
}

TEST_F(RedisReplicasTest, ThreeReplicasCountIntoOneWindow) {
  StartReplica();
  StartReplica();
  StartReplica();
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(replicas_[i % 3].Report(v1::BAD_PASSWORD).ok());
  }
  v1::CheckLoginResponse ninth = replicas_[0].Check();
  EXPECT_NE(ninth.verdict().action(), v1::BLOCK);
  EXPECT_EQ(ninth.counters(0).count(), 9);
  ASSERT_TRUE(replicas_[2].Report(v1::BAD_PASSWORD).ok());
  for (const Replica& replica : replicas_) {
    EXPECT_EQ(replica.Check().verdict().action(), v1::BLOCK);
  }
  // A success through one replica resets the user's counters for all.
  ASSERT_TRUE(replicas_[1].Report(v1::LOGIN_SUCCESS).ok());
  EXPECT_EQ(replicas_[2].Check().verdict().action(), v1::ALLOW);
}

TEST_F(RedisReplicasTest, RedisStoppedFailsClosedThenHealsWithoutARestart) {
  StartReplica(/*fail_open=*/false);
  StartReplica(/*fail_open=*/true);
  ASSERT_TRUE(replicas_[0].Report(v1::BAD_PASSWORD).ok());
  ASSERT_TRUE(redis_->Stop().ok());

  v1::CheckLoginResponse closed = replicas_[0].Check();
  EXPECT_EQ(closed.verdict().action(), v1::BLOCK);
  EXPECT_TRUE(closed.verdict().degraded());
  EXPECT_TRUE(Has(closed, v1::LOGIN_COUNTERS_UNAVAILABLE));
  EXPECT_EQ(closed.counters_size(), 0);

  v1::CheckLoginResponse open = replicas_[1].Check();
  EXPECT_EQ(open.verdict().action(), v1::ALLOW);
  EXPECT_TRUE(open.verdict().degraded());
  EXPECT_TRUE(Has(open, v1::LOGIN_COUNTERS_UNAVAILABLE));

  // Health does not follow Redis: every replica is equally affected.
  EXPECT_EQ(replicas_[0].server->Health(),
            grpc::health::v1::HealthCheckResponse::SERVING);
  grpc::Status report = replicas_[0].Report(v1::BAD_PASSWORD);
  EXPECT_EQ(report.error_code(), grpc::StatusCode::UNAVAILABLE);
  // More failed checks, still one log line for the outage.
  for (int i = 0; i < 5; ++i) replicas_[0].Check();

  testing::PrometheusSamples down = replicas_[0].Metrics();
  EXPECT_EQ(down["lureguard_counter_store_up"], 0);
  EXPECT_GE(down["lureguard_counter_store_errors_total"], 2);

  ASSERT_TRUE(redis_->Restart().ok());
  v1::CheckLoginResponse healed;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  do {
    healed = replicas_[0].Check();
  } while (healed.verdict().degraded() && absl::Now() < deadline);
  EXPECT_FALSE(healed.verdict().degraded());
  EXPECT_EQ(healed.verdict().action(), v1::ALLOW);
  EXPECT_FALSE(Has(healed, v1::LOGIN_COUNTERS_UNAVAILABLE));
  EXPECT_EQ(replicas_[0].Metrics()["lureguard_counter_store_up"], 1);

  replicas_[0].login.reset();
  replicas_[0].server->Stop();
  const std::string log = replicas_[0].server->process().stderr_text();
  auto count = [&](const std::string& needle) {
    int n = 0;
    for (size_t at = log.find(needle); at != std::string::npos;
         at = log.find(needle, at + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count("login counter store unreachable"), 1) << log;
  EXPECT_EQ(count("login counter store reachable again"), 1) << log;
  EXPECT_EQ(log.find("spread-guesses"), std::string::npos);
}

}  // namespace
}  // namespace lureguard
