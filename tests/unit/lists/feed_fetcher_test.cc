// The feed fetcher against a real HTTP server on 127.0.0.1 (port 0), the
// SSRF guard, and the refresher's parse and backoff rules.

#include "server/lists/feed_fetcher.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/target_guard.h"
#include "server/lists/curl_http_fetcher.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_http_fetcher.h"
#include "tests/testing/http_test_server.h"

namespace lureguard::lists {
namespace {

using ::lureguard::testing::HttpTestResponse;
using ::lureguard::testing::HttpTestServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::string_view kFeedBody =
    "https://evil.test/login?u=1\nhttp://bad.test/\n";

// Builders: g++ 12 warns about designated initializers that leave fields
// to their defaults.
using Headers = std::vector<std::pair<std::string, std::string>>;

HttpTestResponse Respond(int status, absl::string_view body = "",
                         Headers headers = {}) {
  HttpTestResponse response;
  response.status = status;
  response.body = std::string(body);
  response.headers = std::move(headers);
  return response;
}

HttpRequest Get(absl::string_view url) {
  HttpRequest request;
  request.url = std::string(url);
  return request;
}

FeedDefinition Feed(absl::string_view name, absl::string_view url,
                    absl::string_view format = "auto") {
  FeedDefinition feed;
  feed.name = std::string(name);
  feed.url = std::string(url);
  feed.format = std::string(format);
  return feed;
}

CurlHttpFetcherOptions AllowPrivate() {
  CurlHttpFetcherOptions options;
  options.allow_private_targets = true;
  return options;
}

class CurlHttpFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<HttpTestServer>> server =
        HttpTestServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  HttpRequest Request(absl::string_view path) {
    HttpRequest request;
    request.url = server_->Url(path);
    request.connect_timeout = absl::Seconds(5);
    request.total_timeout = absl::Seconds(10);
    return request;
  }

  std::unique_ptr<HttpTestServer> server_;
  CurlHttpFetcher fetcher_{AllowPrivate()};
};

TEST_F(CurlHttpFetcherTest, FetchesABodyWithItsValidators) {
  server_->SetResponse(
      "/feed.txt", Respond(200, kFeedBody,
                           {{"ETag", "\"v1\""},
                            {"Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT"},
                            {"Content-Type", "text/plain"}}));
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(Request("/feed.txt"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status_code, 200);
  EXPECT_FALSE(response->not_modified);
  EXPECT_EQ(response->body, kFeedBody);
  EXPECT_EQ(response->etag, "\"v1\"");
  EXPECT_EQ(response->last_modified, "Wed, 21 Oct 2026 07:28:00 GMT");
  EXPECT_EQ(response->content_type, "text/plain");
  ASSERT_EQ(server_->requests().size(), 1u);
  const lureguard::testing::HttpTestRequest request = server_->requests()[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.Header("If-None-Match"), "");
  EXPECT_THAT(request.Header("Accept-Encoding"), HasSubstr("gzip"));
  EXPECT_EQ(request.Header("User-Agent"), "lureguard-feed-fetcher/0.1");
}

TEST_F(CurlHttpFetcherTest, SendsValidatorsAndReportsNotModified) {
  server_->SetResponse("/feed.txt", Respond(304));
  HttpRequest request = Request("/feed.txt");
  request.etag = "\"v1\"";
  request.last_modified = "Wed, 21 Oct 2026 07:28:00 GMT";
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status_code, 304);
  EXPECT_TRUE(response->not_modified);
  EXPECT_EQ(server_->requests()[0].Header("If-None-Match"), "\"v1\"");
  EXPECT_EQ(server_->requests()[0].Header("If-Modified-Since"),
            "Wed, 21 Oct 2026 07:28:00 GMT");
}

TEST_F(CurlHttpFetcherTest, DecodesGzip) {
  server_->SetResponse("/feed.txt.gz",
                       Respond(200, HttpTestServer::Gzip(kFeedBody),
                               {{"Content-Encoding", "gzip"}}));
  absl::StatusOr<HttpResponse> response =
      fetcher_.Fetch(Request("/feed.txt.gz"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, kFeedBody);
}

TEST_F(CurlHttpFetcherTest, AnHttpErrorIsAResponse) {
  server_->SetResponse("/feed.txt", Respond(500, "oops"));
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(Request("/feed.txt"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status_code, 500);
}

TEST_F(CurlHttpFetcherTest, ASlowBodyHitsTheTotalTimeout) {
  // 25 s to send in full: the timeout, not the body's end, must stop it,
  // within a bound loose enough for a loaded machine.
  HttpTestResponse slow = Respond(200, std::string(5000, 'x'));
  slow.chunk_bytes = 10;
  slow.chunk_delay = absl::Milliseconds(50);
  server_->SetResponse("/slow", slow);
  HttpRequest request = Request("/slow");
  request.total_timeout = absl::Milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(request);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(response.status().message(),
            absl::StrCat("timed out after 300ms (", request.url, ")"));
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST_F(CurlHttpFetcherTest, AConnectionResetMidBodyIsAnError) {
  HttpTestResponse reset = Respond(200, std::string(10000, 'x'));
  reset.reset_after_body_bytes = 100;
  server_->SetResponse("/reset", reset);
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(Request("/reset"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  // "fetch failed: Recv failure: Connection reset by peer (URL)", or
  // "transfer closed with N bytes remaining" when the reset comes late.
  EXPECT_THAT(std::string(response.status().message()),
              ::testing::AllOf(::testing::StartsWith("fetch failed: "),
                               ::testing::EndsWith(absl::StrCat(
                                   " (", server_->Url("/reset"), ")"))));
}

TEST_F(CurlHttpFetcherTest, ABodyOverTheCapIsRefused) {
  // Announced by Content-Length, and discovered while reading.
  server_->SetResponse("/big", Respond(200, std::string(4096, 'x')));
  HttpTestResponse unannounced = Respond(200, std::string(4096, 'x'));
  unannounced.omit_content_length = true;
  server_->SetResponse("/big-unannounced", unannounced);
  for (absl::string_view path : {"/big", "/big-unannounced"}) {
    HttpRequest request = Request(path);
    request.max_body_bytes = 1024;
    absl::StatusOr<HttpResponse> response = fetcher_.Fetch(request);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ(response.status().message(),
              absl::StrCat("body exceeds 1 KiB (", request.url, ")"));
  }
}

TEST_F(CurlHttpFetcherTest, FollowsRedirectsThroughTheGuard) {
  server_->SetResponse("/feed.txt", Respond(200, kFeedBody));
  server_->SetResponse("/old", Respond(301, "", {{"Location", "/feed.txt"}}));
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(Request("/old"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, kFeedBody);
  EXPECT_EQ(response->final_url, server_->Url("/feed.txt"));

  server_->SetResponse("/loop", Respond(302, "", {{"Location", "/loop"}}));
  absl::StatusOr<HttpResponse> loop = fetcher_.Fetch(Request("/loop"));
  EXPECT_EQ(loop.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(loop.status().message(),
            absl::StrCat("more than 5 redirects, starting at ",
                         server_->Url("/loop")));
  EXPECT_EQ(server_->requests().size(), 2u + 6u);
}

// The redirect resolver asks one hop at a time: the redirect is the answer,
// with where it points made absolute.
TEST_F(CurlHttpFetcherTest, ARedirectNotFollowedIsTheResponse) {
  server_->SetResponse("/old", Respond(302, "", {{"Location", "/feed.txt"}}));
  HttpRequest request = Request("/old");
  request.follow_redirects = false;
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status_code, 302);
  EXPECT_EQ(response->location, server_->Url("/feed.txt"));
  EXPECT_EQ(response->final_url, server_->Url("/old"));
  EXPECT_TRUE(response->redirected_from.empty());
  EXPECT_EQ(server_->requests().size(), 1u);

  server_->SetResponse("/feed.txt", Respond(200, kFeedBody));
  request.url = server_->Url("/feed.txt");
  response = fetcher_.Fetch(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status_code, 200);
  EXPECT_EQ(response->location, "");
}

// Without --allow_private_targets, but with this test's own server let
// through: 127.0.0.1 is allowed, every other address judged as production
// judges it.
CurlHttpFetcherOptions GuardedOptions() {
  CurlHttpFetcherOptions options;
  options.refusal_reason =
      [](const IpAddress& address) -> std::optional<std::string> {
    if (!address.is_v6 && address.bytes[0] == 127 && address.bytes[1] == 0 &&
        address.bytes[2] == 0 && address.bytes[3] == 1) {
      return std::nullopt;
    }
    std::optional<absl::string_view> why = NonPublicAddressReason(address);
    if (!why) return std::nullopt;
    return std::string(*why);
  };
  options.resolve =
      [](const std::string& host) -> absl::StatusOr<std::vector<IpAddress>> {
    if (host == "metadata.test")
      return std::vector{*ParseIpAddress("169.254.169.254")};
    return absl::UnavailableError(absl::StrCat("cannot resolve '", host, "'"));
  };
  return options;
}

TEST_F(CurlHttpFetcherTest, ARedirectToAPrivateTargetIsRefused) {
  CurlHttpFetcher guarded(GuardedOptions());
  const std::string loopback =
      absl::StrCat("http://127.0.0.2:", server_->port(), "/feed.txt");
  server_->SetResponse("/to-loopback",
                       Respond(302, "", {{"Location", loopback}}));
  server_->SetResponse(
      "/to-metadata",
      Respond(307, "",
              {{"Location", "http://metadata.test/latest/meta-data/"}}));
  absl::StatusOr<HttpResponse> response =
      guarded.Fetch(Request("/to-loopback"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(response.status().message(),
            absl::StrCat("refusing to fetch 127.0.0.2: loopback address "
                         "(server not started with --allow_private_targets)"
                         "; redirected from ",
                         server_->Url("/to-loopback")));
  absl::StatusOr<HttpResponse> metadata =
      guarded.Fetch(Request("/to-metadata"));
  EXPECT_EQ(metadata.status().message(),
            absl::StrCat("refusing to fetch metadata.test (169.254.169.254): "
                         "link-local address (server not started with "
                         "--allow_private_targets); redirected from ",
                         server_->Url("/to-metadata")));
  EXPECT_EQ(server_->requests().size(), 2u);  // the redirect targets: none
}

TEST_F(CurlHttpFetcherTest, AResolvedNameIsPinnedToTheCheckedAddress) {
  // "feed.test" exists only in this resolver: curl can reach the server
  // only through the address the guard checked.
  CurlHttpFetcherOptions options;
  options.allow_private_targets = true;
  options.resolve =
      [](const std::string& host) -> absl::StatusOr<std::vector<IpAddress>> {
    if (host == "feed.test") return std::vector{*ParseIpAddress("127.0.0.1")};
    return absl::UnavailableError("unknown host");
  };
  CurlHttpFetcher fetcher(options);
  server_->SetResponse("/feed.txt", Respond(200, kFeedBody));
  HttpRequest request = Request("/feed.txt");
  request.url = absl::StrCat("http://feed.test:", server_->port(), "/feed.txt");
  absl::StatusOr<HttpResponse> response = fetcher.Fetch(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, kFeedBody);
  EXPECT_EQ(server_->requests()[0].Header("Host"),
            absl::StrCat("feed.test:", server_->port()));
}

TEST(CurlHttpFetcher, RefusesPrivateLiteralsByDefault) {
  CurlHttpFetcher fetcher;
  struct Case {
    const char* url;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"http://127.0.0.1/feed",
            "refusing to fetch 127.0.0.1: loopback address (server not "
            "started with --allow_private_targets)"},
           {"http://10.1.2.3:8080/feed",
            "refusing to fetch 10.1.2.3: private address (RFC 1918) (server "
            "not started with --allow_private_targets)"},
           {"https://169.254.169.254/latest/",
            "refusing to fetch 169.254.169.254: link-local address (server "
            "not started with --allow_private_targets)"},
           {"http://[::1]:80/",
            "refusing to fetch ::1: loopback address (server not started "
            "with --allow_private_targets)"},
           {"http://[::ffff:192.168.1.1]/",
            "refusing to fetch ::ffff:192.168.1.1: private address (RFC "
            "1918) (server not started with --allow_private_targets)"},
           {"http://100.64.0.1/",
            "refusing to fetch 100.64.0.1: shared address space "
            "(100.64.0.0/10, CGNAT) (server not started with "
            "--allow_private_targets)"},
           {"http://0.0.0.0/",
            "refusing to fetch 0.0.0.0: unspecified address (0.0.0.0/8) "
            "(server not started with --allow_private_targets)"},
       }) {
    absl::StatusOr<HttpResponse> response = fetcher.Fetch(Get(c.url));
    EXPECT_EQ(response.status().code(), absl::StatusCode::kPermissionDenied)
        << c.url;
    EXPECT_EQ(response.status().message(), c.message);
  }
  // "localhost" through the system resolver (/etc/hosts): every address it
  // has is loopback.
  absl::StatusOr<HttpResponse> localhost =
      fetcher.Fetch(Get("http://localhost:1/"));
  EXPECT_EQ(localhost.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(localhost.status().message()),
              ::testing::StartsWith("refusing to fetch localhost ("));
}

TEST(CurlHttpFetcher, RefusesANameIfAnyOfItsAddressesIsPrivate) {
  CurlHttpFetcherOptions options;
  options.resolve =
      [](const std::string&) -> absl::StatusOr<std::vector<IpAddress>> {
    return std::vector{*ParseIpAddress("93.184.216.34"),
                       *ParseIpAddress("10.0.0.7")};
  };
  CurlHttpFetcher fetcher(options);
  absl::StatusOr<HttpResponse> response =
      fetcher.Fetch(Get("https://rebind.test/feed"));
  EXPECT_EQ(response.status().message(),
            "refusing to fetch rebind.test (10.0.0.7): private address (RFC "
            "1918) (server not started with --allow_private_targets)");
}

TEST(CurlHttpFetcher, RejectsOtherSchemes) {
  CurlHttpFetcher fetcher;
  absl::StatusOr<HttpResponse> response =
      fetcher.Fetch(Get("file:///etc/passwd"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(response.status().message(),
            "unsupported scheme 'file' in 'file:///etc/passwd' (http and "
            "https only)");
}

// The fake the refresher tests below rely on keeps its documented order:
// pushed answers first, then the answer served for the URL, then
// Unavailable; the hook runs inside the next fetch only.
TEST(FakeHttpFetcher, PushedAnswersComeFirstThenTheUrlsOwnThenUnavailable) {
  FakeHttpFetcher fetcher;
  fetcher.Serve("https://feed.test/a", HttpOk("served"));
  fetcher.Push(HttpOk("pushed"));
  int hook_runs = 0;
  fetcher.DuringNextFetch([&] { ++hook_runs; });
  EXPECT_EQ(fetcher.Fetch(Get("https://feed.test/a"))->body, "pushed");
  EXPECT_EQ(fetcher.Fetch(Get("https://feed.test/a"))->body, "served");
  EXPECT_EQ(fetcher.Fetch(Get("https://feed.test/a"))->body, "served");
  EXPECT_EQ(
      fetcher.Fetch(Get("https://feed.test/b")).status(),
      absl::UnavailableError("no response scripted for https://feed.test/b"));
  EXPECT_EQ(hook_runs, 1);
  std::vector<std::string> urls;
  for (const HttpRequest& request : fetcher.requests()) {
    urls.push_back(request.url);
  }
  EXPECT_THAT(urls, ElementsAre("https://feed.test/a", "https://feed.test/a",
                                "https://feed.test/a", "https://feed.test/b"));
}

TEST(BackoffDelay, DoublesUpToTheCapThenTakesOffJitter) {
  FeedSchedule schedule;
  schedule.initial_backoff = absl::Minutes(1);
  schedule.max_backoff = absl::Minutes(30);
  schedule.jitter = 0.5;
  std::vector<absl::Duration> no_jitter;
  for (int n = 1; n <= 7; ++n)
    no_jitter.push_back(BackoffDelay(schedule, n, 0));
  EXPECT_THAT(no_jitter,
              ElementsAre(absl::Minutes(1), absl::Minutes(2), absl::Minutes(4),
                          absl::Minutes(8), absl::Minutes(16),
                          absl::Minutes(30), absl::Minutes(30)));
  EXPECT_EQ(BackoffDelay(schedule, 1, 0.5), absl::Seconds(45));
  EXPECT_EQ(BackoffDelay(schedule, 3, 0.999), absl::Milliseconds(120120));
  EXPECT_EQ(BackoffDelay(schedule, 1000, 0.0), absl::Minutes(30));
}

TEST(FeedRefresher, ScheduleIsExactForAFixedSeed) {
  FakeHttpFetcher fetcher;
  FakeClock clock;
  FeedRefreshOptions options;
  options.schedule.interval = absl::Hours(1);
  options.schedule.initial_backoff = absl::Minutes(1);
  options.schedule.max_backoff = absl::Hours(1);
  FeedRefresher refresher(fetcher, clock, options, /*seed=*/42);
  FeedDefinition feed = Feed("openphish", "https://feed.test/x", "urls");
  std::vector<int64_t> delays_ms;
  for (int i = 0; i < 8; ++i) {
    fetcher.Push(absl::UnavailableError("fetch failed: connection refused"));
    FeedRefreshResult result = refresher.Refresh(feed);
    ASSERT_EQ(result.outcome, FeedRefreshOutcome::kFailed);
    EXPECT_EQ(result.consecutive_failures, i + 1);
    delays_ms.push_back(
        absl::ToInt64Milliseconds(result.next_refresh_time - clock.Now()));
    feed.consecutive_failures = result.consecutive_failures;
  }
  // Each delay lies in (base / 2, base] for base = 1m * 2^(n-1), capped at
  // 1h; the exact values pin the seeded generator and the formula.
  EXPECT_THAT(delays_ms, ElementsAre(37346, 81659, 149743, 447295, 526431,
                                     1829695, 2565774, 2928803));
  const int64_t bases_ms[] = {60000,  120000,  240000,  480000,
                              960000, 1920000, 3600000, 3600000};
  for (int i = 0; i < 8; ++i) {
    EXPECT_GT(delays_ms[i], bases_ms[i] / 2);
    EXPECT_LE(delays_ms[i], bases_ms[i]);
  }
  fetcher.Push(HttpOk("http://evil.test/\n"));
  FeedRefreshResult success = refresher.Refresh(feed);
  EXPECT_EQ(success.consecutive_failures, 0);
  EXPECT_EQ(success.next_refresh_time, clock.Now() + absl::Hours(1));
  fetcher.Push(HttpOk("http://evil.test/\n"));
  feed.interval = absl::Minutes(5);
  EXPECT_EQ(refresher.Refresh(feed).next_refresh_time,
            clock.Now() + absl::Minutes(5));
}

TEST(FeedRefresher, AFailureKeepsTheValidatorsAndNamesTheFeed) {
  FakeHttpFetcher fetcher;
  FakeClock clock;
  FeedRefresher refresher(fetcher, clock, {}, 1);
  fetcher.Push(
      absl::DeadlineExceededError("timed out after 30s (https://feed.test/x)"));
  FeedDefinition feed = Feed("x", "https://feed.test/x");
  feed.etag = "\"v1\"";
  feed.last_modified = "yesterday";
  feed.consecutive_failures = 2;
  FeedRefreshResult result = refresher.Refresh(feed);
  EXPECT_EQ(result.outcome, FeedRefreshOutcome::kFailed);
  EXPECT_EQ(result.status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(result.status.message(),
            "feed 'x': timed out after 30s (https://feed.test/x)");
  EXPECT_EQ(result.etag, "\"v1\"");
  EXPECT_EQ(result.last_modified, "yesterday");
  EXPECT_EQ(result.consecutive_failures, 3);
  EXPECT_EQ(fetcher.requests()[0].etag, "\"v1\"");
  EXPECT_EQ(fetcher.requests()[0].last_modified, "yesterday");
}

TEST(FeedRefresher, EmptyOrAllInvalidBodiesAreFailures) {
  FakeHttpFetcher fetcher;
  FakeClock clock;
  FeedRefresher refresher(fetcher, clock, {}, 1);
  FeedDefinition feed = Feed("x", "https://feed.test/x", "domains");
  fetcher.Push(HttpOk(""));
  EXPECT_EQ(std::string(refresher.Refresh(feed).status.message()),
            "feed 'x': the response from https://feed.test/x has no entries "
            "(0 bytes); an empty feed needs allow_empty");
  fetcher.Push(HttpOk("not a domain!\nalso bad ?\n"));
  EXPECT_EQ(std::string(refresher.Refresh(feed).status.message()),
            "feed 'x': no valid domains entry in 2 lines (line 1: 'not a "
            "domain!': host 'not a domain!' contains forbidden character "
            "' ')");
  fetcher.Push(HttpOk("# nothing listed right now\n"));
  feed.allow_empty = true;
  FeedRefreshResult empty = refresher.Refresh(feed);
  EXPECT_EQ(empty.outcome, FeedRefreshOutcome::kUpdated);
  EXPECT_TRUE(empty.import.entries.empty());
}

// End to end: the real fetcher, the local server, the parser.
class FeedRefresherServerTest : public CurlHttpFetcherTest {
 protected:
  FakeClock clock_;
  FeedRefresher refresher_{fetcher_, clock_, {}, 7};
};

TEST_F(FeedRefresherServerTest, UpdatesThenIsNotModified) {
  server_->SetResponse("/feed.txt",
                       Respond(200, kFeedBody, {{"ETag", "\"v1\""}}));
  FeedDefinition feed = Feed("openphish", server_->Url("/feed.txt"));
  FeedRefreshResult first = refresher_.Refresh(feed);
  ASSERT_EQ(first.outcome, FeedRefreshOutcome::kUpdated) << first.status;
  EXPECT_EQ(first.import.format, "urls");
  ASSERT_EQ(first.import.entries.size(), 2u);
  EXPECT_EQ(first.import.entries[0].value, "evil.test/login");
  EXPECT_EQ(first.etag, "\"v1\"");
  EXPECT_EQ(first.http_status, 200);

  server_->SetResponse("/feed.txt", Respond(304));
  feed.etag = first.etag;
  FeedRefreshResult second = refresher_.Refresh(feed);
  EXPECT_EQ(second.outcome, FeedRefreshOutcome::kNotModified);
  EXPECT_TRUE(second.status.ok());
  EXPECT_EQ(second.etag, "\"v1\"");
  EXPECT_EQ(server_->requests()[1].Header("If-None-Match"), "\"v1\"");
}

TEST_F(FeedRefresherServerTest, HttpErrorsAndWrongContentAreFailures) {
  server_->SetResponse("/500", Respond(500, "oops"));
  FeedRefreshResult error =
      refresher_.Refresh(Feed("x", server_->Url("/500"), "urls"));
  EXPECT_EQ(error.outcome, FeedRefreshOutcome::kFailed);
  EXPECT_EQ(error.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(error.status.message(),
            absl::StrCat("feed 'x': HTTP 500 from ", server_->Url("/500")));
  EXPECT_EQ(error.http_status, 500);

  server_->SetResponse(
      "/verified_online.csv",
      Respond(200, "<!DOCTYPE html>\n<html><body>Rate limited</body></html>\n",
              {{"Content-Type", "text/html"}}));
  FeedRefreshResult html = refresher_.Refresh(
      Feed("phishtank", server_->Url("/verified_online.csv"), "phishtank-csv"));
  EXPECT_EQ(html.outcome, FeedRefreshOutcome::kFailed);
  EXPECT_EQ(html.status.message(),
            "feed 'phishtank': line 1: an HTML or XML page, not a "
            "phishtank-csv list");

  server_->SetResponse("/big", Respond(200, std::string(2 << 20, 'x')));
  FeedRefreshOptions options;
  options.max_body_bytes = 1 << 20;
  FeedRefresher small(fetcher_, clock_, options, 7);
  FeedRefreshResult big = small.Refresh(Feed("x", server_->Url("/big")));
  EXPECT_EQ(big.status.message(), absl::StrCat("feed 'x': body exceeds 1 MiB (",
                                               server_->Url("/big"), ")"));
}

}  // namespace
}  // namespace lureguard::lists
