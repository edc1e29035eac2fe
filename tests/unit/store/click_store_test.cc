// The ClickStore contract, asserted alike on SQLite, PostgreSQL and the
// in-memory fake, so tests that use the fake are testing what production does.

#include "server/store/click_store.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/store.h"
#include "tests/fakes/in_memory_click_store.h"
#include "tests/testing/store_samples.h"
#include "tests/testing/temp_dir.h"
#include "tests/unit/store/store_backends.h"

namespace lureguard::store {
namespace {

using ::lureguard::testing::SampleClick;
using ::testing::ElementsAre;

const absl::Time kT0 = lureguard::testing::kSampleTime;

class ClickStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kInMemory) {
      clicks_ = std::make_unique<InMemoryClickStore>();
      return;
    }
    absl::StatusOr<std::string> location =
        NewStoreLocation(GetParam(), dir_.path());
    ASSERT_TRUE(location.ok()) << location.status();
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(*location);
    ASSERT_TRUE(store.ok()) << store.status();
    clicks_ = *std::move(store);
  }

  // "tenant url count" of each row, newest first.
  std::vector<std::string> Rows(ClickQuery query = {.page_size = 100}) {
    absl::StatusOr<ClickPage> page = clicks_->ListClicks(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> rows;
    if (!page.ok()) return rows;
    for (const ClickRecord& c : page->clicks) {
      rows.push_back(c.tenant + " " + c.url + " " + std::to_string(c.count));
    }
    return rows;
  }

  testing::TempDir dir_;
  std::unique_ptr<ClickStore> clicks_;
};

TEST_P(ClickStoreTest, PagesRunNewestFirstAndMayBeOneTenants) {
  for (const char* tenant : {"acme", "globex", "acme", "acme"}) {
    ASSERT_TRUE(
        clicks_->AddClick(SampleClick(tenant, "https://x.example/")).ok());
  }
  absl::StatusOr<ClickPage> first = clicks_->ListClicks({.page_size = 3});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->clicks.size(), 3u);
  EXPECT_EQ(first->clicks[0].id, 4);
  EXPECT_EQ(first->clicks[2].id, 2);
  EXPECT_TRUE(first->has_more);
  absl::StatusOr<ClickPage> rest =
      clicks_->ListClicks({.before_id = first->clicks[2].id, .page_size = 3});
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->clicks.size(), 1u);
  EXPECT_EQ(rest->clicks[0].id, 1);
  EXPECT_FALSE(rest->has_more);
  EXPECT_THAT(Rows({.page_size = 2, .tenant = "globex"}),
              ElementsAre("globex https://x.example/ 1"));
}

TEST_P(ClickStoreTest, RepeatsCountIntoTheRowWhoseWindowIsStillOpen) {
  const absl::Duration window = absl::Minutes(30);
  absl::StatusOr<ClickRecord> first =
      clicks_->RecordClick(SampleClick("acme", "https://a.example/"), window);
  ASSERT_TRUE(first.ok()) << first.status();
  ClickRecord repeat =
      SampleClick("acme", "https://a.example/", kT0 + absl::Minutes(29));
  repeat.verdict_id = "v29";
  repeat.action = 2;
  absl::StatusOr<ClickRecord> counted = clicks_->RecordClick(repeat, window);
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->id, first->id);
  EXPECT_EQ(counted->count, 2);
  EXPECT_EQ(counted->time, kT0);
  EXPECT_EQ(counted->last_time, kT0 + absl::Minutes(29));
  EXPECT_EQ(counted->verdict_id, "v29");
  EXPECT_EQ(counted->action, 2);
  // The window runs from the first click, not the last: 30 minutes after
  // it is a new row, as is another tenant's click.
  ASSERT_TRUE(clicks_
                  ->RecordClick(SampleClick("acme", "https://a.example/",
                                            kT0 + absl::Minutes(30)),
                                window)
                  .ok());
  ASSERT_TRUE(clicks_
                  ->RecordClick(SampleClick("globex", "https://a.example/",
                                            kT0 + absl::Minutes(31)),
                                window)
                  .ok());
  EXPECT_THAT(Rows(), ElementsAre("globex https://a.example/ 1",
                                  "acme https://a.example/ 1",
                                  "acme https://a.example/ 2"));
}

TEST_P(ClickStoreTest, RetentionGoesByTheLastClickAndIdsAreNeverReused) {
  const absl::Duration window = absl::Hours(24);
  ASSERT_TRUE(
      clicks_->RecordClick(SampleClick("acme", "https://old.example/"), window)
          .ok());
  ASSERT_TRUE(
      clicks_->RecordClick(SampleClick("acme", "https://kept.example/"), window)
          .ok());
  ASSERT_TRUE(clicks_
                  ->RecordClick(SampleClick("acme", "https://kept.example/",
                                            kT0 + absl::Hours(2)),
                                window)
                  .ok());
  absl::StatusOr<int64_t> deleted =
      clicks_->DeleteClicksBefore(kT0 + absl::Hours(1));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1);
  EXPECT_THAT(Rows(), ElementsAre("acme https://kept.example/ 2"));
  ASSERT_EQ(*clicks_->DeleteClicksBefore(kT0 + absl::Hours(3)), 1);
  absl::StatusOr<ClickRecord> next =
      clicks_->AddClick(SampleClick("acme", "https://new.example/"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->id, 3);  // 1 and 2 were swept, not freed
}

TEST_P(ClickStoreTest, BadArgumentsAreRefusedNamingTheField) {
  EXPECT_EQ(
      clicks_->AddClick(SampleClick("acme", "")).status(),
      absl::InvalidArgumentError("url: must be 1 to 8192 bytes of UTF-8"));
  EXPECT_EQ(
      clicks_
          ->RecordClick(SampleClick("acme", "https://a.example/"),
                        absl::Seconds(-1))
          .status(),
      absl::InvalidArgumentError("window: -1s must be positive and finite"));
  EXPECT_EQ(clicks_->ListClicks({.page_size = 0}).status(),
            absl::InvalidArgumentError("page_size: 0 must be positive"));
  EXPECT_EQ(clicks_->DeleteClicksBefore(absl::InfiniteFuture()).status(),
            absl::InvalidArgumentError("cutoff: must be finite"));
  EXPECT_THAT(Rows(), ElementsAre());
}

INSTANTIATE_TEST_SUITE_P(Backends, ClickStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres,
                                           Backend::kInMemory),
                         BackendName);

}  // namespace
}  // namespace lureguard::store
