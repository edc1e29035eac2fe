#include "server/lists/feed_manager.h"

#include <functional>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/curl_http_fetcher.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_http_fetcher.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::lists {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FeedManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    refresher_ = std::make_unique<FeedRefresher>(
        fetcher_, clock_, FeedRefreshOptions(), /*seed=*/7);
    feeds_ = std::make_unique<FeedManager>(*store_, *refresher_, clock_);
  }

  // "value source threat" of each block-list entry.
  std::vector<std::string> BlockThreats() {
    absl::StatusOr<store::ListEntryPage> page =
        store_->ListEntries(store::ListType::kBlock, "", 0, 1000);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> values;
    for (const store::ListEntryRecord& e : page->entries) {
      values.push_back(absl::StrCat(e.value, " ", e.source, " ",
                                    store::ThreatTypeName(e.threat)));
    }
    return values;
  }

  std::vector<std::string> BlockValues() {
    absl::StatusOr<store::ListEntryPage> page =
        store_->ListEntries(store::ListType::kBlock, "", 0, 1000);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> values;
    for (const store::ListEntryRecord& e : page->entries) {
      values.push_back(e.value + " " + e.source);
    }
    return values;
  }

  FeedConfig Config() {
    FeedConfig config;
    config.name = "phish";
    config.url = "http://feeds.test/list.txt";
    config.format = "domains";
    config.interval = absl::Minutes(30);
    return config;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  FakeHttpFetcher fetcher_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<FeedRefresher> refresher_;
  std::unique_ptr<FeedManager> feeds_;
};

TEST_F(FeedManagerTest, RefreshWritesEntriesWithTheFeedAsSource) {
  ASSERT_TRUE(feeds_->Upsert(Config()).ok());
  fetcher_.Push(HttpOk("a.test\nb.test\n", "\"v1\""));
  absl::StatusOr<FeedState> state = feeds_->RefreshNow("phish", "");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->last_error, "");
  EXPECT_EQ(state->entry_count, 2);
  EXPECT_EQ(state->etag, "\"v1\"");
  EXPECT_EQ(state->last_success_time, clock_.Now());
  EXPECT_EQ(state->next_run_time, clock_.Now() + absl::Minutes(30));
  EXPECT_THAT(BlockValues(),
              ElementsAre("a.test feed:phish", "b.test feed:phish"));
}

// Two rows of URLhaus's CSV export (header as published).
constexpr char kUrlhausCsv[] =
    "################################################################\n"
    "# abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #\n"
    "################################################################\n"
    "#\n"
    "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,"
    "reporter\n"
    "\"3000001\",\"2026-12-01 10:00:00\",\"http://dropper.test/bin.sh\","
    "\"online\",\"2026-12-01 10:00:00\",\"malware_download\",\"elf\","
    "\"https://urlhaus.abuse.ch/url/3000001/\",\"anonymous\"\n";

TEST_F(FeedManagerTest, EntriesArePhishingUnlessTheFeedSaysOtherwise) {
  ASSERT_TRUE(feeds_->Upsert(Config()).ok());
  fetcher_.Push(HttpOk("a.test\n"));
  ASSERT_TRUE(feeds_->RefreshNow("phish", "").ok());
  EXPECT_THAT(BlockThreats(), ElementsAre("a.test feed:phish phishing"));

  FeedConfig unwanted = Config();
  unwanted.threat = store::ThreatType::kUnwanted;
  ASSERT_TRUE(feeds_->Upsert(unwanted).ok());
  fetcher_.Push(HttpOk("a.test\n"));
  ASSERT_TRUE(feeds_->RefreshNow("phish", "").ok());
  EXPECT_THAT(BlockThreats(), ElementsAre("a.test feed:phish unwanted"));
}

TEST_F(FeedManagerTest, UrlhausFeedsAreMalwareEvenWhenDetected) {
  for (const char* format : {"urlhaus-csv", "auto"}) {
    SCOPED_TRACE(format);
    FeedConfig config = Config();
    config.format = format;
    ASSERT_TRUE(feeds_->Upsert(config).ok());
    fetcher_.Push(HttpOk(kUrlhausCsv));
    absl::StatusOr<FeedState> state = feeds_->RefreshNow("phish", "");
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(state->last_error, "");
    EXPECT_THAT(BlockThreats(),
                ElementsAre("dropper.test/bin.sh feed:phish malware"));
  }
  // An admin who knows better overrides the format's default.
  FeedConfig config = Config();
  config.format = "urlhaus-csv";
  config.threat = store::ThreatType::kPhishing;
  ASSERT_TRUE(feeds_->Upsert(config).ok());
  fetcher_.Push(HttpOk(kUrlhausCsv));
  ASSERT_TRUE(feeds_->RefreshNow("phish", "").ok());
  EXPECT_THAT(BlockThreats(),
              ElementsAre("dropper.test/bin.sh feed:phish phishing"));
}

TEST_F(FeedManagerTest, AFailedRefreshKeepsThePreviousEntries) {
  ASSERT_TRUE(feeds_->Upsert(Config()).ok());
  fetcher_.Push(HttpOk("a.test\n"));
  ASSERT_TRUE(feeds_->RefreshNow("phish", "").ok());
  const absl::StatusOr<int64_t> revision = store_->Revision();

  HttpResponse error;
  error.status_code = 500;
  fetcher_.Push(error);
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<FeedState> state = feeds_->RefreshNow("phish", "");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_THAT(state->last_error, HasSubstr("500"));
  EXPECT_EQ(state->consecutive_failures, 1);
  EXPECT_EQ(state->entry_count, 1);
  EXPECT_GT(state->next_run_time, clock_.Now());
  EXPECT_THAT(BlockValues(), ElementsAre("a.test feed:phish"));
  // Status bookkeeping does not force a snapshot rebuild.
  EXPECT_EQ(*store_->Revision(), *revision);

  // The failure survives a reload from the store.
  absl::StatusOr<std::vector<FeedState>> listed = feeds_->List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_THAT((*listed)[0].last_error, HasSubstr("500"));
}

TEST_F(FeedManagerTest, ConditionalRequestsReuseTheValidators) {
  ASSERT_TRUE(feeds_->Upsert(Config()).ok());
  fetcher_.Push(HttpOk("a.test\n", "\"v1\""));
  ASSERT_TRUE(feeds_->RefreshNow("phish", "").ok());
  HttpResponse not_modified;
  not_modified.status_code = 304;
  not_modified.not_modified = true;
  fetcher_.Push(not_modified);
  absl::StatusOr<FeedState> state = feeds_->RefreshNow("phish", "");
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(fetcher_.requests().size(), 2u);
  EXPECT_EQ(fetcher_.requests()[1].etag, "\"v1\"");
  EXPECT_EQ(state->entry_count, 1);
  EXPECT_THAT(BlockValues(), ElementsAre("a.test feed:phish"));
}

// Another replica (a second manager on the same store) changes the feed
// while this one fetches it, as when this one lost the feed lease: this
// refresh, successful or failed, is dropped, and the newer state stays.
TEST_F(FeedManagerTest, ARefreshOfAFeedChangedMeanwhileIsNotStored) {
  FeedManager other(*store_, *refresher_, clock_);
  ASSERT_TRUE(feeds_->Upsert(Config()).ok());
  FeedConfig changed = Config();
  changed.interval = absl::Minutes(45);
  fetcher_.DuringNextFetch([&] { ASSERT_TRUE(other.Upsert(changed).ok()); });
  fetcher_.Push(HttpOk("a.test\n"));
  absl::StatusOr<FeedState> state = feeds_->RefreshNow("phish", "");
  EXPECT_EQ(state.status().code(), absl::StatusCode::kAborted)
      << state.status();
  EXPECT_THAT(state.status().message(),
              HasSubstr("record feed//phish: written meanwhile"));
  EXPECT_THAT(BlockValues(), ElementsAre());

  HttpResponse error;
  error.status_code = 500;
  changed.interval = absl::Minutes(50);
  fetcher_.DuringNextFetch([&] { ASSERT_TRUE(other.Upsert(changed).ok()); });
  fetcher_.Push(error);
  state = feeds_->RefreshNow("phish", "");
  EXPECT_EQ(state.status().code(), absl::StatusCode::kAborted)
      << state.status();
  absl::StatusOr<std::vector<FeedState>> listed = feeds_->List();
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].config.interval, absl::Minutes(50));
  EXPECT_EQ((*listed)[0].last_error, "");
  EXPECT_EQ((*listed)[0].last_attempt_time, absl::UnixEpoch());

  // Read afresh, the next refresh is stored.
  fetcher_.Push(HttpOk("b.test\n"));
  ASSERT_TRUE(feeds_->RefreshNow("phish", "").ok());
  EXPECT_THAT(BlockValues(), ElementsAre("b.test feed:phish"));
}

// The shortest interval is the manager's (ServerConfig.feeds.min_interval).
TEST_F(FeedManagerTest, TheMinimumIntervalIsTheConfiguredOne) {
  FeedManager seconds(*store_, *refresher_, clock_, absl::Seconds(2));
  FeedConfig config = Config();
  config.interval = absl::Seconds(2);
  EXPECT_TRUE(seconds.Upsert(config).ok());
  config.interval = absl::Seconds(1);
  EXPECT_EQ(seconds.Upsert(config).status(),
            absl::InvalidArgumentError("interval: 1s is outside [2s, 168h]"));
}

TEST_F(FeedManagerTest, RemoveTakesExactlyTheFeedsEntries) {
  ASSERT_TRUE(feeds_->Upsert(Config()).ok());
  fetcher_.Push(HttpOk("a.test\n"));
  ASSERT_TRUE(feeds_->RefreshNow("phish", "").ok());
  store::ListEntryRecord admin;
  admin.value = "a.test";  // the same value, added by hand
  admin.create_time = clock_.Now();
  ASSERT_TRUE(store_->UpsertEntry(admin).ok());
  ASSERT_TRUE(feeds_->Remove("phish", "").ok());
  EXPECT_THAT(BlockValues(), ElementsAre("a.test admin"));
  EXPECT_EQ(feeds_->Remove("phish", "").code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<FeedState>> listed = feeds_->List();
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(FeedManagerTest, InvalidConfigurationsNameTheField) {
  FeedConfig config = Config();
  config.name = "Bad Name";
  EXPECT_THAT(feeds_->Upsert(config).status().message(),
              HasSubstr("name: 'Bad Name'"));
  config = Config();
  config.url = "ftp://feeds.test/x";
  EXPECT_THAT(feeds_->Upsert(config).status().message(), HasSubstr("url: "));
  config = Config();
  config.format = "xml";
  EXPECT_EQ(feeds_->Upsert(config).status().message(),
            "format: unknown format 'xml' (known: auto, entries, domains, "
            "hosts, urls, phishtank-csv, phishtank-json, urlhaus-csv, "
            "adblock)");
  config = Config();
  config.interval = absl::Seconds(5);
  EXPECT_EQ(feeds_->Upsert(config).status().message(),
            "interval: 5s is outside [1m, 168h]");
  config = Config();
  config.threat = static_cast<store::ThreatType>(3);
  EXPECT_EQ(feeds_->Upsert(config).status(),
            absl::InvalidArgumentError(
                "threat: 3 is not phishing, malware or unwanted"));
  EXPECT_EQ(feeds_->RefreshNow("nope", "").status().code(),
            absl::StatusCode::kNotFound);
}

// "A fetcher that never loses the last good list", end to end: the real
// libcurl fetcher against a local HTTP server that fails in each way a
// feed host does, and the store's entries after each refresh.
TEST(FeedManagerOverHttp, EveryKindOfFailureKeepsTheLastGoodList) {
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> server =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(dir.path() + "/lureguard.db");
  ASSERT_TRUE(store.ok()) << store.status();
  CurlHttpFetcherOptions fetcher_options;
  fetcher_options.allow_private_targets = true;
  CurlHttpFetcher fetcher(fetcher_options);
  FakeClock clock;
  FeedRefreshOptions options;
  options.total_timeout = absl::Milliseconds(500);
  options.max_body_bytes = 1 << 20;
  FeedRefresher refresher(fetcher, clock, options, /*seed=*/7);
  FeedManager feeds(**store, refresher, clock);
  FeedConfig config;
  config.name = "phish";
  config.url = (*server)->Url("/feed.txt");
  config.format = "domains";
  ASSERT_TRUE(feeds.Upsert(config).ok());
  auto values = [&] {
    absl::StatusOr<store::ListEntryPage> page =
        (*store)->ListEntries(store::ListType::kBlock, "", 0, 100);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> out;
    for (const store::ListEntryRecord& e : page->entries) {
      out.push_back(e.value);
    }
    return out;
  };
  auto respond = [](int status, std::string body) {
    testing::HttpTestResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  };

  (*server)->SetResponse("/feed.txt", respond(200, "a.test\nb.test\n"));
  absl::StatusOr<FeedState> good = feeds.RefreshNow("phish", "");
  ASSERT_TRUE(good.ok()) << good.status();
  ASSERT_EQ(good->last_error, "");
  ASSERT_THAT(values(), ElementsAre("a.test", "b.test"));

  struct Failure {
    const char* name;
    testing::HttpTestResponse response;
    std::string error;  // in last_error
  };
  testing::HttpTestResponse slow = respond(200, std::string(2000, 'x'));
  slow.chunk_bytes = 10;
  slow.chunk_delay = absl::Milliseconds(50);
  testing::HttpTestResponse reset =
      respond(200, absl::StrCat("c.test\n", std::string(10000, 'x')));
  reset.reset_after_body_bytes = 100;
  const std::vector<Failure> failures = {
      {"500", respond(500, "c.test\n"), "HTTP 500"},
      {"slow body", slow, "timed out after 500ms"},
      {"reset mid-body", reset, "fetch failed: "},
      {"over the cap", respond(200, std::string(2 << 20, 'x')),
       "body exceeds 1 MiB"},
      {"wrong format",
       respond(200,
               "<!DOCTYPE html>\n<html><body>Rate limited</body></html>\n"),
       "an HTML or XML page"},
  };
  int failed = 0;
  for (const Failure& failure : failures) {
    SCOPED_TRACE(failure.name);
    (*server)->SetResponse("/feed.txt", failure.response);
    clock.Advance(absl::Hours(2));
    absl::StatusOr<FeedState> state = feeds.RefreshNow("phish", "");
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_THAT(state->last_error, HasSubstr(failure.error));
    EXPECT_EQ(state->consecutive_failures, ++failed);
    EXPECT_EQ(state->entry_count, 2);
    EXPECT_THAT(values(), ElementsAre("a.test", "b.test"));
  }

  // And the next good body replaces the list.
  (*server)->SetResponse("/feed.txt", respond(200, "c.test\n"));
  absl::StatusOr<FeedState> recovered = feeds.RefreshNow("phish", "");
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(recovered->last_error, "");
  EXPECT_EQ(recovered->consecutive_failures, 0);
  EXPECT_THAT(values(), ElementsAre("c.test"));
}

TEST(FeedState, EncodingRoundTripsEveryField) {
  FeedState state;
  state.config.name = "x";
  state.config.tenant = "acme";
  state.config.url = "https://a.test/l?x=1\n";
  state.config.format = "urls";
  state.config.interval = absl::Minutes(7);
  state.config.enabled = false;
  state.config.list = store::ListType::kAllow;
  state.config.threat = store::ThreatType::kUnwanted;
  state.create_time = absl::FromUnixMicros(1);
  state.last_attempt_time = absl::FromUnixMicros(2);
  state.last_success_time = absl::FromUnixMicros(3);
  state.last_error = "bad = \"thing\"";
  state.entry_count = 4;
  state.skipped_count = 5;
  state.consecutive_failures = 6;
  state.next_run_time = absl::FromUnixMicros(7);
  state.etag = "\"e\"";
  state.last_modified = "Tue, 01 Jan 2030 00:00:00 GMT";
  absl::StatusOr<FeedState> decoded = DecodeFeedState(EncodeFeedState(state));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(EncodeFeedState(*decoded), EncodeFeedState(state));
  EXPECT_EQ(decoded->config.url, state.config.url);
  EXPECT_EQ(decoded->config.list, store::ListType::kAllow);
  EXPECT_FALSE(decoded->config.enabled);
  EXPECT_EQ(decoded->config.threat, store::ThreatType::kUnwanted);
  // A record written before threat types: the format decides.
  state.config.threat.reset();
  decoded = DecodeFeedState(EncodeFeedState(state));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->config.threat, std::nullopt);
  EXPECT_FALSE(DecodeFeedState("garbage").ok());
}

}  // namespace
}  // namespace lureguard::lists
