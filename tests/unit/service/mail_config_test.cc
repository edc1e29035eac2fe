#include "server/service/mail_config.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/service/config.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

using ::testing::StartsWith;

std::string Error(const std::string& text) {
  return std::string(ValidateMailConfig(ParseConfig(text)).message());
}

TEST(MailConfig, ErrorsNameTheField) {
  EXPECT_TRUE(ValidateMailConfig(ParseConfig("")).ok());
  EXPECT_THAT(Error(R"pb(mail { policy { own_domains: "acme example" } })pb"),
              StartsWith("mail.policy.own_domains[0]: 'acme example' is not "
                         "a domain name"));
  EXPECT_THAT(Error(R"pb(mail { policy { own_domains: "localhost" } })pb"),
              StartsWith("mail.policy.own_domains[0]: 'localhost'"));
  EXPECT_THAT(Error(R"pb(mail { tenants { policy {} } })pb"),
              StartsWith("mail.tenants[0].tenant: must be set"));
  EXPECT_THAT(Error(R"pb(mail {
                           tenants { tenant: "a" }
                           tenants { tenant: "a" }
                         })pb"),
              StartsWith("mail.tenants[1].tenant: 'a' is given twice"));
  EXPECT_THAT(Error(R"pb(mail {
                           tenants {
                             tenant: "a"
                             policy { own_domains: "a.example" own_domains: "" }
                           }
                         })pb"),
              StartsWith("mail.tenants[0].policy.own_domains[1]: ''"));
  EXPECT_THAT(Error(R"pb(mail { trusted_authserv_ids: "mx; evil" })pb"),
              StartsWith("mail.trusted_authserv_ids[0]: 'mx; evil' is not"));
  EXPECT_THAT(Error(R"pb(mail { max_message_bytes: 1073741824 })pb"),
              StartsWith("mail.max_message_bytes: 1073741824 must be "
                         "positive and fit limits.max_message_bytes"));
  EXPECT_THAT(Error(R"pb(mail { max_decode_depth: 17 })pb"),
              StartsWith("mail.max_decode_depth: 17 is outside [0, 16]"));
  EXPECT_THAT(Error(R"pb(mail { deadline { seconds: -1 } })pb"),
              StartsWith("mail.deadline: must be positive"));
  // The server refuses to start on any of them.
  EXPECT_FALSE(
      ValidateConfig(ParseConfig(R"pb(mail { max_parts: -1 })pb")).ok());
}

TEST(MailConfig, PoliciesAndLimitsFollowTheConfig) {
  absl::StatusOr<mail::MailPolicies> policies =
      MailPoliciesFromConfig(ParseConfig(R"pb(
        mail {
          trusted_authserv_ids: "MX.Acme.Example"
          policy {
            own_domains: "acme-logistics.example"
            defang_attachments: true
          }
          tenants {
            tenant: "b"
            policy { own_domains: "bravo-freight.example" }
          }
          tenants {
            tenant: "c"
            policy { own_name: "Cee" defang_attachments: false }
          }
          max_part_bytes: 1000
          deadline { seconds: 5 }
        }
      )pb"));
  ASSERT_TRUE(policies.ok()) << policies.status();
  EXPECT_TRUE(policies->TrustsAuthservId("mx.acme.example"));
  EXPECT_FALSE(policies->TrustsAuthservId("mx.other.example"));
  EXPECT_TRUE(policies->For("").defang_attachments);
  // A tenant inherits what it does not set, but never another's domains.
  EXPECT_TRUE(policies->For("b").defang_attachments);
  EXPECT_FALSE(policies->For("c").defang_attachments);
  EXPECT_EQ(policies->For("c").own_name, "Cee");
  EXPECT_TRUE(policies->For("c").own_domains.empty());
  EXPECT_EQ(policies->limits().max_part_bytes, 1000u);
  EXPECT_EQ(policies->limits().deadline, absl::Seconds(5));
  EXPECT_EQ(policies->limits().max_parts, 500);
  ASSERT_NE(policies->own_domains(), nullptr);
  // The global organisation's lookalikes, for every tenant; b's for b only.
  EXPECT_FALSE(
      policies->own_domains()->MatchHost("acmelogistics.example", "").empty());
  EXPECT_FALSE(
      policies->own_domains()->MatchHost("bravofreight.example", "b").empty());
  EXPECT_TRUE(
      policies->own_domains()->MatchHost("bravofreight.example", "").empty());
}

}  // namespace
}  // namespace lureguard::service
