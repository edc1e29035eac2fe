#include "server/service/login_config.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/service/config.h"
#include "server/service/links_config.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

using ::testing::StartsWith;

std::string LoginError(const std::string& text) {
  return std::string(ValidateLoginConfig(ParseConfig(text)).message());
}

std::string LinksError(const std::string& text) {
  return std::string(ValidateLinksConfig(ParseConfig(text)).message());
}

TEST(LoginBeaconConfig, DefaultsAreTheDocumentedOnes) {
  absl::StatusOr<login::LoginOptions> options =
      LoginOptionsFromConfig(ParseConfig(""));
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->beacon.ttl, absl::Hours(24 * 30));
  EXPECT_EQ(options->beacon.max_flags, 10000);
  EXPECT_DOUBLE_EQ(options->beacon.per_client_ip.rate, 1.0 / 60);
  EXPECT_EQ(options->beacon.per_client_ip.burst, 10);
  EXPECT_EQ(options->beacon.per_tenant.rate, 1);
  EXPECT_EQ(options->beacon.per_tenant.burst, 100);
}

TEST(LoginBeaconConfig, SetFieldsReplaceTheDefaults) {
  absl::StatusOr<login::LoginOptions> options = LoginOptionsFromConfig(
      ParseConfig(R"pb(login {
                         beacon {
                           flag_ttl { seconds: 86400 }
                           max_flags: 50
                           per_client_ip { burst: 3 }
                           per_tenant { requests_per_second: 0 }
                         }
                       })pb"));
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->beacon.ttl, absl::Hours(24));
  EXPECT_EQ(options->beacon.max_flags, 50);
  EXPECT_DOUBLE_EQ(options->beacon.per_client_ip.rate, 1.0 / 60);
  EXPECT_EQ(options->beacon.per_client_ip.burst, 3);
  EXPECT_EQ(options->beacon.per_tenant.rate, 0);  // no limit
}

TEST(LoginBeaconConfig, ErrorsNameTheField) {
  EXPECT_TRUE(ValidateLoginConfig(ParseConfig("")).ok());
  EXPECT_EQ(
      LoginError(R"pb(login { beacon { flag_ttl { nanos: 500000000 } } })pb"),
      "login.beacon.flag_ttl: 500ms is outside [1s, 8760h]");
  EXPECT_EQ(LoginError(R"pb(login { beacon { max_flags: -1 } })pb"),
            "login.beacon.max_flags: -1 is outside [1, 1000000]");
  EXPECT_EQ(
      LoginError(R"pb(login {
                        beacon { per_client_ip { requests_per_second: -1 } }
                      })pb"),
      "login.beacon.per_client_ip.requests_per_second: -1 must be finite and "
      "not negative");
  EXPECT_EQ(LoginError(R"pb(login {
                              beacon {
                                per_tenant { requests_per_second: 5 burst: 0.5 }
                              }
                            })pb"),
            "login.beacon.per_tenant.burst: 0.5 is below 1 with a positive "
            "rate");
}

TEST(LinksClickConfig, DefaultsAreTheDocumentedOnes) {
  const links::LinkProtectorOptions options =
      LinkOptionsFromConfig(ParseConfig(""));
  EXPECT_EQ(options.clicks.window, absl::Hours(1));
  EXPECT_EQ(options.clicks.retention, absl::Hours(24 * 90));
  EXPECT_EQ(options.clicks.per_client_ip.rate, 1);
  EXPECT_EQ(options.clicks.per_client_ip.burst, 20);
  const links::LinkProtectorOptions set = LinkOptionsFromConfig(
      ParseConfig(R"pb(links {
                         click_window { seconds: 600 }
                         click_retention { seconds: 86400 }
                         click_rate_per_ip { requests_per_second: 5 burst: 50 }
                       })pb"));
  EXPECT_EQ(set.clicks.window, absl::Minutes(10));
  EXPECT_EQ(set.clicks.retention, absl::Hours(24));
  EXPECT_EQ(set.clicks.per_client_ip.rate, 5);
  EXPECT_EQ(set.clicks.per_client_ip.burst, 50);
}

TEST(LinksClickConfig, ErrorsNameTheField) {
  EXPECT_EQ(LinksError(R"pb(links { click_window { seconds: 0 } })pb"),
            "links.click_window: 0 is outside [1s, 720h]");
  EXPECT_EQ(LinksError(R"pb(links { click_retention { seconds: 60 } })pb"),
            "links.click_retention: 1m is outside [1h, 87600h]");
  EXPECT_THAT(LinksError(R"pb(links { click_rate_per_ip { burst: -2 } })pb"),
              StartsWith("links.click_rate_per_ip.burst: -2 must be finite"));
}

}  // namespace
}  // namespace lureguard::service
