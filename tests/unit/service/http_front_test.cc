#include "server/service/http_front.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/rate_limiter.h"
#include "server/common/clock.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::service {
namespace {

using ::testing::HasSubstr;

HttpRequest Request(
    std::string target,
    std::initializer_list<std::pair<std::string, std::string>> headers) {
  HttpRequest request;
  request.method = "GET";
  request.target = target;
  SplitTarget(request.target, request.path, request.query);
  for (const auto& [name, value] : headers) request.headers.Add(name, value);
  return request;
}

TEST(OriginalUrl, NginxSendsXOriginalUrl) {
  absl::StatusOr<std::string> url = OriginalUrl(
      Request("/authz", {{"X-Original-URL", "https://login.evil.test/a?b=1"},
                         {"X-Forwarded-Host", "ignored.test"},
                         {"X-Forwarded-Uri", "/ignored"}}));
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "https://login.evil.test/a?b=1");
}

TEST(OriginalUrl, TraefikSendsForwardedProtoHostAndUri) {
  absl::StatusOr<std::string> url =
      OriginalUrl(Request("/authz", {{"X-Forwarded-Proto", "https"},
                                     {"X-Forwarded-Host", "shop.example"},
                                     {"X-Forwarded-Uri", "/cart?id=%2F7"}}));
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "https://shop.example/cart?id=%2F7");
  // Without a proto the gateway spoke plain HTTP.
  url = OriginalUrl(Request("/authz", {{"X-Forwarded-Host", "shop.example"},
                                       {"X-Forwarded-Uri", ""}}));
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "http://shop.example/");
}

TEST(OriginalUrl, TraefikForwardAuthHeadersAsTraefikSendsThem) {
  // Every header Traefik's ForwardAuth middleware sets, for a POST to
  // https://app.example:8443/reset?token=abc behind it; the method, port
  // and client address do not change the URL.
  absl::StatusOr<std::string> url =
      OriginalUrl(Request("/authz", {{"X-Forwarded-Method", "POST"},
                                     {"X-Forwarded-Proto", "https"},
                                     {"X-Forwarded-Host", "app.example:8443"},
                                     {"X-Forwarded-Port", "8443"},
                                     {"X-Forwarded-Uri", "/reset?token=abc"},
                                     {"X-Forwarded-For", "198.51.100.7"},
                                     {"X-Real-Ip", "198.51.100.7"},
                                     {"Host", "127.0.0.1:8080"}}));
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "https://app.example:8443/reset?token=abc");
}

TEST(OriginalUrl, EnvoySendsTheOriginalPathAfterThePrefix) {
  absl::StatusOr<std::string> url = OriginalUrl(
      Request("/authz/sign%20in/x?next=%2Fhome",
              {{"Host", "mail.example"}, {"X-Forwarded-Proto", "https"}}));
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(*url, "https://mail.example/sign%20in/x?next=%2Fhome");
}

TEST(OriginalUrl, ErrorsNameTheHeader) {
  absl::StatusOr<std::string> url = OriginalUrl(Request("/authz", {}));
  EXPECT_EQ(url.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(url.status().message(), HasSubstr("X-Original-URL: missing"));

  url = OriginalUrl(Request("/authz", {{"X-Original-URL", ""}}));
  EXPECT_EQ(url.status().message(), "X-Original-URL: is empty");

  url = OriginalUrl(Request("/authz", {{"X-Forwarded-Uri", "/x"}}));
  EXPECT_THAT(url.status().message(), HasSubstr("X-Forwarded-Host: missing"));

  url = OriginalUrl(Request("/authz", {{"X-Forwarded-Proto", "ftp"},
                                       {"X-Forwarded-Host", "a.example"},
                                       {"X-Forwarded-Uri", "/"}}));
  EXPECT_THAT(url.status().message(),
              HasSubstr("X-Forwarded-Proto: 'ftp' is neither"));
}

// The front on a real engine and a real key ring over a SQLite file.
class HttpFrontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    keys_ = std::make_unique<auth::KeyRing>(*store_, SystemClock());
    ASSERT_TRUE(keys_->Load().ok());
    absl::StatusOr<std::string> token =
        keys_->Create("gw", auth::Role::kVerdict, "");
    ASSERT_TRUE(token.ok()) << token.status();
    token_ = *token;
    limits_.set_max_url_length(8192);
  }

  HttpResponse Authz(const v1::HttpFrontConfig& config,
                     const std::string& url) {
    UrlChecker checker(engine_, limits_, nullptr);
    HttpFront front(checker, *keys_, config, [] { return true; });
    HttpResponse response;
    front.Authz(Request("/authz", {{"Authorization", "Bearer " + token_},
                                   {"X-Original-URL", url}}),
                response);
    return response;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<auth::KeyRing> keys_;
  std::string token_;
  v1::Limits limits_;
  verdict::Engine engine_{SystemClock()};
};

TEST_F(HttpFrontTest, AKeyOverItsRateLimitGets429WithRetryAfter) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  auth::RateLimiter limiter(clock, {.rate = 0.5, .burst = 1});
  UrlChecker checker(engine_, limits_, nullptr);
  HttpFront front(
      checker, *keys_, {}, [] { return true; }, &limiter);
  auto authz = [&] {
    HttpResponse response;
    front.Authz(Request("/authz", {{"Authorization", "Bearer " + token_},
                                   {"X-Original-URL", "https://a.example/"}}),
                response);
    return response;
  };
  // The engine has no snapshot, so an admitted call fails closed (503);
  // what matters is that the limiter let it through.
  EXPECT_EQ(authz().status, 503);
  HttpResponse limited = authz();
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers.GetOr("Retry-After"), "2");
  EXPECT_THAT(limited.body, HasSubstr("key 'gw' is over its rate limit"));
  // A bad key is refused before the limiter, so it cannot drain the bucket.
  HttpResponse unknown;
  front.Authz(Request("/authz", {{"Authorization", "Bearer lg_nope_nope"},
                                 {"X-Original-URL", "https://a.example/"}}),
              unknown);
  EXPECT_EQ(unknown.status, 401);
  clock.Advance(absl::Seconds(2));
  EXPECT_EQ(authz().status, 503);
}

TEST_F(HttpFrontTest, HealthzFollowsServing) {
  UrlChecker checker(engine_, limits_, nullptr);
  bool serving = false;
  HttpFront front(checker, *keys_, {}, [&serving] { return serving; });
  HttpResponse response;
  front.Healthz(Request("/healthz", {}), response);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "NOT_SERVING\n");
  serving = true;
  front.Healthz(Request("/healthz", {}), response);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "SERVING\n");
}

TEST_F(HttpFrontTest, FailsClosedWhileTheEngineHasNoSnapshot) {
  HttpResponse response = Authz({}, "https://a.example/");
  EXPECT_EQ(response.status, 503);
  EXPECT_FALSE(response.headers.Has("X-Lureguard-Action"));
}

TEST_F(HttpFrontTest, FailsOpenWhenConfiguredTo) {
  v1::HttpFrontConfig config;
  config.set_fail_open(true);
  HttpResponse response = Authz(config, "https://a.example/");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.GetOr("X-Lureguard-Fail-Open"),
            "engine not ready");
  EXPECT_FALSE(response.headers.Has("X-Lureguard-Action"));
  // A bad URL is still refused: failing open is for an engine not ready.
  engine_.Publish(std::make_shared<const verdict::EngineSnapshot>());
  EXPECT_EQ(Authz(config, "http://[::1/").status, 400);
}

TEST_F(HttpFrontTest, WarnPassesUnlessBlockOnWarn) {
  engine_.Publish(std::make_shared<const verdict::EngineSnapshot>());
  // User info before an IP host: 1 - 0.6 * 0.7 = 0.58, WARN by default.
  const std::string url = "http://paypal.com@192.0.2.1/login";
  HttpResponse warn = Authz({}, url);
  EXPECT_EQ(warn.status, 200);
  EXPECT_EQ(warn.headers.GetOr("X-Lureguard-Action"), "WARN");
  EXPECT_EQ(warn.headers.GetOr("X-Lureguard-Reasons"),
            "URL_USERINFO,URL_IP_HOST");

  v1::HttpFrontConfig config;
  config.set_block_on_warn(true);
  HttpResponse blocked = Authz(config, url);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.headers.GetOr("X-Lureguard-Action"), "WARN");
}

TEST_F(HttpFrontTest, VerdictsCarryTheirCacheTtlForGatewayCaches) {
  engine_.Publish(std::make_shared<const verdict::EngineSnapshot>());
  HttpResponse allow = Authz({}, "https://www.example.org/");
  EXPECT_EQ(allow.status, 200);
  // The policy's default cache TTL for a verdict with nothing pending.
  EXPECT_EQ(allow.headers.GetOr("Cache-Control"), "private, max-age=300");
  EXPECT_EQ(allow.headers.GetOr("X-Accel-Expires"), "300");

  // Failing open is never cached: the engine will be ready in a moment.
  v1::HttpFrontConfig config;
  config.set_fail_open(true);
  verdict::Engine not_ready{SystemClock()};
  UrlChecker checker(not_ready, limits_, nullptr);
  HttpFront front(checker, *keys_, config, [] { return true; });
  HttpResponse open;
  front.Authz(Request("/authz", {{"Authorization", "Bearer " + token_},
                                 {"X-Original-URL", "https://a.example/"}}),
              open);
  EXPECT_EQ(open.status, 200);
  EXPECT_EQ(open.headers.GetOr("Cache-Control"), "no-store");
  EXPECT_EQ(open.headers.GetOr("X-Accel-Expires"), "0");
}

}  // namespace
}  // namespace lureguard::service
