// End to end: the HTTP front and the metrics endpoint of the real
// lureguard-server binary, over real HTTP on loopback.

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "server/common/version.h"
#include "tests/integration/gateway_server.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/prometheus_text.h"
#include "tests/testing/test_certs.h"
#include "tests/testing/tls_test_server.h"

namespace lureguard {
namespace {

using testing::GatewayServer;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBlocked[] = "https://login.evil-phish.test/signin?a=1";
constexpr char kClean[] = "https://www.example.org/news";

class HttpFrontTest : public ::testing::Test {
 protected:
  // One server for the suite: starting one costs more than every test here.
  static void SetUpTestSuite() {
    server_ = new GatewayServer();
    ASSERT_TRUE(server_->Start());
    server_->Block("evil-phish.test");
    verdict_key_ = new std::string(server_->CreateKey("gw", v1::VERDICT));
    readonly_key_ =
        new std::string(server_->CreateKey("ro", v1::READONLY_ADMIN));
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(), 0);
    delete server_;
    delete verdict_key_;
    delete readonly_key_;
  }

  httplib::Result Authz(httplib::Headers headers,
                        const std::string& path = "/authz") {
    httplib::Client client("127.0.0.1", server_->http_port());
    client.set_read_timeout(std::chrono::seconds(30));
    return client.Get(path.c_str(), headers);
  }
  httplib::Headers WithKey(httplib::Headers headers) {
    headers.emplace("Authorization", "Bearer " + *verdict_key_);
    return headers;
  }
  testing::PrometheusSamples Scrape() {
    httplib::Client client("127.0.0.1", server_->metrics_port());
    httplib::Result result = client.Get("/metrics");
    EXPECT_TRUE(result) << httplib::to_string(result.error());
    if (!result) return {};
    EXPECT_EQ(result->status, 200);
    EXPECT_THAT(result->get_header_value("Content-Type"),
                HasSubstr("version=0.0.4"));
    absl::StatusOr<testing::PrometheusSamples> samples =
        testing::ParsePrometheusText(result->body);
    EXPECT_TRUE(samples.ok()) << samples.status();
    return samples.ok() ? *samples : testing::PrometheusSamples();
  }

  static GatewayServer* server_;
  static std::string* verdict_key_;
  static std::string* readonly_key_;
};

GatewayServer* HttpFrontTest::server_ = nullptr;
std::string* HttpFrontTest::verdict_key_ = nullptr;
std::string* HttpFrontTest::readonly_key_ = nullptr;

TEST_F(HttpFrontTest, HealthzServesWithoutAKey) {
  httplib::Client client("127.0.0.1", server_->http_port());
  httplib::Result result = client.Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "SERVING\n");
}

TEST_F(HttpFrontTest, AuthzBlocksABlocklistedUrlAndPassesACleanOne) {
  httplib::Result blocked = Authz(WithKey({{"X-Original-URL", kBlocked}}));
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 403);
  EXPECT_EQ(blocked->get_header_value("X-Lureguard-Action"), "BLOCK");
  EXPECT_EQ(blocked->get_header_value("X-Lureguard-Reasons"),
            "BLOCKLIST_MATCH");
  EXPECT_THAT(blocked->get_header_value("X-Lureguard-Verdict-Id"),
              Not(::testing::IsEmpty()));

  httplib::Result clean = Authz(WithKey({{"X-Original-URL", kClean}}));
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->status, 200);
  EXPECT_EQ(clean->get_header_value("X-Lureguard-Action"), "ALLOW");
  EXPECT_NE(clean->get_header_value("X-Lureguard-Verdict-Id"),
            blocked->get_header_value("X-Lureguard-Verdict-Id"));
}

TEST_F(HttpFrontTest, AuthzReadsTraefikAndEnvoyHeaders) {
  // Traefik ForwardAuth.
  httplib::Result traefik =
      Authz(WithKey({{"X-Forwarded-Proto", "https"},
                     {"X-Forwarded-Host", "pay.evil-phish.test"},
                     {"X-Forwarded-Uri", "/login"}}));
  ASSERT_TRUE(traefik);
  EXPECT_EQ(traefik->status, 403);
  traefik = Authz(WithKey(
      {{"X-Forwarded-Host", "www.example.org"}, {"X-Forwarded-Uri", "/"}}));
  ASSERT_TRUE(traefik);
  EXPECT_EQ(traefik->status, 200);

  // Envoy ext_authz with path_prefix /authz: the original path follows it
  // and Host is the original authority.
  httplib::Result envoy =
      Authz(WithKey({{"Host", "a.evil-phish.test"}}), "/authz/x?y=1");
  ASSERT_TRUE(envoy);
  EXPECT_EQ(envoy->status, 403);
  EXPECT_EQ(envoy->get_header_value("X-Lureguard-Action"), "BLOCK");
}

TEST_F(HttpFrontTest, AuthzNeedsAVerdictKey) {
  httplib::Result none = Authz({{"X-Original-URL", kClean}});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  EXPECT_THAT(none->body, HasSubstr("no API key"));

  httplib::Result bad = Authz(
      {{"X-Original-URL", kClean}, {"Authorization", "Bearer lg_nope_nope"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  EXPECT_FALSE(bad->has_header("X-Lureguard-Action"));

  httplib::Result readonly =
      Authz({{"X-Original-URL", kClean},
             {"Authorization", "Bearer " + *readonly_key_}});
  ASSERT_TRUE(readonly);
  EXPECT_EQ(readonly->status, 403);
  EXPECT_THAT(readonly->body, HasSubstr("role readonly-admin"));
  EXPECT_FALSE(readonly->has_header("X-Lureguard-Action"));
}

TEST_F(HttpFrontTest, AuthzAnswers400NamingTheHeaderForABadUrl) {
  httplib::Result missing = Authz(WithKey({}));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_THAT(missing->body, HasSubstr("X-Original-URL: missing"));

  httplib::Result unparsable =
      Authz(WithKey({{"X-Original-URL", "http://[::1/"}}));
  ASSERT_TRUE(unparsable);
  EXPECT_EQ(unparsable->status, 400);
  EXPECT_THAT(unparsable->body, ::testing::StartsWith("X-Original-URL: "));
  EXPECT_FALSE(unparsable->has_header("X-Lureguard-Action"));
}

TEST_F(HttpFrontTest, MetricsCountChecksRequestsAndState) {
  testing::PrometheusSamples before = Scrape();
  const std::string check_ok =
      "lureguard_grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
      "\"CheckUrl\",grpc_service=\"lureguard.v1.UrlService\"}";
  const std::string blocks = "lureguard_verdicts_total{action=\"BLOCK\"}";
  const std::string authz_403 =
      "lureguard_http_requests_total{path=\"/authz\",status=\"403\"}";

  EXPECT_EQ(server_->CheckUrl(kBlocked).verdict().action(), v1::BLOCK);
  ASSERT_TRUE(Authz(WithKey({{"X-Original-URL", kBlocked}})));

  // The HTTP front counts a request after its response is written, so the
  // scrape may come first: wait (bounded) for the /authz count to land.
  testing::PrometheusSamples after = Scrape();
  for (int i = 0; i < 100 && after[authz_403] <= before[authz_403]; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    after = Scrape();
  }
  EXPECT_EQ(after[check_ok], before[check_ok] + 1);
  EXPECT_EQ(after[blocks], before[blocks] + 2);  // one gRPC, one HTTP
  EXPECT_EQ(after[authz_403], before[authz_403] + 1);
  EXPECT_GE(after["lureguard_verdict_reasons_total{code=\"BLOCKLIST_MATCH\"}"],
            2);
  EXPECT_EQ(after["lureguard_snapshot_entries{list=\"block\"}"], 1);
  EXPECT_GT(after["lureguard_snapshot_brands"], 10);
  // The gauge must be there: operator[] would read a missing one as 0.
  ASSERT_EQ(after.count("lureguard_snapshot_age_seconds"), 1u);
  EXPECT_GE(after.at("lureguard_snapshot_age_seconds"), 0);
  EXPECT_EQ(
      after[absl::StrCat("lureguard_build_info{version=\"", kVersion, "\"}")],
      1);
  EXPECT_GE(after["lureguard_grpc_server_handling_seconds_count{grpc_code="
                  "\"OK\",grpc_method=\"CheckUrl\",grpc_service="
                  "\"lureguard.v1.UrlService\"}"],
            1);
}

TEST_F(HttpFrontTest, LogsOneLinePerRequestWithoutUrlsOrKeys) {
  const std::string secret_url =
      "https://login.evil-phish.test/reset?token=s3cr3tTOKEN&user=alice";
  EXPECT_EQ(server_->CheckUrl(secret_url).verdict().action(), v1::BLOCK);
  httplib::Headers headers = WithKey({{"X-Original-URL", secret_url}});
  headers.emplace("X-Request-Id", "req-logscan-1");
  httplib::Result result = Authz(headers);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("X-Request-Id"), "req-logscan-1");
  // The request line is written after the response; wait for it.
  absl::StatusOr<std::string> line = server_->process().WaitForStderrLine(
      "\"request_id\":\"req-logscan-1\"", absl::Seconds(10));
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(testing::LogField(*line, "method"), "GET /authz");
  EXPECT_EQ(testing::LogField(*line, "status"), "403");
  EXPECT_EQ(testing::LogField(*line, "action"), "BLOCK");
  EXPECT_NE(testing::LogField(*line, "latency_us"), "");

  const std::string log = server_->process().stderr_text();
  EXPECT_THAT(log,
              HasSubstr("\"method\":\"/lureguard.v1.UrlService/CheckUrl\""));
  // gRPC CheckUrl's line names the action its answer carried (read from
  // the bytes sent); it was written before the /authz line waited for.
  int check_url_blocks = 0;
  for (const std::string& log_line :
       std::vector<std::string>(absl::StrSplit(log, '\n'))) {
    if (testing::LogField(log_line, "method") ==
            "/lureguard.v1.UrlService/CheckUrl" &&
        testing::LogField(log_line, "action") == "BLOCK") {
      ++check_url_blocks;
    }
  }
  EXPECT_GE(check_url_blocks, 1);
  EXPECT_THAT(log, Not(HasSubstr("s3cr3tTOKEN")));
  EXPECT_THAT(log, Not(HasSubstr("alice")));
  EXPECT_THAT(log, Not(HasSubstr("login.evil-phish.test")));
  EXPECT_THAT(log, Not(HasSubstr(*verdict_key_)));
  EXPECT_THAT(log, Not(HasSubstr(server_->admin_token())));
  // Nor the secret part of a key: "lg_<id>_<secret>".
  const size_t secret = verdict_key_->find('_', 3);
  ASSERT_NE(secret, std::string::npos);
  EXPECT_THAT(log, Not(HasSubstr(verdict_key_->substr(secret + 1))));
}

// The log scan above can fail: at debug level the URL is written.
TEST(HttpFrontDebugLog, WritesUrlsOnlyAtDebugLevel) {
  GatewayServer server({"--log_level", "debug"});
  ASSERT_TRUE(server.Start());
  server.CheckUrl("https://debug-only.example/p?token=visible");
  absl::StatusOr<std::string> line = server.process().WaitForStderrLine(
      "\"message\":\"url checked\"", absl::Seconds(10));
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(testing::LogField(*line, "url"),
            "https://debug-only.example/p?token=visible");
  EXPECT_EQ(testing::LogField(*line, "level"), "debug");
  EXPECT_EQ(server.Stop(), 0);
}

// Issue #4: each feed's status is in the metrics, labelled by feed name.
TEST(HttpFrontMetrics, ReportEachFeedsLastSuccessFailuresAndEntries) {
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  (*http)->SetResponse("/feed.txt", {.body = "https://a.feed-phish.test/x\n"
                                             "https://b.feed-phish.test/y\n"
                                             "https://c.feed-phish.test/z\n"});
  GatewayServer server({"--allow_private_targets"});
  ASSERT_TRUE(server.Start());
  v1::CreateFeedRequest create;
  create.mutable_feed()->set_name("local");
  create.mutable_feed()->set_url((*http)->Url("/feed.txt"));
  create.mutable_feed()->set_format("urls");
  v1::Feed created;
  grpc::Status status =
      server.admin()->CreateFeed(server.Context().get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();

  auto scrape = [&server] {
    httplib::Client client("127.0.0.1", server.metrics_port());
    httplib::Result result = client.Get("/metrics");
    EXPECT_TRUE(result);
    absl::StatusOr<testing::PrometheusSamples> samples =
        testing::ParsePrometheusText(result ? result->body : "");
    EXPECT_TRUE(samples.ok()) << samples.status();
    return samples.ok() ? *samples : testing::PrometheusSamples();
  };
  const std::string labels = "{feed=\"local\",tenant=\"\"}";
  testing::PrometheusSamples ok = scrape();
  EXPECT_EQ(ok["lureguard_feed_entries" + labels], 3);
  EXPECT_EQ(ok["lureguard_feed_up" + labels], 1);
  EXPECT_EQ(ok["lureguard_feed_consecutive_failures" + labels], 0);
  const double now = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  EXPECT_NEAR(ok["lureguard_feed_last_success_timestamp_seconds" + labels], now,
              120);
  EXPECT_EQ(ok["lureguard_snapshot_entries{list=\"block\"}"], 3);

  // The feed breaks: a failure is counted, the entries stay.
  (*http)->SetResponse("/feed.txt", {.status = 500});
  v1::RefreshFeedRequest refresh;
  refresh.set_name("local");
  v1::Feed refreshed;
  status =
      server.admin()->RefreshFeed(server.Context().get(), refresh, &refreshed);
  // A failed refresh is a feed state, not an error status.
  EXPECT_TRUE(status.ok()) << status.error_message();
  testing::PrometheusSamples failed = scrape();
  EXPECT_EQ(failed["lureguard_feed_up" + labels], 0);
  EXPECT_EQ(failed["lureguard_feed_consecutive_failures" + labels], 1);
  EXPECT_EQ(failed["lureguard_feed_entries" + labels], 3);
  EXPECT_EQ(failed["lureguard_feed_last_success_timestamp_seconds" + labels],
            ok["lureguard_feed_last_success_timestamp_seconds" + labels]);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(HttpFrontTls, ServesHttpsWithTheConfiguredCertificate) {
  testing::TempDir dir;
  const std::string cert = dir.path() + "/cert.pem";
  const std::string key = dir.path() + "/key.pem";
  testing::RunResult openssl = testing::Run(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
       "-days", "1", "-subj", "/CN=lureguard-test", "-addext",
       "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(openssl.exit_code, 0) << openssl.err;
  const std::string config = dir.path() + "/lureguard.textproto";
  std::ofstream(config) << "tls { cert_file: \"" << cert << "\" key_file: \""
                        << key << "\" }\n";
  GatewayServer server({"--config", config});
  ASSERT_TRUE(server.Start());
  EXPECT_THAT(server.process().stderr_text(), HasSubstr("\"tls\":\"true\""));

  httplib::SSLClient https("127.0.0.1", server.http_port());
  https.set_ca_cert_path(cert.c_str());
  https.enable_server_certificate_verification(true);
  httplib::Result result = https.Get("/healthz");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "SERVING\n");
  // The handshake really checks the certificate: another CA fails it.
  httplib::SSLClient untrusting("127.0.0.1", server.http_port());
  untrusting.set_ca_cert_path("/dev/null");
  untrusting.enable_server_certificate_verification(true);
  EXPECT_FALSE(untrusting.Get("/healthz"));
  // And plaintext gets no answer.
  httplib::Client plain("127.0.0.1", server.http_port());
  plain.set_read_timeout(std::chrono::seconds(5));
  httplib::Result plain_result = plain.Get("/healthz");
  EXPECT_TRUE(!plain_result || plain_result->status != 200);
  // /metrics stays plaintext, as Prometheus scrapes by default.
  httplib::Client metrics("127.0.0.1", server.metrics_port());
  httplib::Result scraped = metrics.Get("/metrics");
  ASSERT_TRUE(scraped) << httplib::to_string(scraped.error());
  EXPECT_EQ(scraped->status, 200);
  EXPECT_THAT(scraped->body, HasSubstr("lureguard_build_info"));
  EXPECT_EQ(server.Stop(), 0);
}

// Runs the openssl CLI; false (with its stderr in the test log) on failure.
::testing::AssertionResult OpenSsl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  testing::RunResult run = testing::Run(args);
  if (run.exit_code == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << run.err;
}

// A CA, and a certificate it signs for `name` valid for 127.0.0.1.
::testing::AssertionResult IssueCertificate(const std::string& dir,
                                            const std::string& name) {
  const std::string base = dir + "/" + name;
  std::ofstream(base + ".ext") << "subjectAltName=IP:127.0.0.1\n";
  if (auto r = OpenSsl({"req", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                        base + ".key", "-out", base + ".csr", "-subj",
                        "/CN=" + name});
      !r) {
    return r;
  }
  return OpenSsl({"x509", "-req", "-in", base + ".csr", "-CA", dir + "/ca.pem",
                  "-CAkey", dir + "/ca.key", "-CAcreateserial", "-out",
                  base + ".pem", "-days", "1", "-extfile", base + ".ext"});
}

TEST(HttpFrontTls, RequiresAClientCertificateWhenConfigured) {
  testing::TempDir dir;
  const std::string d = dir.path();
  ASSERT_TRUE(OpenSsl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
                       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                       d + "/ca.key", "-out", d + "/ca.pem", "-days", "1",
                       "-subj", "/CN=lureguard-test-ca"}));
  ASSERT_TRUE(IssueCertificate(d, "server"));
  ASSERT_TRUE(IssueCertificate(d, "client"));
  const std::string config = d + "/lureguard.textproto";
  std::ofstream(config) << "tls { cert_file: \"" << d << "/server.pem\" "
                        << "key_file: \"" << d << "/server.key\" "
                        << "client_ca_file: \"" << d << "/ca.pem\" "
                        << "require_client_cert: true }\n";
  GatewayServer server({"--config", config});
  ASSERT_TRUE(server.Start());

  const std::string client_pem = d + "/client.pem";
  const std::string client_key = d + "/client.key";
  httplib::SSLClient with_cert("127.0.0.1", server.http_port(), client_pem,
                               client_key);
  with_cert.set_ca_cert_path((d + "/ca.pem").c_str());
  with_cert.enable_server_certificate_verification(true);
  httplib::Result result = with_cert.Get("/healthz");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);

  httplib::SSLClient without_cert("127.0.0.1", server.http_port());
  without_cert.set_ca_cert_path((d + "/ca.pem").c_str());
  without_cert.enable_server_certificate_verification(true);
  httplib::Result refused = without_cert.Get("/healthz");
  EXPECT_FALSE(refused && refused->status == 200);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(HttpFrontConfig, RefusesPlaintextOnANonLoopbackAddress) {
  testing::TempDir dir;
  testing::RunResult run = testing::Run(
      {LUREGUARD_SERVER_BINARY, "--listen", "127.0.0.1:0", "--http_listen",
       "0.0.0.0:0", "--data_dir", dir.path() + "/var"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("http_listen: '0.0.0.0:0' is not a loopback "
                                 "address; set tls.cert_file"));
}

// Certificate probes are counted by outcome in the metrics.
TEST(HttpFrontMetrics, CountCertificateProbesByOutcome) {
  testing::TestCert cert = testing::MakeSelfSignedCert({.cn = "shop.test"});
  absl::StatusOr<std::unique_ptr<testing::TlsTestServer>> tls =
      testing::TlsTestServer::Start(
          {.cert_chain_pem = cert.cert_pem, .key_pem = cert.key_pem});
  ASSERT_TRUE(tls.ok()) << tls.status();
  GatewayServer server({"--allow_private_targets"});
  ASSERT_TRUE(server.Start());
  auto probe = [&server](int port) {
    v1::ProbeCertificateRequest request;
    request.set_host("127.0.0.1");
    request.set_port(port);
    v1::ProbeCertificateResponse response;
    return server.admin()->ProbeCertificate(server.Context().get(), request,
                                            &response);
  };
  EXPECT_TRUE(probe((*tls)->port()).ok());
  EXPECT_EQ(probe(1).error_code(), grpc::StatusCode::UNAVAILABLE);

  httplib::Client client("127.0.0.1", server.metrics_port());
  httplib::Result result = client.Get("/metrics");
  ASSERT_TRUE(result);
  absl::StatusOr<testing::PrometheusSamples> samples =
      testing::ParsePrometheusText(result->body);
  ASSERT_TRUE(samples.ok()) << samples.status();
  EXPECT_EQ((*samples)["lureguard_cert_probes{outcome=\"ok\"}"], 1);
  EXPECT_EQ((*samples)["lureguard_cert_probes{outcome=\"failed\"}"], 1);
  EXPECT_EQ((*samples)["lureguard_cert_probe_cache_hosts"], 2);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace lureguard
