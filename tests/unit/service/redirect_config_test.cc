#include "server/service/redirect_config.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/service/config.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

std::string Error(const std::string& text) {
  return std::string(ValidateRedirectConfig(ParseConfig(text)).message());
}

TEST(RedirectConfig, ErrorsNameTheField) {
  EXPECT_TRUE(ValidateRedirectConfig(ParseConfig("")).ok());
  EXPECT_THAT(Error(R"pb(redirects { redirectors: "bit ly" })pb"),
              StartsWith("redirects.redirectors[0]: 'bit ly' is not a host"));
  EXPECT_THAT(Error(R"pb(redirects { follow_all_tenants: "" })pb"),
              StartsWith("redirects.follow_all_tenants[0]: must not be empty"));
  EXPECT_THAT(Error(R"pb(redirects { max_hops: 21 })pb"),
              StartsWith("redirects.max_hops: 21 is outside [1, 20]"));
  EXPECT_THAT(Error(R"pb(redirects { timeout { nanos: 1000000 } })pb"),
              StartsWith("redirects.timeout: 1ms is outside [100ms, 60s]"));
  EXPECT_THAT(Error(R"pb(redirects { failure_ttl { seconds: -1 } })pb"),
              StartsWith("redirects.failure_ttl: is negative"));
  EXPECT_THAT(Error(R"pb(redirects { max_cached_links: -5 })pb"),
              StartsWith("redirects.max_cached_links: -5 is negative"));
  // The whole config is refused the same way at start.
  EXPECT_THAT(std::string(ValidateConfig(ParseConfig(R"pb(redirects {
                                                            max_hops: 99
                                                          })pb"))
                              .message()),
              StartsWith("redirects.max_hops: 99"));
}

TEST(RedirectConfig, DefaultsAndGivenValues) {
  redirects::RedirectOptions defaults =
      RedirectOptionsFromConfig(ParseConfig(""));
  EXPECT_TRUE(defaults.redirectors.empty());  // KnownRedirectors()
  EXPECT_EQ(defaults.max_hops, 5);
  EXPECT_EQ(defaults.timeout, absl::Seconds(5));
  EXPECT_EQ(defaults.success_ttl, absl::Hours(1));
  redirects::RedirectOptions given =
      RedirectOptionsFromConfig(ParseConfig(R"pb(redirects {
                                                   redirectors: "Go.Example.COM"
                                                   follow_all_tenants: "acme"
                                                   max_hops: 8
                                                   timeout { seconds: 2 }
                                                 })pb"));
  EXPECT_THAT(given.redirectors, ElementsAre("go.example.com"));
  EXPECT_THAT(given.follow_all_tenants, ElementsAre("acme"));
  EXPECT_EQ(given.max_hops, 8);
  EXPECT_EQ(given.timeout, absl::Seconds(2));
}

// The pages that send a reader on without a 3xx: t.co's and Facebook's
// interstitials put a meta refresh in <noscript>, kits' hop pages in <head>.
TEST(RedirectConfig, PagesAreReadForTheirMetaRefresh) {
  EXPECT_TRUE(RedirectOptionsFromConfig(ParseConfig("")).page_redirect);
  EXPECT_EQ(MetaRefreshTarget(
                R"(<head><noscript><META http-equiv="refresh" )"
                R"(content="0;URL=https://kit.example/login"></noscript>)"
                R"(</head><script>location.replace("https://kit.example/)"
                R"(login")</script>)"),
            "https://kit.example/login");
  EXPECT_EQ(MetaRefreshTarget(R"(<html><head><meta http-equiv="Refresh" )"
                              R"(content="2; url='/next?id=7'"></head>)"),
            "/next?id=7");
  // A page that only reloads itself, or sends the reader nowhere by itself.
  EXPECT_EQ(MetaRefreshTarget(R"(<meta http-equiv="refresh" content="300">)"),
            "");
  EXPECT_EQ(MetaRefreshTarget(R"(<a href="https://example.com/">go</a>)"), "");
}

}  // namespace
}  // namespace lureguard::service
