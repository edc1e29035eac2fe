#include "server/service/links_config.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/service/config.h"
#include "tests/testing/temp_dir.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

using ::testing::StartsWith;

std::string Error(const std::string& text) {
  return std::string(ValidateLinksConfig(ParseConfig(text)).message());
}

TEST(LinksConfig, ErrorsNameTheField) {
  EXPECT_TRUE(ValidateLinksConfig(ParseConfig("")).ok());
  EXPECT_THAT(Error(R"pb(links { click_base_url: "ftp://x.example" })pb"),
              StartsWith("links.click_base_url: 'ftp://x.example' is not"));
  EXPECT_THAT(
      Error(R"pb(links { click_base_url: "https://x.example/links" })pb"),
      StartsWith("links.click_base_url: 'https://x.example/links' must have "
                 "no path"));
  EXPECT_THAT(Error(R"pb(links {
                           tenants {
                             tenant: "acme"
                             policy { do_not_rewrite_hosts: "a b.example" }
                           }
                         })pb"),
              StartsWith("links.tenants[0].policy.do_not_rewrite_hosts[0]: "));
  EXPECT_THAT(Error(R"pb(links {
                           signing_keys { id: "k1" secret_file: "a" }
                           signing_keys { id: "k2" secret_file: "b" }
                         })pb"),
              StartsWith("links.signing_key_id: must name the signing key"));
  EXPECT_THAT(
      Error(R"pb(links { signing_keys { id: "bad id" secret_file: "a" } })pb"),
      StartsWith("links.signing_keys[0].id: 'bad id'"));
  EXPECT_THAT(Error(R"pb(links { max_message_bytes: 999999999 })pb"),
              StartsWith("links.max_message_bytes: 999999999 is outside"));
}

TEST(LinksConfig, TenantsOverrideTheGlobalPolicyWhereSet) {
  v1::ServerConfig config = ParseConfig(R"pb(
    links {
      policy {
        do_not_rewrite_hosts: "SSO.Example"
        allow_continue_on_warn: false
      }
      tenants {
        tenant: "acme"
        policy {
          do_not_rewrite_hosts: "wiki.acme.example"
          allow_continue_on_block: true
          click_base_url: "https://click.acme.example/"
        }
      }
    })pb");
  absl::StatusOr<links::LinkPolicies> policies =
      LinkPoliciesFromConfig(config.links(), "http://127.0.0.1:8080");
  ASSERT_TRUE(policies.ok()) << policies.status();
  const links::LinkPolicy& global = policies->For("");
  EXPECT_EQ(global.click_base_url, "http://127.0.0.1:8080");
  EXPECT_FALSE(global.allow_continue_on_warn);
  EXPECT_FALSE(global.allow_continue_on_block);
  EXPECT_TRUE(global.ExemptsHost("login.sso.example"));
  const links::LinkPolicy& acme = policies->For("acme");
  EXPECT_EQ(acme.click_base_url, "https://click.acme.example");
  EXPECT_FALSE(acme.allow_continue_on_warn);  // inherited
  EXPECT_TRUE(acme.allow_continue_on_block);
  EXPECT_TRUE(acme.ExemptsHost("sso.example"));
  EXPECT_TRUE(acme.ExemptsHost("wiki.acme.example"));
  EXPECT_FALSE(acme.ExemptsHost("notsso.example"));
  EXPECT_EQ(&policies->For("globex"), &global);
}

TEST(LinksConfig, ConfirmEveryClickIsPerTenant) {
  v1::ServerConfig config = ParseConfig(R"pb(
    links {
      tenants {
        tenant: "acme"
        policy { confirm_every_click: true }
      }
      tenants {
        tenant: "globex"
        policy { allow_continue_on_warn: false }
      }
    })pb");
  absl::StatusOr<links::LinkPolicies> policies =
      LinkPoliciesFromConfig(config.links(), "http://127.0.0.1:8080");
  ASSERT_TRUE(policies.ok()) << policies.status();
  EXPECT_FALSE(policies->For("").confirm_every_click);
  EXPECT_TRUE(policies->For("acme").confirm_every_click);
  EXPECT_FALSE(policies->For("globex").confirm_every_click);
}

TEST(LinksConfig, TheDefaultSigningKeyIsCreatedOwnerOnlyOnce) {
  testing::TempDir dir;
  v1::ServerConfig config = ParseConfig("");
  config.set_data_dir(dir.path());
  absl::StatusOr<links::ClickTokenCodec> first =
      ClickTokenCodecFromConfig(config, absl::Hours(1));
  ASSERT_TRUE(first.ok()) << first.status();
  struct stat st;
  ASSERT_EQ(stat((dir.path() + "/links.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  // The same key after a restart: links in delivered mail keep working.
  absl::StatusOr<links::ClickTokenCodec> again =
      ClickTokenCodecFromConfig(config, absl::Hours(1));
  ASSERT_TRUE(again.ok());
  links::ClickToken token;
  token.issued = absl::FromUnixSeconds(1767225600);
  token.url = "https://example.org/";
  absl::StatusOr<links::ClickToken> decoded =
      again->DecodeAnyAge(first->Encode(token));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->url, token.url);

  config.mutable_links()->add_signing_keys()->set_id("k9");
  config.mutable_links()->mutable_signing_keys(0)->set_secret_file("short");
  std::ofstream(dir.path() + "/short") << "too short";
  absl::StatusOr<links::ClickTokenCodec> bad =
      ClickTokenCodecFromConfig(config, absl::Hours(1));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace lureguard::service
