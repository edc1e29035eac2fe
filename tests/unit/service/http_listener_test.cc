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

// A listener with short deadlines, a large answer and a body sink.
class HttpListenerDeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpRouter router;
    router.Get("/large", [](const HttpRequest&, HttpResponse& response) {
      response.SetContent(std::string(32 << 20, 'x'), "text/plain");
    });
    router.Post("/sink", [](const HttpRequest& request,
                            HttpResponse& response) {
      response.SetContent(std::to_string(request.body.size()), "text/plain");
    });
    router.Get("/small", [](const HttpRequest&, HttpResponse& response) {
      response.SetContent("ok", "text/plain");
    });
    HttpListenerOptions options;
    options.listen = "127.0.0.1:0";
    options.limits.body_timeout = absl::Milliseconds(500);
    options.limits.write_timeout = absl::Milliseconds(500);
    options.limits.idle_timeout = absl::Milliseconds(500);
    options.stats = &stats_;
    absl::StatusOr<std::unique_ptr<HttpListener>> listener =
        HttpListener::Start(options, std::move(router));
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
    const std::string& address = listener_->address();
    ASSERT_TRUE(
        absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port_));
  }

  // Polls the stats until `timeouts()` reaches `want` or 5 s pass.
  bool AwaitTimeouts(HttpConnectionStats::Timeout phase, double want) {
    const absl::Time end = absl::Now() + absl::Seconds(5);
    while (absl::Now() < end) {
      for (const prometheus::MetricFamily& family : stats_.Families()) {
        if (family.name != "lureguard_http_timeouts_total") continue;
        if (family.metric[static_cast<int>(phase)].counter.value >= want) {
          return true;
        }
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }

  HttpConnectionStats stats_;
  std::unique_ptr<HttpListener> listener_;
  int port_ = 0;
};

TEST_F(HttpListenerDeadlineTest, ABodyTrickledPastItsDeadlineIsCut) {
  const absl::Time start = absl::Now();
  RawConnection client("127.0.0.1", port_);
  ASSERT_TRUE(client.Send(
      "POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nab"));
  bool closed = false;
  while (!closed && absl::Now() - start < absl::Seconds(5)) {
    client.Read(absl::Now() + absl::Milliseconds(100), &closed);
    if (!closed) client.Send("c");
  }
  EXPECT_TRUE(closed);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(450));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_TRUE(AwaitTimeouts(HttpConnectionStats::Timeout::kBody, 1));
}

TEST_F(HttpListenerDeadlineTest, AnAnswerTheClientDoesNotTakeIsCut) {
  RawConnection client("127.0.0.1", port_);
  ASSERT_TRUE(client.Send("GET /large HTTP/1.1\r\nHost: a\r\n\r\n"));
  // The client reads nothing until the server gives up writing.
  EXPECT_TRUE(AwaitTimeouts(HttpConnectionStats::Timeout::kWrite, 1));
  bool closed = false;
  const std::string wire =
      client.Read(absl::Now() + absl::Seconds(10), &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(wire.size(), size_t{32} << 20);
}

TEST_F(HttpListenerDeadlineTest, AnIdleKeepAliveConnectionIsClosed) {
  RawConnection client("127.0.0.1", port_);
  ASSERT_TRUE(client.Send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n"));
  const absl::Time answered_by = absl::Now() + absl::Seconds(5);
  EXPECT_THAT(client.Read(answered_by, nullptr,
                          [](const std::string& s) {
                            return ParseHttpResponses(s).size() == 1;
                          }),
              StartsWith("HTTP/1.1 200"));
  const absl::Time idle_from = absl::Now();
  bool closed = false;
  client.Read(idle_from + absl::Seconds(5), &closed);
  EXPECT_TRUE(closed);
  EXPECT_GE(absl::Now() - idle_from, absl::Milliseconds(400));
  EXPECT_LT(absl::Now() - idle_from, absl::Seconds(2));
  EXPECT_TRUE(AwaitTimeouts(HttpConnectionStats::Timeout::kIdle, 1));
}

}  // namespace
}  // namespace lureguard::service
