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
#include "tests/testing/raw_http_connection.h"
#include "tests/testing/slow_client_attack.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

using testing::GatewayServer;
using ::testing::HasSubstr;
using testing::ParseHttpResponses;
using testing::RawConnection;
using testing::SlowClientAttack;
using ::testing::StartsWith;

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

// The sample `name` once it equals `expected`, or as it stands after 5 s.
// A deadline's counter moves just after the client sees the close: Beast
// closes the socket on the timer, then runs the handler that counts.
double ScrapeOnceItIs(int port, const std::string& name, double expected) {
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  double value = Scrape(port)[name];
  while (value != expected && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
    value = Scrape(port)[name];
  }
  return value;
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
  std::vector<SlowClientAttack::Group> groups;
  for (int i = 0; i < 8; ++i) {
    groups.push_back({absl::StrCat("127.0.0.", 2 + i), 32, true});
  }
  for (int i = 0; i < 20; ++i) {
    groups.push_back({absl::StrCat("127.0.0.", 10 + i), 50, false});
  }
  SlowClientAttack attack(port(), groups, absl::Milliseconds(500));
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
      std::vector<testing::ParsedHttpResponse> answers =
          ParseHttpResponses(wire);
      const absl::Duration took = absl::Now() - start;
      const int expected = path == "/healthz" ? 200 : 302;
      if (answers.size() != 1 || answers[0].status != expected) {
        ++failures;
        continue;
      }
      (path == "/healthz" ? healthz : clicks).push_back(took);
    }
  }
  std::printf(
      "under attack (%lld reconnects): "
      "/healthz n=%zu p50=%s p99=%s; /c/ n=%zu p50=%s p99=%s; failures=%d\n",
      static_cast<long long>(attack.reconnects()), healthz.size(),
      absl::FormatDuration(Percentile(healthz, 0.5)).c_str(),
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
                                  return ParseHttpResponses(s).size() == 1;
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
  std::vector<testing::ParsedHttpResponse> answers =
      ParseHttpResponses(client.Read(absl::Now() + absl::Seconds(20), &closed));
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
  EXPECT_EQ(ScrapeOnceItIs(server_->metrics_port(), header_timeouts,
                           timeouts_before + 2),
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
                                    return ParseHttpResponses(s).size() == 1;
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

TEST(HttpHostileTls, AStalledTlsHandshakeIsCutAtTheHeaderDeadline) {
  testing::TempDir dir;
  const std::string cert = dir.path() + "/cert.pem";
  const std::string key = dir.path() + "/key.pem";
  testing::RunResult openssl = testing::Run(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
       "-days", "1", "-subj", "/CN=lureguard-test", "-addext",
       "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(openssl.exit_code, 0) << openssl.err;
  GatewayServer server(
      {"--config",
       WriteConfig(dir, absl::StrCat(
                            "tls { cert_file: \"", cert, "\" key_file: \"", key,
                            "\" }\nhttp { header_timeout { seconds: 1 } "
                            "}\n"))});
  ASSERT_TRUE(server.Start());

  // The first bytes of a TLS record, then a byte every 200 ms.
  const absl::Time start = absl::Now();
  RawConnection trickle("127.0.0.1", server.http_port());
  ASSERT_TRUE(trickle.Send("\x16\x03\x01\x02"));
  bool closed = false;
  while (!closed && absl::Now() - start < absl::Seconds(5)) {
    trickle.Read(absl::Now() + absl::Milliseconds(200), &closed);
    if (!closed) trickle.Send("\x00");
  }
  const absl::Duration lasted = absl::Now() - start;
  EXPECT_TRUE(closed);
  EXPECT_GE(lasted, absl::Milliseconds(900));
  EXPECT_LT(lasted, absl::Seconds(2));

  // A client that completes its handshake is served.
  httplib::SSLClient https("127.0.0.1", server.http_port());
  https.set_ca_cert_path(cert.c_str());
  https.enable_server_certificate_verification(true);
  httplib::Result result = https.Get("/healthz");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(
      ScrapeOnceItIs(server.metrics_port(),
                     "lureguard_http_timeouts_total{phase=\"header\"}", 1),
      1);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace lureguard
