// Shortened links through the real server: CheckUrl on a link of a
// configured redirector is judged with the page it leads to, followed over
// real HTTP on loopback.

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

namespace v1 = ::lureguard::v1;

// The server's flags with 127.0.0.1 as the one redirector.
std::vector<std::string> RedirectorFlags(const testing::TempDir& dir) {
  const std::string config = dir.path() + "/config.textproto";
  std::ofstream(config) << "redirects { redirectors: \"127.0.0.1\" }\n";
  return {"--config", config, "--allow_private_targets"};
}

void Block(ServerProcess& server, const std::string& value) {
  v1::CreateListEntryRequest add;
  add.set_list(v1::BLOCKLIST);
  add.set_value(value);
  v1::ListEntry entry;
  ASSERT_TRUE(
      server.admin()->CreateListEntry(Context(server).get(), add, &entry).ok());
}

// Checks `url` until its chain is known: the first check starts following
// it and does not wait (degraded).
v1::CheckUrlResponse CheckFollowed(ServerProcess& server,
                                   const std::string& url) {
  v1::CheckUrlRequest request;
  request.set_url(url);
  v1::CheckUrlResponse response;
  for (int i = 0; i < 400; ++i) {
    response.Clear();
    EXPECT_TRUE(
        server.url()->CheckUrl(Context(server).get(), request, &response).ok());
    if (i == 0) {
      EXPECT_TRUE(response.verdict().degraded());
    }
    if (!response.verdict().degraded()) break;
    absl::SleepFor(absl::Milliseconds(25));
  }
  EXPECT_FALSE(response.verdict().degraded());
  return response;
}

const v1::Reason* FindReason(const v1::CheckUrlResponse& response,
                             v1::ReasonCode code) {
  for (const v1::Reason& reason : response.verdict().reasons()) {
    if (reason.code() == code) return &reason;
  }
  return nullptr;
}

TEST(RedirectIntegrationTest, AShortLinkIsBlockedForWhereItLeads) {
  testing::TempDir dir;
  std::unique_ptr<testing::HttpTestServer> site =
      *testing::HttpTestServer::Start();
  site->SetResponse("/s/Xy7",
                    {.status = 302, .headers = {{"Location", "/t/redirect"}}});
  site->SetResponse(
      "/t/redirect",
      {.status = 301, .headers = {{"Location", site->Url("/kit/login.php")}}});
  site->SetResponse("/kit/login.php", {.body = "<form>password</form>"});
  ServerProcess server(dir.path() + "/var", RedirectorFlags(dir));
  ASSERT_TRUE(server.WaitServing());
  Block(server, site->Url("/kit/"));

  const v1::CheckUrlResponse response =
      CheckFollowed(server, site->Url("/s/Xy7"));
  EXPECT_EQ(response.verdict().action(), v1::BLOCK);
  const v1::Reason* redirect = FindReason(response, v1::URL_REDIRECTS_TO);
  const v1::Reason* listed = FindReason(response, v1::BLOCKLIST_MATCH);
  ASSERT_NE(redirect, nullptr);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(redirect->url(), site->Url("/kit/login.php"));
  EXPECT_THAT(redirect->detail(),
              ::testing::HasSubstr(site->Url("/t/redirect")));
  EXPECT_EQ(listed->url(), site->Url("/kit/login.php"));
  EXPECT_EQ(server.Stop(), 0);
}

// A large site's interstitial (200, a meta refresh inside <noscript>, the
// way t.co and l.facebook.com answer browsers) between the short link and
// a kit whose server refuses us: the page is read and the kit's URL judged.
TEST(RedirectIntegrationTest, AnInterstitialsRefreshIsFollowedToADeadKit) {
  testing::TempDir dir;
  std::unique_ptr<testing::HttpTestServer> site =
      *testing::HttpTestServer::Start();
  std::string kit;
  {
    std::unique_ptr<testing::HttpTestServer> gone =
        *testing::HttpTestServer::Start();
    kit = gone->Url("/kit/");
  }
  site->SetResponse("/s/Qa1",
                    {.status = 301, .headers = {{"Location", "/l.php?u=1"}}});
  site->SetResponse(
      "/l.php", {.headers = {{"Content-Type", "text/html; charset=utf-8"}},
                 .body = "<html><head><noscript><meta http-equiv=\"refresh\" "
                         "content=\"0;URL='" +
                         kit +
                         "login.php'\"></noscript></head><body><script>"
                         "document.location.replace('" +
                         kit + "login.php')</script></body></html>"});
  ServerProcess server(dir.path() + "/var", RedirectorFlags(dir));
  ASSERT_TRUE(server.WaitServing());
  Block(server, kit);

  const v1::CheckUrlResponse response =
      CheckFollowed(server, site->Url("/s/Qa1"));
  EXPECT_EQ(response.verdict().action(), v1::BLOCK);
  const v1::Reason* redirect = FindReason(response, v1::URL_REDIRECTS_TO);
  ASSERT_NE(redirect, nullptr);
  EXPECT_EQ(redirect->url(), kit + "login.php");
  EXPECT_THAT(redirect->detail(), ::testing::HasSubstr(site->Url("/l.php")));
  EXPECT_THAT(redirect->detail(), ::testing::HasSubstr("not reached"));
  EXPECT_EQ(server.Stop(), 0);
}

// A lookalike of a shipped brand inside Microsoft Safe Links, on the
// server's defaults: the wrapper is read from the link itself (no network,
// not degraded) and the verdict is the lookalike's. An http target, so no
// certificate probe leaves the machine.
TEST(RedirectIntegrationTest, ALookalikeInsideSafeLinksIsJudgedAtOnce) {
  testing::TempDir dir;
  ServerProcess server(dir.path() + "/var", {});
  ASSERT_TRUE(server.WaitServing());
  v1::CheckUrlRequest request;
  request.set_url(
      "https://nam12.safelinks.protection.outlook.com/"
      "?url=http%3A%2F%2Fpaypa1.com%2Fsignin&data=05%7C01%7C&reserved=0");
  v1::CheckUrlResponse response;
  ASSERT_TRUE(
      server.url()->CheckUrl(Context(server).get(), request, &response).ok());
  EXPECT_FALSE(response.verdict().degraded());
  EXPECT_EQ(response.verdict().action(), v1::BLOCK);
  const v1::Reason* wrapper = FindReason(response, v1::URL_REDIRECTS_TO);
  const v1::Reason* lookalike = FindReason(response, v1::LOOKALIKE_HOMOGLYPH);
  ASSERT_NE(wrapper, nullptr);
  ASSERT_NE(lookalike, nullptr);
  EXPECT_EQ(wrapper->technique(), "safelinks");
  EXPECT_EQ(wrapper->url(), "http://paypa1.com/signin");
  EXPECT_EQ(lookalike->url(), "http://paypa1.com/signin");
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace lureguard
