// End to end: the HTTP front of the real lureguard-server binary under the
// clients it is built for: slow headers, idle connections, pipelines,
// oversize requests, and a SIGTERM with slow clients connected.
//
// Attackers connect from their own loopback addresses (127.0.0.2 and up,
// bound before connect) so the per-address limit meets them as it would
// on a network; the legitimate client is 127.0.0.1.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "lureguard/v1/link_service.grpc.pb.h"
#include "tests/integration/gateway_server.h"
#include "tests/testing/prometheus_text.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

using testing::GatewayServer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// One TCP connection from a chosen loopback source address, with plain
// blocking sends and reads bounded by a deadline.
class RawConnection {
 public:
  RawConnection(const std::string& source, int port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
        connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) !=
            0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  bool Send(absl::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until the peer closes, `done(bytes so far)` says so, or the
  // deadline. `closed` tells whether the peer closed (EOF or reset).
  std::string Read(
      absl::Time deadline, bool* closed = nullptr,
      const std::function<bool(const std::string&)>& done = nullptr) {
    std::string data;
    if (closed != nullptr) *closed = false;
    while (true) {
      if (done != nullptr && done(data)) return data;
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) return data;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1) <=
          0) {
        continue;
      }
      char buffer[16384];
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        if (closed != nullptr) *closed = true;
        return data;
      }
      data.append(buffer, static_cast<size_t>(n));
    }
  }

 private:
  int fd_ = -1;
};

// Complete HTTP/1.1 responses (Content-Length framed) at the start of
// `wire`, each as its status code and X-Request-Id.
struct ParsedResponse {
  int status = 0;
  std::string request_id;
  std::string body;
};
std::vector<ParsedResponse> ParseResponses(absl::string_view wire) {
  std::vector<ParsedResponse> responses;
  while (true) {
    const size_t end = wire.find("\r\n\r\n");
    if (end == absl::string_view::npos) break;
    ParsedResponse response;
    size_t length = 0;
    std::vector<absl::string_view> lines =
        absl::StrSplit(wire.substr(0, end), "\r\n");
    if (lines.empty() || lines[0].size() < 12) break;
    if (!absl::SimpleAtoi(lines[0].substr(9, 3), &response.status)) break;
    for (absl::string_view line : lines) {
      if (absl::StartsWithIgnoreCase(line, "Content-Length: ")) {
        absl::SimpleAtoi(line.substr(16), &length);
      }
      if (absl::StartsWithIgnoreCase(line, "X-Request-Id: ")) {
        response.request_id = std::string(line.substr(14));
      }
    }
    if (wire.size() < end + 4 + length) break;
    response.body = std::string(wire.substr(end + 4, length));
    responses.push_back(std::move(response));
    wire.remove_prefix(end + 4 + length);
  }
  return responses;
}

std::string WriteConfig(const testing::TempDir& dir, const std::string& text) {
  const std::string path = dir.path() + "/lureguard.textproto";
  std::ofstream(path) << text;
  return path;
}

absl::Duration Percentile(std::vector<absl::Duration> samples, double p) {
  std::sort(samples.begin(), samples.end());
  if (samples.empty()) return absl::ZeroDuration();
  const size_t index = std::min(
      samples.size() - 1, static_cast<size_t>(p * (samples.size() - 1) + 0.5));
  return samples[index];
}

// Slow-header and idle attackers, kept connected by one thread: a slow
// one sends a byte of a never-ending header every `trickle`; whichever the
// server closes (deadline, shed) connects again at once, as a real
// attacker's script would.
class Attack {
 public:
  struct Group {
    std::string source;  // 127.0.0.N
    int connections;
    bool slow;  // false: connect and send nothing
  };

  Attack(int port, std::vector<Group> groups, absl::Duration trickle)
      : port_(port), trickle_(trickle) {
    for (const Group& group : groups) {
      for (int i = 0; i < group.connections; ++i) {
        attackers_.push_back({group.source, group.slow, nullptr});
        Connect(attackers_.back());
      }
    }
    thread_ = std::thread([this] { Run(); });
  }
  ~Attack() {
    stop_ = true;
    thread_.join();
  }

  int open() const {
    int count = 0;
    for (const Attacker& a : attackers_) count += a.connection != nullptr;
    return count;
  }
  int64_t reconnects() const { return reconnects_.load(); }

 private:
  struct Attacker {
    std::string source;
    bool slow;
    std::unique_ptr<RawConnection> connection;
  };

  void Connect(Attacker& attacker) {
    attacker.connection =
        std::make_unique<RawConnection>(attacker.source, port_);
    if (!attacker.connection->connected()) {
      attacker.connection.reset();
      return;
    }
    if (attacker.slow) {
      attacker.connection->Send("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ");
    }
  }

  void Run() {
    while (!stop_) {
      const absl::Time next = absl::Now() + trickle_;
      for (Attacker& attacker : attackers_) {
        if (stop_) return;
        bool gone = attacker.connection == nullptr;
        if (!gone) {
          pollfd p{attacker.connection->fd(), POLLIN, 0};
          gone = poll(&p, 1, 0) > 0;  // the server answered or closed
          if (!gone && attacker.slow) gone = !attacker.connection->Send("a");
        }
        if (gone) {
          ++reconnects_;
          Connect(attacker);
        }
      }
      absl::SleepFor(std::max(absl::ZeroDuration(), next - absl::Now()));
    }
  }

  const int port_;
  const absl::Duration trickle_;
  std::vector<Attacker> attackers_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> reconnects_{0};
  std::thread thread_;
};

// A click URL for a clean destination, made by the server.
std::string ClickPath(GatewayServer& server) {
  auto channel = grpc::CreateChannel(server.grpc_address(),
                                     grpc::InsecureChannelCredentials());
  v1::RewriteMessageRequest request;
  request.set_message(
      "From: news@example.org\r\nTo: alice@acme.example\r\n"
      "Subject: news\r\nContent-Type: text/plain\r\n\r\n"
      "Read https://www.example.org/news today.\r\n");
  request.set_recipient("alice@acme.example");
  v1::RewriteMessageResponse response;
  grpc::Status status = v1::LinkService::NewStub(channel)->RewriteMessage(
      server.Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  if (response.links_size() == 0) return "";
  const std::string& url = response.links(0).rewritten_url();
  return url.substr(url.find("/c/"));
}

testing::PrometheusSamples Scrape(int port) {
  httplib::Client client("127.0.0.1", port);
  httplib::Result result = client.Get("/metrics");
  if (!result || result->status != 200) return {};
  absl::StatusOr<testing::PrometheusSamples> samples =
      testing::ParsePrometheusText(result->body);
  return samples.ok() ? *samples : testing::PrometheusSamples();
}

class HttpHostileClientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = new GatewayServer({"--config", WriteConfig(*dir_, R"(
      http {
        header_timeout { seconds: 2 }
        max_connections: 1000
        max_connections_per_ip: 64
        max_header_bytes: 16384
        max_body_bytes: 65536
      }
      rate_limit { requests_per_second: 0 }
    )")});
    ASSERT_TRUE(server_->Start());
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(), 0);
    delete server_;
    delete dir_;
  }
  int port() const { return server_->http_port(); }

  static testing::TempDir* dir_;
  static GatewayServer* server_;
};

testing::TempDir* HttpHostileClientsTest::dir_ = nullptr;
GatewayServer* HttpHostileClientsTest::server_ = nullptr;

TEST_F(HttpHostileClientsTest,
       HealthzAndClicksAnswerFastUnderSlowAndIdleConnections) {
  const std::string click = ClickPath(*server_);
  ASSERT_THAT(click, StartsWith("/c/"));

  const std::string per_ip =
      "lureguard_http_connections_rejected_total{reason=\"per_ip\"}";
  const double per_ip_before = Scrape(server_->metrics_port())[per_ip];
  // 256 slow-header clients on 8 addresses (32 each) and 1,000 idle ones on
  // 20 (50 each): 1,256 connections against a limit of 1,000.
  std::vector<Attack::Group> groups;
  for (int i = 0; i < 8; ++i) {
    groups.push_back({absl::StrCat("127.0.0.", 2 + i), 32, true});
  }
  for (int i = 0; i < 20; ++i) {
    groups.push_back({absl::StrCat("127.0.0.", 10 + i), 50, false});
  }
  Attack attack(port(), groups, absl::Milliseconds(500));
  absl::SleepFor(absl::Seconds(1));  // the attack settles in

  std::vector<absl::Duration> healthz, clicks;
  int failures = 0;
  const absl::Time end = absl::Now() + absl::Seconds(6);
  while (absl::Now() < end) {
    for (const std::string& path : {std::string("/healthz"), click}) {
      // A fresh connection each time: a newcomer must get in at the limit.
      const absl::Time start = absl::Now();
      RawConnection client("127.0.0.1", port());
      bool ok = client.connected() &&
                client.Send(absl::StrCat("GET ", path,
                                         " HTTP/1.1\r\nHost: a\r\n"
                                         "Connection: close\r\n\r\n"));
      bool closed = false;
      const std::string wire =
          ok ? client.Read(start + absl::Seconds(5), &closed) : "";
      std::vector<ParsedResponse> answers = ParseResponses(wire);
      const absl::Duration took = absl::Now() - start;
      const int expected = path == "/healthz" ? 200 : 302;
      if (answers.size() != 1 || answers[0].status != expected) {
        ++failures;
        continue;
      }
      (path == "/healthz" ? healthz : clicks).push_back(took);
    }
  }
  const int open_attackers = attack.open();
  std::printf(
      "under attack (%d attacker connections open, %lld reconnects): "
      "/healthz n=%zu p50=%s p99=%s; /c/ n=%zu p50=%s p99=%s; failures=%d\n",
      open_attackers, static_cast<long long>(attack.reconnects()),
      healthz.size(), absl::FormatDuration(Percentile(healthz, 0.5)).c_str(),
      absl::FormatDuration(Percentile(healthz, 0.99)).c_str(), clicks.size(),
      absl::FormatDuration(Percentile(clicks, 0.5)).c_str(),
      absl::FormatDuration(Percentile(clicks, 0.99)).c_str(), failures);
  EXPECT_EQ(failures, 0);
  EXPECT_GE(healthz.size(), 50u);
  EXPECT_GE(clicks.size(), 50u);
  EXPECT_LE(Percentile(healthz, 0.99), absl::Milliseconds(100));
  EXPECT_LE(Percentile(clicks, 0.99), absl::Milliseconds(100));

  testing::PrometheusSamples metrics = Scrape(server_->metrics_port());
  // The limit held and the attackers were shed to make room.
  EXPECT_LE(metrics["lureguard_http_connections_open"], 1000);
  EXPECT_GT(metrics["lureguard_http_connections_open"], 900);
  EXPECT_GT(
      metrics["lureguard_http_connections_rejected_total{reason=\"shed\"}"], 0);
  // Each attacker address stayed within its 64.
  EXPECT_EQ(metrics[per_ip], per_ip_before);
}

TEST_F(HttpHostileClientsTest, AnAddressPastItsLimitIsClosedAtOnce) {
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 64; ++i) {
    held.push_back(std::make_unique<RawConnection>("127.0.0.77", port()));
    ASSERT_TRUE(held.back()->connected());
  }
  // The 64 are in once one of them is answered after the others connected.
  ASSERT_TRUE(held.back()->Send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_THAT(held.back()->Read(absl::Now() + absl::Seconds(5), nullptr,
                                [](const std::string& s) {
                                  return ParseResponses(s).size() == 1;
                                }),
              StartsWith("HTTP/1.1 200"));

  const absl::Time start = absl::Now();
  RawConnection extra("127.0.0.77", port());
  ASSERT_TRUE(extra.connected());
  bool closed = false;
  extra.Send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(extra.Read(start + absl::Seconds(5), &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));

  // Another address is still welcome.
  RawConnection other("127.0.0.78", port());
  other.Send("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(other.Read(absl::Now() + absl::Seconds(5)),
              StartsWith("HTTP/1.1 200"));
}

TEST_F(HttpHostileClientsTest, APipelineOfAHundredGetsAHundredAnswersInOrder) {
  RawConnection client("127.0.0.1", port());
  ASSERT_TRUE(client.connected());
  std::string pipeline;
  for (int i = 0; i < 100; ++i) {
    // Alternate routes, so a fast answer cannot overtake a slow one.
    absl::StrAppend(&pipeline, "GET ", i % 2 == 0 ? "/healthz" : "/range/21BD1",
                    " HTTP/1.1\r\nHost: a\r\nX-Request-Id: pipe-", i, "\r\n",
                    i == 99 ? "Connection: close\r\n" : "", "\r\n");
  }
  ASSERT_TRUE(client.Send(pipeline));
  bool closed = false;
  std::vector<ParsedResponse> answers =
      ParseResponses(client.Read(absl::Now() + absl::Seconds(20), &closed));
  EXPECT_TRUE(closed);  // after the last one, which asked for it
  ASSERT_EQ(answers.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(answers[i].request_id, absl::StrCat("pipe-", i));
    EXPECT_EQ(answers[i].status, 200) << i;
  }
  EXPECT_EQ(answers[0].body, "SERVING\n");
}

TEST_F(HttpHostileClientsTest, KeepAliveServesManyRequestsAndHttp10Closes) {
  httplib::Client client("127.0.0.1", port());
  client.set_keep_alive(true);
  for (int i = 0; i < 20; ++i) {
    httplib::Result result = client.Get("/healthz");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
  }
  RawConnection old("127.0.0.1", port());
  old.Send("GET /healthz HTTP/1.0\r\n\r\n");
  bool closed = false;
  std::string wire = old.Read(absl::Now() + absl::Seconds(5), &closed);
  EXPECT_THAT(wire, StartsWith("HTTP/1.0 200"));
  EXPECT_TRUE(closed);
}

TEST_F(HttpHostileClientsTest, OversizeHeaderIs431AndOversizeBodyIs413) {
  RawConnection header("127.0.0.1", port());
  header.Send(absl::StrCat("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Pad: ",
                           std::string(20000, 'a'), "\r\n\r\n"));
  bool closed = false;
  std::string wire = header.Read(absl::Now() + absl::Seconds(5), &closed);
  EXPECT_THAT(wire, StartsWith("HTTP/1.1 431 "));
  EXPECT_THAT(wire, HasSubstr("Connection: close"));
  EXPECT_TRUE(closed);

  std::string many = "GET /healthz HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 150; ++i) absl::StrAppend(&many, "X-F", i, ": v\r\n");
  RawConnection fields("127.0.0.1", port());
  fields.Send(absl::StrCat(many, "\r\n"));
  EXPECT_THAT(fields.Read(absl::Now() + absl::Seconds(5)),
              StartsWith("HTTP/1.1 431 "));

  RawConnection body("127.0.0.1", port());
  body.Send("POST /c/x HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
  wire = body.Read(absl::Now() + absl::Seconds(5), &closed);
  EXPECT_THAT(wire, StartsWith("HTTP/1.1 413 "));
  EXPECT_TRUE(closed);
}

TEST_F(HttpHostileClientsTest, AHeaderTrickledByteByByteIsCutAtItsDeadline) {
  const std::string header_timeouts =
      "lureguard_http_timeouts_total{phase=\"header\"}";
  const double timeouts_before =
      Scrape(server_->metrics_port())[header_timeouts];
  const absl::Time start = absl::Now();
  RawConnection slow("127.0.0.1", port());
  ASSERT_TRUE(slow.Send("GET /healthz HTTP/1.1\r\nX-Slow: "));
  bool closed = false;
  // A byte every 200 ms: a per-read timeout would never fire.
  while (!closed && absl::Now() - start < absl::Seconds(6)) {
    slow.Read(absl::Now() + absl::Milliseconds(200), &closed);
    if (!closed) slow.Send("a");
  }
  const absl::Duration lasted = absl::Now() - start;
  EXPECT_TRUE(closed);
  EXPECT_GE(lasted, absl::Milliseconds(1900));
  EXPECT_LT(lasted, absl::Seconds(3));

  // A connection that sends nothing at all is cut the same way.
  RawConnection silent("127.0.0.1", port());
  silent.Read(absl::Now() + absl::Seconds(6), &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(absl::Now() - start - lasted, absl::Seconds(3));
  EXPECT_EQ(Scrape(server_->metrics_port())[header_timeouts],
            timeouts_before + 2);
}

TEST(HttpShutdown, SigtermWithSlowClientsConnectedExitsWithinTheGrace) {
  testing::TempDir dir;
  GatewayServer server({"--config", WriteConfig(dir, R"(
    shutdown_grace { seconds: 3 }
    http { header_timeout { seconds: 60 } read_timeout { seconds: 60 } }
  )")});
  ASSERT_TRUE(server.Start());
  // 64 slow headers and 64 idle keep-alive connections that were answered.
  std::vector<std::unique_ptr<RawConnection>> slow, idle;
  for (int i = 0; i < 64; ++i) {
    slow.push_back(std::make_unique<RawConnection>(
        absl::StrCat("127.0.1.", 1 + i % 4), server.http_port()));
    slow.back()->Send("GET /healthz HTTP/1.1\r\nX-Slow: a");
    idle.push_back(
        std::make_unique<RawConnection>("127.0.0.1", server.http_port()));
    idle.back()->Send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
    ASSERT_THAT(idle.back()->Read(absl::Now() + absl::Seconds(5), nullptr,
                                  [](const std::string& s) {
                                    return ParseResponses(s).size() == 1;
                                  }),
                StartsWith("HTTP/1.1 200"));
  }
  const absl::Time start = absl::Now();
  EXPECT_EQ(server.Stop(), 0);
  const absl::Duration took = absl::Now() - start;
  std::printf("SIGTERM to exit with 128 slow or idle HTTP clients: %s\n",
              absl::FormatDuration(took).c_str());
  EXPECT_LT(took, absl::Seconds(3));
}

}  // namespace
}  // namespace lureguard
