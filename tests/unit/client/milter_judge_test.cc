#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "client/milter/judge.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace lureguard::milter {
namespace {

// Echoes the message back with an ALLOW verdict once `release` is
// notified (at once when it already is), after checking the key.
class FakeLinkService final : public v1::LinkService::Service {
 public:
  grpc::Status RewriteMessage(grpc::ServerContext* context,
                              const v1::RewriteMessageRequest* request,
                              v1::RewriteMessageResponse* response) override {
    {
      absl::MutexLock lock(&mu_);
      if (!entered.HasBeenNotified()) entered.Notify();
    }
    while (!release.HasBeenNotified() && !context->IsCancelled()) {
      release.WaitForNotificationWithTimeout(absl::Milliseconds(10));
    }
    auto auth = context->client_metadata().find("authorization");
    if (auth == context->client_metadata().end() ||
        auth->second != "Bearer key-1") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "bad key");
    }
    response->set_message(request->message());
    response->mutable_verdict()->set_action(v1::ALLOW);
    return grpc::Status::OK;
  }
  absl::Notification entered;
  absl::Notification release;

 private:
  absl::Mutex mu_;
};

class GrpcMessageJudgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    address_ = "127.0.0.1:" + std::to_string(port);
  }
  void TearDown() override {
    Release();
    server_->Shutdown();
  }

  std::unique_ptr<GrpcMessageJudge> Judge(const std::string& address,
                                          absl::Duration deadline,
                                          int max_in_flight,
                                          const std::string& key = "key-1") {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        MakeServerChannel(address, v1::MilterTlsConfig());
    EXPECT_TRUE(channel.ok());
    return std::make_unique<GrpcMessageJudge>(*channel, key, deadline,
                                              max_in_flight, &metrics_);
  }

  void Release() {
    if (!service_.release.HasBeenNotified()) service_.release.Notify();
  }

  static v1::RewriteMessageRequest Request() {
    v1::RewriteMessageRequest request;
    request.set_message("Subject: x\r\n\r\nbody\r\n");
    return request;
  }

  FakeLinkService service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  MilterMetrics metrics_;
};

TEST_F(GrpcMessageJudgeTest, SendsTheKeyAndReturnsTheAnswer) {
  Release();
  JudgeResult result =
      Judge(address_, absl::Seconds(10), 4)->Rewrite(Request());
  ASSERT_TRUE(result.response.ok()) << result.response.status();
  EXPECT_EQ(result.response->message(), "Subject: x\r\n\r\nbody\r\n");
  EXPECT_GT(result.rpc_time, absl::ZeroDuration());
}

TEST_F(GrpcMessageJudgeTest, WrongKeyIsAnError) {
  Release();
  JudgeResult result =
      Judge(address_, absl::Seconds(10), 4, "other")->Rewrite(Request());
  EXPECT_EQ(result.response.status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(result.failure, FailureKind::kError);
}

TEST_F(GrpcMessageJudgeTest, CallOverMaxInFlightFailsAtOnce) {
  std::unique_ptr<GrpcMessageJudge> judge =
      Judge(address_, absl::Seconds(30), 1);
  JudgeResult first;
  std::thread slow([&] { first = judge->Rewrite(Request()); });
  service_.entered.WaitForNotification();
  const absl::Time start = absl::Now();
  JudgeResult second = judge->Rewrite(Request());
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(second.failure, FailureKind::kOverloaded);
  EXPECT_EQ(second.response.status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(second.response.status().message(),
            "max_in_flight: 1 calls already running");
  EXPECT_NE(metrics_.Exposition().find("lureguard_milter_rpcs_in_flight 1"),
            std::string::npos);
  Release();
  slow.join();
  EXPECT_TRUE(first.response.ok()) << first.response.status();
  // The slot is free again.
  EXPECT_TRUE(judge->Rewrite(Request()).response.ok());
}

TEST_F(GrpcMessageJudgeTest, SlowServerIsADeadlineFailure) {
  JudgeResult result =
      Judge(address_, absl::Milliseconds(200), 4)->Rewrite(Request());
  EXPECT_EQ(result.failure, FailureKind::kDeadline);
  EXPECT_EQ(result.response.status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(GrpcMessageJudgeTest, NoServerIsUnavailable) {
  server_->Shutdown();
  JudgeResult result = Judge(address_, absl::Seconds(5), 4)->Rewrite(Request());
  EXPECT_EQ(result.failure, FailureKind::kUnavailable);
}

}  // namespace
}  // namespace lureguard::milter
