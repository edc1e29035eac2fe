#include "server/lists/feed_admin.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/curl_http_fetcher.h"
#include "tests/testing/admin_owner_test.h"
#include "tests/testing/http_test_server.h"

namespace lureguard::lists {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

// Feeds served by a real HTTP server on loopback, fetched with libcurl.
class FeedAdminTest : public testing::AdminOwnerTest {
 protected:
  void SetUp() override {
    AdminOwnerTest::SetUp();
    absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> server =
        testing::HttpTestServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    server_->SetResponse("/feed.txt", {.body = "a.test\nb.test\n"});
    CurlHttpFetcherOptions options;
    options.allow_private_targets = true;
    fetcher_ = std::make_unique<CurlHttpFetcher>(options);
    refresher_ = std::make_unique<FeedRefresher>(
        *fetcher_, clock_, FeedRefreshOptions(), /*seed=*/7);
    feeds_ = std::make_unique<FeedManager>(*store_, *refresher_, clock_);
    admin_ = std::make_unique<FeedAdmin>(*feeds_, clock_);
  }

  FeedConfig Phish() {
    FeedConfig config;
    config.name = "phish";
    config.url = server_->Url("/feed.txt");
    config.format = "domains";
    return config;
  }

  std::string Summary(absl::string_view interval) {
    return absl::StrCat("url=", server_->Url("/feed.txt"),
                        " format=domains interval=", interval);
  }

  std::unique_ptr<testing::HttpTestServer> server_;
  std::unique_ptr<CurlHttpFetcher> fetcher_;
  std::unique_ptr<FeedRefresher> refresher_;
  std::unique_ptr<FeedManager> feeds_;
  std::unique_ptr<FeedAdmin> admin_;
};

TEST_F(FeedAdminTest, PutRefreshesAnEnabledFeedAtOnceUnderOneAuditRecord) {
  absl::StatusOr<FeedState> state = admin_->Put(caller_, Phish());
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->entry_count, 2);
  EXPECT_EQ(state->last_error, "");
  EXPECT_THAT(server_->requests(), SizeIs(1));

  FeedConfig slower = Phish();
  slower.interval = absl::Hours(2);
  ASSERT_TRUE(admin_->Put(caller_, slower).ok());
  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);  // create + refresh is one audited action
  EXPECT_EQ(audit[1].method, "CreateFeed");
  EXPECT_EQ(audit[1].target, "feed:phish");
  EXPECT_EQ(audit[1].before, "");
  EXPECT_EQ(audit[1].after, Summary("1h"));
  EXPECT_EQ(audit[0].before, Summary("1h"));
  EXPECT_EQ(audit[0].after, Summary("2h"));
  EXPECT_EQ(audit[0].request_id, "req-1");
}

TEST_F(FeedAdminTest, ADisabledFeedIsStoredButNotFetched) {
  FeedConfig off = Phish();
  off.enabled = false;
  absl::StatusOr<FeedState> state = admin_->Put(caller_, off);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->last_attempt_time, absl::UnixEpoch());
  EXPECT_THAT(server_->requests(), IsEmpty());
  EXPECT_EQ(Audit()[0].after, Summary("1h") + " disabled");
}

TEST_F(FeedAdminTest, PutRefusesABadTenantOrConfigNamingTheField) {
  FeedConfig spaced = Phish();
  spaced.tenant = "acme corp";
  EXPECT_EQ(admin_->Put(caller_, spaced).status(),
            absl::InvalidArgumentError(
                "tenant: \"acme corp\" must be up to 128 printable ASCII "
                "characters without spaces"));
  FeedConfig unnamed = Phish();
  unnamed.name = "";
  absl::Status status = admin_->Put(caller_, unnamed).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(std::string(status.message()), StartsWith("feed: name: "));
  EXPECT_THAT(Audit(), IsEmpty());
  EXPECT_THAT(server_->requests(), IsEmpty());
}

TEST_F(FeedAdminTest, RemoveReportsTheEntriesThatWentWithTheFeed) {
  ASSERT_TRUE(admin_->Put(caller_, Phish()).ok());
  absl::StatusOr<int64_t> removed = admin_->Remove(caller_, "phish", "");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  absl::StatusOr<store::ListEntryPage> page =
      store_->ListEntries(store::ListType::kBlock, "", 0, 100);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->entries, IsEmpty());
  const store::AuditRecord audit = Audit()[0];
  EXPECT_EQ(audit.method, "DeleteFeed");
  EXPECT_EQ(audit.before, Summary("1h"));
  EXPECT_EQ(audit.after, "");

  EXPECT_TRUE(absl::IsNotFound(admin_->Remove(caller_, "phish", "").status()));
  EXPECT_EQ(admin_->Remove(caller_, "", "").status(),
            absl::InvalidArgumentError("name: is empty"));
  EXPECT_THAT(Audit(), SizeIs(2));
}

TEST_F(FeedAdminTest, RefreshFetchesNowAndIsAuditedAsRequested) {
  ASSERT_TRUE(admin_->Put(caller_, Phish()).ok());
  server_->SetResponse("/feed.txt", {.body = "a.test\nb.test\nc.test\n"});
  absl::StatusOr<FeedState> state = admin_->Refresh(caller_, "phish", "");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->entry_count, 3);
  const store::AuditRecord audit = Audit()[0];
  EXPECT_EQ(audit.method, "RefreshFeed");
  EXPECT_EQ(audit.target, "feed:phish");
  EXPECT_EQ(audit.after, "refresh requested");

  EXPECT_TRUE(absl::IsNotFound(admin_->Refresh(caller_, "other", "").status()));
  EXPECT_EQ(admin_->Refresh(caller_, "", "").status(),
            absl::InvalidArgumentError("name: is empty"));
  EXPECT_THAT(Audit(), SizeIs(2));  // nothing changed, nothing audited
}

}  // namespace
}  // namespace lureguard::lists
