#include "server/service/metrics.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lureguard/v1/url_service.pb.h"
#include "server/common/version.h"
#include "tests/testing/prometheus_text.h"

namespace lureguard::service {
namespace {

namespace v1 = ::lureguard::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCheckUrl[] = "/lureguard.v1.UrlService/CheckUrl";

testing::PrometheusSamples Scrape(const ServerMetrics& metrics) {
  absl::StatusOr<testing::PrometheusSamples> samples =
      testing::ParsePrometheusText(metrics.Exposition());
  EXPECT_TRUE(samples.ok()) << samples.status();
  return samples.ok() ? *samples : testing::PrometheusSamples();
}

// Links url_service.pb.o, and with it the UrlService descriptor, into the
// test binary, as the server's UrlService does.
const void* const kLinkUrlService = v1::CheckUrlRequest::descriptor();

TEST(GrpcMethodsOf, ListsTheMethodsOfCompiledInServices) {
  ASSERT_NE(kLinkUrlService, nullptr);
  std::vector<std::string> methods =
      GrpcMethodsOf({"lureguard.v1.UrlService", "no.such.Service"});
  EXPECT_THAT(methods, ::testing::UnorderedElementsAre(
                           kCheckUrl, "/lureguard.v1.UrlService/CheckUrls",
                           "/lureguard.v1.UrlService/StreamCheckUrls"));
}

TEST(ServerMetrics, CountsCallsByMethodAndCode) {
  ServerMetrics metrics(GrpcMethodsOf({"lureguard.v1.UrlService"}));
  metrics.RecordRpc(kCheckUrl, 0, absl::Microseconds(200));
  metrics.RecordRpc(kCheckUrl, 0, absl::Milliseconds(3));
  metrics.RecordRpc(kCheckUrl, 3, absl::Microseconds(50));
  testing::PrometheusSamples samples = Scrape(metrics);
  const std::string ok =
      "{grpc_code=\"OK\",grpc_method=\"CheckUrl\",grpc_service=\"lureguard."
      "v1.UrlService\"";
  EXPECT_EQ(
      samples[absl::StrCat("lureguard_grpc_server_handled_total", ok, "}")], 2);
  EXPECT_EQ(samples["lureguard_grpc_server_handled_total{grpc_code="
                    "\"INVALID_ARGUMENT\",grpc_method=\"CheckUrl\","
                    "grpc_service=\"lureguard.v1.UrlService\"}"],
            1);
  // Buckets are cumulative: 200 µs is under 0.00025 s, 3 ms under 0.005 s.
  const std::string bucket =
      absl::StrCat("lureguard_grpc_server_handling_seconds_bucket", ok);
  EXPECT_EQ(samples[absl::StrCat(bucket, ",le=\"0.0001\"}")], 0);
  EXPECT_EQ(samples[absl::StrCat(bucket, ",le=\"0.00025\"}")], 1);
  EXPECT_EQ(samples[absl::StrCat(bucket, ",le=\"0.0025\"}")], 1);
  EXPECT_EQ(samples[absl::StrCat(bucket, ",le=\"0.005\"}")], 2);
  EXPECT_EQ(samples[absl::StrCat(bucket, ",le=\"+Inf\"}")], 2);
  EXPECT_EQ(samples[absl::StrCat("lureguard_grpc_server_handling_seconds_count",
                                 ok, "}")],
            2);
  EXPECT_NEAR(samples[absl::StrCat("lureguard_grpc_server_handling_seconds_sum",
                                   ok, "}")],
              0.0032, 1e-9);
}

TEST(ServerMetrics, AMethodNotServedCannotCreateLabelValues) {
  ServerMetrics metrics(GrpcMethodsOf({"lureguard.v1.UrlService"}));
  metrics.RecordRpc("/evil.Service/https://victim.example/", 12,
                    absl::Microseconds(1));
  metrics.RecordRpc("/other/thing", 99, absl::Microseconds(1));
  const std::string text = metrics.Exposition();
  EXPECT_THAT(text, Not(HasSubstr("victim")));
  EXPECT_THAT(text, Not(HasSubstr("evil")));
  testing::PrometheusSamples samples = Scrape(metrics);
  EXPECT_EQ(samples["lureguard_grpc_server_handled_total{grpc_code="
                    "\"UNIMPLEMENTED\",grpc_method=\"unknown\",grpc_service="
                    "\"unknown\"}"],
            1);
  // An out-of-range code counts as UNKNOWN.
  EXPECT_EQ(samples["lureguard_grpc_server_handled_total{grpc_code="
                    "\"UNKNOWN\",grpc_method=\"unknown\",grpc_service="
                    "\"unknown\"}"],
            1);
}

TEST(ServerMetrics, CountsVerdictsByActionAndReasonCode) {
  ServerMetrics metrics({});
  verdict::Verdict block;
  block.action = verdict::Action::kBlock;
  block.reasons.push_back({.code = verdict::ReasonCode::kBlocklistMatch,
                           .matched = "evil.example"});
  block.reasons.push_back(
      {.code = verdict::ReasonCode::kLookalikeTypo, .brand = "PayPal"});
  verdict::Verdict allow;
  metrics.RecordVerdict(block);
  metrics.RecordVerdict(block);
  metrics.RecordVerdict(allow);
  const std::string text = metrics.Exposition();
  // Reasons carry list values and brands; the labels never do.
  EXPECT_THAT(text, Not(HasSubstr("evil.example")));
  EXPECT_THAT(text, Not(HasSubstr("PayPal")));
  testing::PrometheusSamples samples = Scrape(metrics);
  EXPECT_EQ(samples["lureguard_verdicts_total{action=\"BLOCK\"}"], 2);
  EXPECT_EQ(samples["lureguard_verdicts_total{action=\"ALLOW\"}"], 1);
  EXPECT_EQ(
      samples["lureguard_verdict_reasons_total{code=\"BLOCKLIST_MATCH\"}"], 2);
  EXPECT_EQ(samples["lureguard_verdict_reasons_total{code=\"LOOKALIKE_TYPO\"}"],
            2);
}

TEST(ServerMetrics, CountsHttpRequestsByRouteAndStatus) {
  ServerMetrics metrics({});
  metrics.RecordHttp(HttpRoute::kAuthz, 403, absl::Microseconds(80));
  metrics.RecordHttp(HttpRoute::kAuthz, 200, absl::Microseconds(80));
  metrics.RecordHttp(HttpRoute::kAuthz, 403, absl::Microseconds(80));
  metrics.RecordHttp(HttpRoute::kOther, 404, absl::Microseconds(1));
  testing::PrometheusSamples samples = Scrape(metrics);
  EXPECT_EQ(
      samples["lureguard_http_requests_total{path=\"/authz\",status=\"403\"}"],
      2);
  EXPECT_EQ(
      samples["lureguard_http_requests_total{path=\"/authz\",status=\"200\"}"],
      1);
  EXPECT_EQ(
      samples["lureguard_http_requests_total{path=\"other\",status=\"404\"}"],
      1);
}

TEST(ServerMetrics, ExposesCollectorGaugesAndBuildInfoWithHelpAndType) {
  ServerMetrics metrics({});
  int scrapes = 0;
  metrics.AddCollector([&scrapes] {
    ++scrapes;
    return std::vector<prometheus::MetricFamily>{GaugeFamily(
        "lureguard_feed_entries", "Entries.",
        {GaugeSample(42, {{"feed", "openphish"}, {"tenant", ""}})})};
  });
  const std::string text = metrics.Exposition();
  EXPECT_THAT(text, HasSubstr("# HELP lureguard_feed_entries Entries.\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE lureguard_feed_entries gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE lureguard_build_info gauge\n"));
  testing::PrometheusSamples samples = Scrape(metrics);
  EXPECT_EQ(samples["lureguard_feed_entries{feed=\"openphish\",tenant=\"\"}"],
            42);
  EXPECT_EQ(
      samples[absl::StrCat("lureguard_build_info{version=\"", kVersion, "\"}")],
      1);
  EXPECT_EQ(scrapes, 2);  // computed at each scrape, not cached
}

TEST(PrometheusText, RejectsWhatAScraperWould) {
  EXPECT_FALSE(testing::ParsePrometheusText("x 1\n").ok());  // no TYPE
  EXPECT_FALSE(
      testing::ParsePrometheusText("# TYPE x counter\nx{a=\"1} 1\n").ok());
  EXPECT_FALSE(testing::ParsePrometheusText("# TYPE x counter\nx one\n").ok());
  EXPECT_FALSE(
      testing::ParsePrometheusText("# TYPE x counter\nx 1\nx 2\n").ok());
  EXPECT_TRUE(testing::ParsePrometheusText("# TYPE x counter\nx 1\n").ok());
}

}  // namespace
}  // namespace lureguard::service
