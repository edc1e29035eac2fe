#include "server/service/http_listener.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/raw_http_connection.h"

namespace lureguard::service {
namespace {

using ::lureguard::testing::ParseHttpResponses;
using ::lureguard::testing::RawConnection;
using ::testing::StartsWith;

// A real listener on a free loopback port whose /slow handler waits until
// the test releases it.
class HttpListenerStopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpRouter router;
    router.Get("/slow", [this](const HttpRequest&, HttpResponse& response) {
      entered_.Notify();
      release_.WaitForNotification();
      response.SetContent("done\n", "text/plain");
    });
    HttpListenerOptions options;
    options.listen = "127.0.0.1:0";
    absl::StatusOr<std::unique_ptr<HttpListener>> listener =
        HttpListener::Start(options, std::move(router));
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
    const std::string& address = listener_->address();
    ASSERT_TRUE(
        absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port_));
  }
  void TearDown() override {
    if (!release_.HasBeenNotified()) release_.Notify();
  }

  absl::Notification entered_;
  absl::Notification release_;
  std::unique_ptr<HttpListener> listener_;
  int port_ = 0;
};

TEST_F(HttpListenerStopTest,
       AnswersTheRequestInFlightAndDropsWaitingOnesAtOnce) {
  RawConnection idle("127.0.0.1", port_);
  RawConnection slow_header("127.0.0.1", port_);
  ASSERT_TRUE(slow_header.Send("GET /slow HTTP/1.1\r\nX-Half: "));
  RawConnection busy("127.0.0.1", port_);
  ASSERT_TRUE(busy.Send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"));
  entered_.WaitForNotification();

  const absl::Time start = absl::Now();
  std::thread stopper(
      [this, start] { listener_->Stop(start + absl::Seconds(10)); });
  // The connections waiting for a request go at once...
  bool closed = false;
  idle.Read(start + absl::Seconds(2), &closed);
  EXPECT_TRUE(closed);
  slow_header.Read(start + absl::Seconds(2), &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  // ... and no newcomer is served: refused, or closed unanswered.
  RawConnection late("127.0.0.1", port_);
  if (late.connected()) {
    late.Send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(late.Read(absl::Now() + absl::Seconds(2), &closed), "");
    EXPECT_TRUE(closed);
  }

  // The request being handled still gets its answer, and the end.
  release_.Notify();
  const std::string wire = busy.Read(start + absl::Seconds(5), &closed);
  EXPECT_TRUE(closed);
  // (With "Connection: close" when the stop reached the connection before
  // the answer did; the stopping thread may lag the test's.)
  EXPECT_THAT(wire, StartsWith("HTTP/1.1 200 OK"));
  ASSERT_EQ(ParseHttpResponses(wire).size(), 1u);
  EXPECT_EQ(ParseHttpResponses(wire)[0].body, "done\n");
  stopper.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST_F(HttpListenerStopTest, ARequestPastTheGraceLosesItsConnection) {
  RawConnection busy("127.0.0.1", port_);
  ASSERT_TRUE(busy.Send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"));
  entered_.WaitForNotification();
  const absl::Time start = absl::Now();
  std::thread stopper(
      [this, start] { listener_->Stop(start + absl::Milliseconds(300)); });
  bool closed = false;
  const std::string wire = busy.Read(start + absl::Seconds(5), &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(wire, "");
  const absl::Duration waited = absl::Now() - start;
  EXPECT_GE(waited, absl::Milliseconds(250));
  EXPECT_LT(waited, absl::Seconds(2));
  // Stop waits for the handler itself (it may use what its owner frees).
  release_.Notify();
  stopper.join();
}

}  // namespace
}  // namespace lureguard::service
