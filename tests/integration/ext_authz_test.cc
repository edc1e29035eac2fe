// End to end: Envoy's gRPC ext_authz API (envoy.service.auth.v3.Authorization)
// on the real lureguard-server binary, asked as Envoy's ext_authz filter
// asks: the HttpRequest attributes Envoy fills (scheme from
// x-forwarded-proto, host from :authority, path with its query, the
// lower-cased headers), context_extensions from the route, and the bearer
// key in the call's metadata as `grpc_service.initial_metadata` sends it.

#include <memory>
#include <string>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/gateway_server.h"

namespace lureguard {
namespace {

namespace auth_v3 = ::envoy::service::auth::v3;
namespace core_v3 = ::envoy::config::core::v3;
using testing::GatewayServer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// What Envoy's ext_authz filter sends for `GET <path>` on `authority`.
auth_v3::CheckRequest AsEnvoySends(const std::string& scheme,
                                   const std::string& authority,
                                   const std::string& path,
                                   const std::string& tenant = "") {
  auth_v3::CheckRequest request;
  auth_v3::AttributeContext::HttpRequest& http =
      *request.mutable_attributes()->mutable_request()->mutable_http();
  http.set_id("5b1e6d8a-0c4f-4d2e-9a57-2f0c3c1d9e11");
  http.set_method("GET");
  http.set_path(path);
  http.set_host(authority);
  http.set_scheme(scheme);
  http.set_size(-1);
  http.set_protocol("HTTP/1.1");
  auto& headers = *http.mutable_headers();
  headers[":authority"] = authority;
  headers[":method"] = "GET";
  headers[":path"] = path;
  headers[":scheme"] = "http";
  headers["x-forwarded-proto"] = scheme;
  headers["user-agent"] = "curl/7.88.1";
  headers["x-request-id"] = http.id();
  if (!tenant.empty()) {
    (*request.mutable_attributes()->mutable_context_extensions())["tenant"] =
        tenant;
  }
  return request;
}

std::string HeaderValue(const google::protobuf::RepeatedPtrField<
                            core_v3::HeaderValueOption>& headers,
                        const std::string& key) {
  for (const core_v3::HeaderValueOption& option : headers) {
    if (option.header().key() == key) return option.header().value();
  }
  return "<absent>";
}

class ExtAuthzTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new GatewayServer();
    ASSERT_TRUE(server_->Start());
    server_->Block("evil-phish.test");
    verdict_key_ = new std::string(server_->CreateKey("envoy", v1::VERDICT));
    readonly_key_ =
        new std::string(server_->CreateKey("ro", v1::READONLY_ADMIN));
    v1::CreateApiKeyRequest request;
    request.set_name("acme-envoy");
    request.set_role(v1::VERDICT);
    request.set_tenant("acme");
    v1::CreateApiKeyResponse response;
    grpc::Status status = server_->admin()->CreateApiKey(
        server_->Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    acme_key_ = new std::string(response.token());
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(), 0);
    delete server_;
    delete verdict_key_;
    delete readonly_key_;
    delete acme_key_;
  }

  // Check over real gRPC with `key` (none when empty).
  grpc::Status Check(const auth_v3::CheckRequest& request,
                     auth_v3::CheckResponse& response, const std::string& key,
                     std::string* cache_control = nullptr) {
    std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
        server_->grpc_address(), grpc::InsecureChannelCredentials());
    std::unique_ptr<auth_v3::Authorization::Stub> stub =
        auth_v3::Authorization::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    if (!key.empty()) context.AddMetadata("authorization", "Bearer " + key);
    grpc::Status status = stub->Check(&context, request, &response);
    if (cache_control != nullptr) {
      auto it = context.GetServerInitialMetadata().find("cache-control");
      *cache_control = it == context.GetServerInitialMetadata().end()
                           ? "<absent>"
                           : std::string(it->second.data(), it->second.size());
    }
    return status;
  }

  static GatewayServer* server_;
  static std::string* verdict_key_;
  static std::string* readonly_key_;
  static std::string* acme_key_;
};

GatewayServer* ExtAuthzTest::server_ = nullptr;
std::string* ExtAuthzTest::verdict_key_ = nullptr;
std::string* ExtAuthzTest::readonly_key_ = nullptr;
std::string* ExtAuthzTest::acme_key_ = nullptr;

TEST_F(ExtAuthzTest, ABlocklistedUrlIsDenied403WithTheBlockPage) {
  auth_v3::CheckResponse response;
  std::string cache_control;
  grpc::Status status =
      Check(AsEnvoySends("https", "pay.evil-phish.test", "/signin?a=1"),
            response, *verdict_key_, &cache_control);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status().code(), 7);  // PERMISSION_DENIED
  ASSERT_TRUE(response.has_denied_response());
  const auth_v3::DeniedHttpResponse& denied = response.denied_response();
  EXPECT_EQ(denied.status().code(), envoy::type::v3::Forbidden);
  EXPECT_EQ(HeaderValue(denied.headers(), "x-lureguard-action"), "BLOCK");
  EXPECT_EQ(HeaderValue(denied.headers(), "x-lureguard-reasons"),
            "BLOCKLIST_MATCH");
  EXPECT_EQ(HeaderValue(denied.headers(), "content-type"),
            "text/html; charset=utf-8");
  EXPECT_THAT(denied.body(), StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(denied.body(), HasSubstr("pay.evil-phish.test"));

  const auto& metadata = response.dynamic_metadata().fields();
  EXPECT_EQ(metadata.at("action").string_value(), "BLOCK");
  EXPECT_GT(metadata.at("score").number_value(), 0.9);
  ASSERT_EQ(metadata.at("reasons").list_value().values_size(), 1);
  EXPECT_EQ(metadata.at("reasons").list_value().values(0).string_value(),
            "BLOCKLIST_MATCH");
  EXPECT_EQ(metadata.at("verdict_id").string_value(),
            HeaderValue(denied.headers(), "x-lureguard-verdict-id"));
  EXPECT_EQ(
      cache_control,
      "private, max-age=" + std::to_string(static_cast<int64_t>(
                                metadata.at("cache_max_age").number_value())));
  EXPECT_GT(metadata.at("cache_max_age").number_value(), 0);
}

TEST_F(ExtAuthzTest, ACleanUrlIsAllowedWithOurHeadersUpstream) {
  // Envoy behind a TLS-terminating balancer: x-forwarded-proto says https,
  // :scheme says http; scheme is what Envoy copies from x-forwarded-proto.
  auth_v3::CheckResponse response;
  grpc::Status status =
      Check(AsEnvoySends("https", "www.example.org", "/news?page=2"), response,
            *verdict_key_);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status().code(), 0);
  ASSERT_TRUE(response.has_ok_response());
  EXPECT_EQ(HeaderValue(response.ok_response().headers(), "x-lureguard-action"),
            "ALLOW");
  EXPECT_NE(
      HeaderValue(response.ok_response().headers(), "x-lureguard-verdict-id"),
      "<absent>");
  EXPECT_THAT(response.ok_response().headers_to_remove(),
              ::testing::ElementsAre("x-lureguard-reasons"));
  EXPECT_EQ(response.dynamic_metadata().fields().at("action").string_value(),
            "ALLOW");
}

TEST_F(ExtAuthzTest, TheSameUrlGetsTheSameActionAsCheckUrl) {
  for (const char* url : {"https://login.evil-phish.test/signin?a=1",
                          "https://www.example.org/"}) {
    const std::string rest = std::string(url).substr(8);
    auth_v3::CheckResponse response;
    ASSERT_TRUE(Check(AsEnvoySends("https", rest.substr(0, rest.find('/')),
                                   rest.substr(rest.find('/'))),
                      response, *verdict_key_)
                    .ok());
    EXPECT_EQ(response.dynamic_metadata().fields().at("action").string_value(),
              v1::Action_Name(server_->CheckUrl(url).verdict().action()))
        << url;
  }
}

TEST_F(ExtAuthzTest, ACallerWithoutAVerdictKeyIsRefused) {
  auth_v3::CheckRequest request = AsEnvoySends("https", "www.example.org", "/");
  auth_v3::CheckResponse response;
  EXPECT_EQ(Check(request, response, "").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Check(request, response, "lg_nope_nope").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Check(request, response, *readonly_key_).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ExtAuthzTest, TheTenantComesFromContextExtensions) {
  auth_v3::CheckResponse response;
  EXPECT_TRUE(Check(AsEnvoySends("https", "www.example.org", "/", "acme"),
                    response, *acme_key_)
                  .ok());
  EXPECT_TRUE(response.has_ok_response());
  // A key bound to acme may not ask for another tenant.
  grpc::Status status =
      Check(AsEnvoySends("https", "www.example.org", "/", "globex"), response,
            *acme_key_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ExtAuthzTest, ARequestWithoutAHostIsDenied400NamingTheField) {
  auth_v3::CheckRequest request = AsEnvoySends("https", "", "/");
  request.mutable_attributes()
      ->mutable_request()
      ->mutable_http()
      ->mutable_headers()
      ->erase(":authority");
  auth_v3::CheckResponse response;
  ASSERT_TRUE(Check(request, response, *verdict_key_).ok());
  EXPECT_EQ(response.status().code(), 3);  // INVALID_ARGUMENT
  EXPECT_EQ(response.denied_response().status().code(),
            envoy::type::v3::BadRequest);
  EXPECT_THAT(response.denied_response().body(),
              HasSubstr("attributes.request.http.host: missing"));
}

}  // namespace
}  // namespace lureguard
