#include "server/redirects/redirect_resolver.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/common/ip_range.h"
#include "server/common/target_guard.h"
#include "server/lists/curl_http_fetcher.h"
#include "server/url/url.h"
#include "tests/testing/http_test_server.h"

namespace lureguard::redirects {
namespace {

using ::lureguard::testing::HttpTestRequest;
using ::lureguard::testing::HttpTestResponse;
using ::lureguard::testing::HttpTestServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

HttpTestResponse Redirect(int status, const std::string& to) {
  return {.status = status, .headers = {{"Location", to}}};
}

url::UrlAnalysis Analyze(const std::string& url) {
  absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(url);
  EXPECT_TRUE(analysis.ok()) << analysis.status();
  return analysis.value_or(url::UrlAnalysis{});
}

class RedirectResolverTest : public ::testing::Test {
 protected:
  RedirectResolverTest()
      : server_(*HttpTestServer::Start()),
        // The test's own server is on loopback: allowed here as
        // --allow_private_targets allows it in the server.
        fetcher_({.allow_private_targets = true, .max_redirects = 5}) {}

  std::unique_ptr<RedirectResolver> Resolver(RedirectOptions options = {}) {
    if (options.redirectors.empty()) options.redirectors = {"127.0.0.1"};
    return std::make_unique<RedirectResolver>(fetcher_, executor_,
                                              SystemClock(), options);
  }

  std::unique_ptr<HttpTestServer> server_;
  lists::CurlHttpFetcher fetcher_;
  BoundedExecutor executor_{1, 16};
};

TEST_F(RedirectResolverTest, FollowsEveryHopWithHeadAndNamesTheChain) {
  server_->SetResponse("/s/abc", Redirect(301, server_->Url("/t/1")));
  server_->SetResponse("/t/1", Redirect(302, "/landing?x=1"));
  server_->SetResponse("/landing", {.body = "<html>the page</html>"});
  absl::StatusOr<RedirectChain> chain =
      Resolver()->Follow(server_->Url("/s/abc"));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_THAT(chain->hops,
              ElementsAre(server_->Url("/s/abc"), server_->Url("/t/1")));
  EXPECT_EQ(chain->final_url, server_->Url("/landing?x=1"));
  EXPECT_EQ(chain->final_status, 200);
  for (const HttpTestRequest& request : server_->requests()) {
    EXPECT_EQ(request.method, "HEAD") << request.target;
  }
}

TEST_F(RedirectResolverTest, AServerRefusingHeadIsAskedWithGet) {
  server_->SetHandler("/s/", [&](const HttpTestRequest& request) {
    return request.method == "HEAD" ? HttpTestResponse{.status = 405}
                                    : Redirect(301, server_->Url("/dest"));
  });
  server_->SetResponse("/dest", {.body = "ok"});
  absl::StatusOr<RedirectChain> chain =
      Resolver()->Follow(server_->Url("/s/x"));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(chain->final_url, server_->Url("/dest"));
  EXPECT_THAT(chain->hops, ElementsAre(server_->Url("/s/x")));
}

TEST_F(RedirectResolverTest, ALoopStopsAtTheHopLimitWhereItPointed) {
  server_->SetResponse("/a", Redirect(302, "/b"));
  server_->SetResponse("/b", Redirect(302, "/a"));
  absl::StatusOr<RedirectChain> chain = Resolver()->Follow(server_->Url("/a"));
  ASSERT_TRUE(chain.ok()) << chain.status();
  const std::string a = server_->Url("/a"), b = server_->Url("/b");
  EXPECT_THAT(chain->hops, ElementsAre(a, b, a, b, a, b));
  EXPECT_EQ(chain->final_url, a);
  EXPECT_EQ(chain->final_status, 0);
  EXPECT_EQ(chain->unreached, "more than 5 redirects");
  EXPECT_EQ(server_->requests().size(), 6u);
}

// A kit that drops connections from scanners, or a page taken down: the
// shortener's answer already says where the link leads.
TEST_F(RedirectResolverTest, ADestinationThatRefusesTheConnectionEndsTheChain) {
  std::string dead;
  {
    std::unique_ptr<HttpTestServer> gone = *HttpTestServer::Start();
    dead = gone->Url("/signin?u=1");
  }
  server_->SetResponse("/s/x", Redirect(301, server_->Url("/t/x")));
  server_->SetResponse("/t/x", Redirect(302, dead));
  absl::StatusOr<RedirectChain> chain =
      Resolver()->Follow(server_->Url("/s/x"));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_THAT(chain->hops,
              ElementsAre(server_->Url("/s/x"), server_->Url("/t/x")));
  EXPECT_EQ(chain->final_url, dead);
  EXPECT_EQ(chain->final_status, 0);
  EXPECT_THAT(chain->unreached, HasSubstr("fetch failed"));
  EXPECT_THAT(chain->unreached, HasSubstr(dead));
}

// Without --allow_private_targets (this test's server let through): a
// destination whose name does not resolve, and one on a private address
// the guard refuses, still end the chain where the link pointed.
TEST_F(RedirectResolverTest, AnUnresolvedOrRefusedDestinationEndsTheChain) {
  lists::CurlHttpFetcher guarded({
      .resolve = [](const std::string& host)
          -> absl::StatusOr<std::vector<IpAddress>> {
        if (host == "intranet.test") {
          return std::vector{*ParseIpAddress("10.1.2.3")};
        }
        return absl::UnavailableError(
            absl::StrCat("cannot resolve '", host, "'"));
      },
      .refusal_reason =
          [](const IpAddress& address) -> std::optional<std::string> {
        if (IpAddressText(address) == "127.0.0.1") return std::nullopt;
        std::optional<absl::string_view> why = NonPublicAddressReason(address);
        if (!why) return std::nullopt;
        return std::string(*why);
      },
  });
  RedirectResolver resolver(guarded, executor_, SystemClock(),
                            {.redirectors = {"127.0.0.1"}});
  server_->SetResponse("/s/gone",
                       Redirect(302, "http://paypa1-login.test/signin"));
  server_->SetResponse("/s/inside", Redirect(302, "http://intranet.test/sso"));

  absl::StatusOr<RedirectChain> gone = resolver.Follow(server_->Url("/s/gone"));
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_THAT(gone->hops, ElementsAre(server_->Url("/s/gone")));
  EXPECT_EQ(gone->final_url, "http://paypa1-login.test/signin");
  EXPECT_THAT(gone->unreached, HasSubstr("cannot resolve 'paypa1-login.test'"));

  absl::StatusOr<RedirectChain> inside =
      resolver.Follow(server_->Url("/s/inside"));
  ASSERT_TRUE(inside.ok()) << inside.status();
  EXPECT_EQ(inside->final_url, "http://intranet.test/sso");
  EXPECT_THAT(inside->unreached, HasSubstr("10.1.2.3"));
}

// Nothing learned when the link's own server does not answer: no chain.
TEST_F(RedirectResolverTest, ALinkWhoseServerIsDeadIsAnError) {
  std::string dead;
  {
    std::unique_ptr<HttpTestServer> gone = *HttpTestServer::Start();
    dead = gone->Url("/s/x");
  }
  absl::StatusOr<RedirectChain> chain = Resolver()->Follow(dead);
  EXPECT_EQ(chain.status().code(), absl::StatusCode::kUnavailable)
      << chain.status();
}

TEST_F(RedirectResolverTest, AHopToAPrivateAddressIsRefusedByTheGuard) {
  lists::CurlHttpFetcher guarded({.allow_private_targets = false});
  RedirectResolver resolver(guarded, executor_, SystemClock(),
                            {.redirectors = {"127.0.0.1"}});
  absl::StatusOr<RedirectChain> chain = resolver.Follow(server_->Url("/s/x"));
  EXPECT_EQ(chain.status().code(), absl::StatusCode::kPermissionDenied)
      << chain.status();
  EXPECT_TRUE(server_->requests().empty());
}

// A stand-in reader: the page's text after "refresh=" (the server's reads
// the meta refresh, service/redirect_config.h).
std::string RefreshMarker(std::string_view html) {
  const size_t at = html.find("refresh=");
  return at == std::string_view::npos ? "" : std::string(html.substr(at + 8));
}

TEST_F(RedirectResolverTest, AnInterstitialPageIsReadForItsRedirect) {
  HttpTestResponse interstitial{
      .headers = {{"Content-Type", "text/html; charset=utf-8"}},
      .body = "<p>Leaving the site</p>refresh=/kit/login?u=1"};
  server_->SetResponse("/s/abc", Redirect(301, "/l.php"));
  server_->SetResponse("/l.php", interstitial);
  server_->SetResponse("/kit/login", {.body = "<form>password</form>"});
  std::unique_ptr<RedirectResolver> resolver =
      Resolver({.page_redirect = RefreshMarker});
  absl::StatusOr<RedirectChain> chain =
      resolver->Follow(server_->Url("/s/abc"));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_THAT(chain->hops,
              ElementsAre(server_->Url("/s/abc"), server_->Url("/l.php")));
  EXPECT_EQ(chain->final_url, server_->Url("/kit/login?u=1"));
  EXPECT_EQ(chain->final_status, 200);

  // Without a reader no page is read: only HEADs.
  const size_t before = server_->requests().size();
  chain = Resolver()->Follow(server_->Url("/s/abc"));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(chain->final_url, server_->Url("/l.php"));
  const std::vector<HttpTestRequest> requests = server_->requests();
  ASSERT_EQ(requests.size(), before + 2);
  for (size_t i = before; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].method, "HEAD") << requests[i].target;
  }
}

TEST_F(RedirectResolverTest, OnlySmallHtmlPagesAreRead) {
  server_->SetResponse("/s/pdf", Redirect(302, "/doc.pdf"));
  server_->SetResponse("/doc.pdf",
                       {.headers = {{"Content-Type", "application/pdf"}},
                        .body = "refresh=/elsewhere"});
  server_->SetResponse("/s/big", Redirect(302, "/big.html"));
  server_->SetResponse("/big.html",
                       {.headers = {{"Content-Type", "text/html"}},
                        .body = std::string(2048, ' ') + "refresh=/elsewhere"});
  std::unique_ptr<RedirectResolver> resolver =
      Resolver({.page_redirect = RefreshMarker, .max_page_bytes = 1024});
  absl::StatusOr<RedirectChain> pdf = resolver->Follow(server_->Url("/s/pdf"));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_EQ(pdf->final_url, server_->Url("/doc.pdf"));
  absl::StatusOr<RedirectChain> big = resolver->Follow(server_->Url("/s/big"));
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_EQ(big->final_url, server_->Url("/big.html"));
  EXPECT_EQ(big->final_status, 200);
}

// A page that refreshes to itself is a loop like any other.
TEST_F(RedirectResolverTest, APageRefreshingToItselfStopsAtTheHopLimit) {
  server_->SetResponse("/s/x", Redirect(302, "/again"));
  server_->SetResponse("/again", {.headers = {{"Content-Type", "text/html"}},
                                  .body = "refresh=/again"});
  absl::StatusOr<RedirectChain> chain =
      Resolver({.page_redirect = RefreshMarker})->Follow(server_->Url("/s/x"));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(chain->final_url, server_->Url("/again"));
  EXPECT_EQ(chain->unreached, "more than 5 redirects");
}

TEST_F(RedirectResolverTest, LookupIsPendingFirstThenServesTheChain) {
  server_->SetResponse("/s/abc", Redirect(301, server_->Url("/landing")));
  server_->SetResponse("/landing", {.body = "page"});
  std::unique_ptr<RedirectResolver> resolver = Resolver();
  RedirectLookup first = resolver->Lookup(server_->Url("/s/abc"));
  EXPECT_NE(first.state, CacheState::kReady);
  while (resolver->stats().runs < 1) absl::SleepFor(absl::Milliseconds(1));
  RedirectLookup second = resolver->Lookup(server_->Url("/s/abc"));
  ASSERT_EQ(second.state, CacheState::kReady);
  ASSERT_TRUE(second.result->ok());
  EXPECT_EQ((*second.result)->final_url, server_->Url("/landing"));
  // Served from the cache: the server saw the two HEADs of one run.
  EXPECT_EQ(server_->requests().size(), 2u);
}

TEST_F(RedirectResolverTest,
       FollowsListedHostsAndTheirSubdomainsOrEveryLinkOfATenant) {
  RedirectResolver resolver(fetcher_, executor_, SystemClock(),
                            {.follow_all_tenants = {"acme"}});
  EXPECT_TRUE(resolver.Follows(Analyze("https://bit.ly/3xYz"), ""));
  EXPECT_TRUE(resolver.Follows(Analyze("https://www.bit.ly/3xYz"), ""));
  EXPECT_TRUE(
      resolver.Follows(Analyze("https://l.facebook.com/l.php?u=x"), ""));
  EXPECT_FALSE(resolver.Follows(Analyze("https://notbit.ly/x"), ""));
  EXPECT_FALSE(resolver.Follows(Analyze("https://example.com/x"), ""));
  EXPECT_TRUE(resolver.Follows(Analyze("https://example.com/x"), "acme"));
  EXPECT_FALSE(resolver.Follows(Analyze("mailto:a@bit.ly"), "acme"));
}

}  // namespace
}  // namespace lureguard::redirects
