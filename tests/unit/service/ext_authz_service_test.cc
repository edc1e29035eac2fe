#include "server/service/ext_authz_service.h"

#include <memory>
#include <string>

#include "envoy/service/auth/v3/external_auth.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/service/url_checker.h"
#include "server/verdict/engine.h"

namespace lureguard::service {
namespace {

namespace auth_v3 = ::envoy::service::auth::v3;
namespace core_v3 = ::envoy::config::core::v3;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// A CheckRequest as Envoy's ext_authz filter sends it, written byte by byte
// from the field numbers in Envoy's api/envoy/service/auth/v3/*.proto, so
// that a wrong number in our copy of the protos fails here instead of
// agreeing with itself. Each line: tag byte (field << 3 | wire type), then
// length (varint) for wire type 2.
constexpr char kEnvoyCheckRequest[] =
    "\x0a\xa0\x01"  // CheckRequest.attributes = 1, 160 bytes
    "\x22\x8d\x01"  // AttributeContext.request = 4, 141 bytes
    "\x12\x8a\x01"  // Request.http = 2, 138 bytes
    "\x12\x03"      // HttpRequest.method = 2
    "GET"
    "\x1a\x21"  // HttpRequest.headers = 3 (map entry), 33 bytes
    "\x0a\x0a"  //   key = 1
    ":authority"
    "\x12\x13"  //   value = 2
    "pay.evil-phish.test"
    "\x1a\x1a"  // HttpRequest.headers = 3 (map entry), 26 bytes
    "\x0a\x11"  //   key = 1
    "x-forwarded-proto"
    "\x12\x05"  //   value = 2
    "https"
    "\x22\x13"  // HttpRequest.path = 4
    "/login?next=%2Fhome"
    "\x2a\x13"  // HttpRequest.host = 5
    "pay.evil-phish.test"
    "\x32\x05"  // HttpRequest.scheme = 6
    "https"
    "\x48\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"  // HttpRequest.size = 9,
                                                    // int64 -1
    "\x52\x08"                                      // HttpRequest.protocol = 10
    "HTTP/1.1"
    "\x52\x0e"  // AttributeContext.context_extensions = 10, 14 bytes
    "\x0a\x06"  //   key = 1
    "tenant"
    "\x12\x04"  //   value = 2
    "acme";

TEST(ExtAuthzWire, DecodesACheckRequestWrittenFromEnvoysFieldNumbers) {
  auth_v3::CheckRequest request;
  ASSERT_TRUE(request.ParseFromString(
      std::string(kEnvoyCheckRequest, sizeof(kEnvoyCheckRequest) - 1)));
  const auth_v3::AttributeContext::HttpRequest& http =
      request.attributes().request().http();
  EXPECT_EQ(http.method(), "GET");
  EXPECT_EQ(http.path(), "/login?next=%2Fhome");
  EXPECT_EQ(http.host(), "pay.evil-phish.test");
  EXPECT_EQ(http.scheme(), "https");
  EXPECT_EQ(http.size(), -1);
  EXPECT_EQ(http.protocol(), "HTTP/1.1");
  EXPECT_THAT(http.headers(),
              UnorderedElementsAre(Pair(":authority", "pay.evil-phish.test"),
                                   Pair("x-forwarded-proto", "https")));
  EXPECT_THAT(request.attributes().context_extensions(),
              ElementsAre(Pair("tenant", "acme")));
  // Nothing was left over as an unknown field.
  EXPECT_TRUE(request.attributes()
                  .GetReflection()
                  ->GetUnknownFields(request.attributes())
                  .empty());
  EXPECT_TRUE(http.GetReflection()->GetUnknownFields(http).empty());

  absl::StatusOr<std::string> url = EnvoyRequestUrl(http);
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "https://pay.evil-phish.test/login?next=%2Fhome");
}

TEST(ExtAuthzWire, AnswersUseEnvoysFieldNumbers) {
  auth_v3::CheckResponse denied;
  denied.mutable_status()->set_code(7);
  denied.mutable_denied_response()->mutable_status()->set_code(
      envoy::type::v3::Forbidden);
  denied.mutable_denied_response()->set_body("x");
  // CheckResponse.status = 1 { code = 1: 7 }; denied_response = 2 {
  // status = 1 { code = 1: 403 }, body = 3: "x" }.
  EXPECT_EQ(denied.SerializeAsString(),
            std::string("\x0a\x02\x08\x07"
                        "\x12\x08\x0a\x03\x08\x93\x03\x1a\x01"
                        "x",
                        14));

  auth_v3::CheckResponse ok;
  ok.mutable_status();  // code 0: present but empty
  core_v3::HeaderValueOption* header = ok.mutable_ok_response()->add_headers();
  header->mutable_header()->set_key("a");
  header->mutable_header()->set_value("b");
  header->mutable_append()->set_value(false);
  header->set_append_action(
      core_v3::HeaderValueOption::OVERWRITE_IF_EXISTS_OR_ADD);
  ok.mutable_ok_response()->add_headers_to_remove("r");
  (*ok.mutable_dynamic_metadata()->mutable_fields())["k"].set_bool_value(true);
  // status = 1 {}; ok_response = 3 { headers = 2 { header = 1 { key = 1,
  // value = 2 }, append = 2 { value = 1: false }, append_action = 3: 2 },
  // headers_to_remove = 5: "r" }; dynamic_metadata = 4 { fields = 1 {
  // key = 1: "k", value = 2 { bool_value = 4: true } } }.
  EXPECT_EQ(ok.SerializeAsString(), std::string("\x0a\x00"
                                                "\x1a\x11"
                                                "\x12\x0c"
                                                "\x0a\x06\x0a\x01"
                                                "a"
                                                "\x12\x01"
                                                "b"
                                                "\x12\x00"
                                                "\x18\x02"
                                                "\x2a\x01"
                                                "r"
                                                "\x22\x09\x0a\x07\x0a\x01"
                                                "k"
                                                "\x12\x02\x20\x01",
                                                32));
}

auth_v3::AttributeContext::HttpRequest Http(std::string scheme,
                                            std::string host,
                                            std::string path) {
  auth_v3::AttributeContext::HttpRequest http;
  http.set_scheme(std::move(scheme));
  http.set_host(std::move(host));
  http.set_path(std::move(path));
  return http;
}

TEST(EnvoyRequestUrl, FallsBackToTheHeadersEnvoySends) {
  auth_v3::AttributeContext::HttpRequest http = Http("", "", "");
  (*http.mutable_headers())[":authority"] = "shop.example:8443";
  (*http.mutable_headers())[":path"] = "/cart?id=7";
  (*http.mutable_headers())["x-forwarded-proto"] = "https";
  absl::StatusOr<std::string> url = EnvoyRequestUrl(http);
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "https://shop.example:8443/cart?id=7");

  // No scheme at all: plain HTTP; a separate query (not Envoy's way) is
  // appended.
  http = Http("", "shop.example", "/search");
  http.set_query("q=1");
  url = EnvoyRequestUrl(http);
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "http://shop.example/search?q=1");
}

TEST(EnvoyRequestUrl, ErrorsNameTheField) {
  absl::StatusOr<std::string> url = EnvoyRequestUrl(Http("ftp", "a.test", "/"));
  EXPECT_EQ(url.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(url.status().message(),
            "attributes.request.http.scheme: 'ftp' is neither http nor https");
  url = EnvoyRequestUrl(Http("https", "", "/"));
  EXPECT_THAT(url.status().message(),
              HasSubstr("attributes.request.http.host: missing"));
}

// The service's decisions on a real engine (no gRPC: Decide is Check after
// authorization).
class ExtAuthzDecideTest : public ::testing::Test {
 protected:
  void SetUp() override { limits_.set_max_url_length(8192); }

  auth_v3::CheckResponse Decide(const v1::HttpFrontConfig& config,
                                const std::string& url,
                                int64_t* max_age = nullptr) {
    UrlChecker checker(engine_, limits_, nullptr);
    GatewayJudge judge(checker, config);
    ExtAuthzServiceImpl service(judge, nullptr, config);
    auth_v3::CheckRequest request;
    const std::string scheme = url.substr(0, url.find(':'));
    const std::string rest = url.substr(scheme.size() + 3);
    *request.mutable_attributes()->mutable_request()->mutable_http() = Http(
        scheme, rest.substr(0, rest.find('/')), rest.substr(rest.find('/')));
    return service.Decide(request, "", max_age);
  }

  static std::string HeaderValue(const google::protobuf::RepeatedPtrField<
                                     core_v3::HeaderValueOption>& headers,
                                 const std::string& key) {
    for (const core_v3::HeaderValueOption& option : headers) {
      if (option.header().key() == key) return option.header().value();
    }
    return "<absent>";
  }

  v1::Limits limits_;
  verdict::Engine engine_{SystemClock()};
};

TEST_F(ExtAuthzDecideTest, FailsClosedWith503UntilTheSnapshotLoads) {
  auth_v3::CheckResponse response = Decide({}, "https://a.example/");
  EXPECT_EQ(response.status().code(), 14);  // UNAVAILABLE
  ASSERT_TRUE(response.has_denied_response());
  EXPECT_EQ(response.denied_response().status().code(),
            envoy::type::v3::ServiceUnavailable);

  v1::HttpFrontConfig open;
  open.set_fail_open(true);
  int64_t max_age = -1;
  response = Decide(open, "https://a.example/", &max_age);
  EXPECT_EQ(response.status().code(), 0);
  ASSERT_TRUE(response.has_ok_response());
  EXPECT_EQ(
      HeaderValue(response.ok_response().headers(), "x-lureguard-fail-open"),
      "engine not ready");
  EXPECT_EQ(max_age, 0);
}

TEST_F(ExtAuthzDecideTest, AllowSetsOurHeadersAndRemovesAClientsReasons) {
  engine_.Publish(std::make_shared<const verdict::EngineSnapshot>());
  int64_t max_age = -1;
  auth_v3::CheckResponse response =
      Decide({}, "https://www.example.org/news", &max_age);
  EXPECT_EQ(response.status().code(), 0);
  ASSERT_TRUE(response.has_ok_response());
  const auto& headers = response.ok_response().headers();
  EXPECT_EQ(HeaderValue(headers, "x-lureguard-action"), "ALLOW");
  EXPECT_EQ(headers[0].append_action(),
            core_v3::HeaderValueOption::OVERWRITE_IF_EXISTS_OR_ADD);
  EXPECT_THAT(response.ok_response().headers_to_remove(),
              ElementsAre("x-lureguard-reasons"));
  const auto& metadata = response.dynamic_metadata().fields();
  EXPECT_EQ(metadata.at("action").string_value(), "ALLOW");
  EXPECT_GT(max_age, 0);
  EXPECT_EQ(metadata.at("cache_max_age").number_value(),
            static_cast<double>(max_age));
}

TEST_F(ExtAuthzDecideTest, WarnPassesUnlessBlockOnWarnThenThePageIsTheBody) {
  engine_.Publish(std::make_shared<const verdict::EngineSnapshot>());
  // User info before an IP host: WARN by default (as in http_front_test).
  const std::string url = "http://paypal.com@192.0.2.1/login";
  auth_v3::CheckResponse warn = Decide({}, url);
  EXPECT_EQ(warn.status().code(), 0);
  ASSERT_TRUE(warn.has_ok_response());
  EXPECT_EQ(HeaderValue(warn.ok_response().headers(), "x-lureguard-action"),
            "WARN");
  EXPECT_EQ(HeaderValue(warn.ok_response().headers(), "x-lureguard-reasons"),
            "URL_USERINFO,URL_IP_HOST");
  const auto& metadata = warn.dynamic_metadata().fields();
  EXPECT_NEAR(metadata.at("score").number_value(), 0.58, 1e-9);
  ASSERT_EQ(metadata.at("reasons").list_value().values_size(), 2);
  EXPECT_EQ(metadata.at("reasons").list_value().values(1).string_value(),
            "URL_IP_HOST");

  v1::HttpFrontConfig config;
  config.set_block_on_warn(true);
  auth_v3::CheckResponse denied = Decide(config, url);
  EXPECT_EQ(denied.status().code(), 7);  // PERMISSION_DENIED
  ASSERT_TRUE(denied.has_denied_response());
  EXPECT_EQ(denied.denied_response().status().code(),
            envoy::type::v3::Forbidden);
  EXPECT_EQ(HeaderValue(denied.denied_response().headers(), "content-type"),
            "text/html; charset=utf-8");
  EXPECT_THAT(denied.denied_response().body(), HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(denied.denied_response().body(), HasSubstr("192.0.2.1"));
}

}  // namespace
}  // namespace lureguard::service
