#include "server/links/click_recorder.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/store.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/store_samples.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::links {
namespace {

using ::lureguard::testing::SampleClick;
using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1767225600);

class ClickRecorderTest : public ::testing::Test {
 protected:
  ClickRecorderTest() {
    clock_.Set(kStart);
    absl::StatusOr<std::unique_ptr<store::Store>> db =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    EXPECT_TRUE(db.ok()) << db.status();
    store_ = *std::move(db);
  }

  std::vector<store::ClickRecord> Rows() {
    absl::StatusOr<store::ClickPage> page =
        store_->ListClicks({.page_size = 1000});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->clicks : std::vector<store::ClickRecord>{};
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(ClickRecorderTest, AFloodOfClicksInOneWindowIsOneRowWithACount) {
  ClickRecorder clicks(*store_, clock_,
                       {.window = absl::Hours(1), .per_client_ip = {}});
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(clicks.Admit("203.0.113.9").ok());
    ASSERT_TRUE(
        clicks.Record(SampleClick("acme", "https://a.example/", clock_.Now()))
            .ok());
    clock_.Advance(absl::Milliseconds(100));
  }
  std::vector<store::ClickRecord> rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 1000);
  EXPECT_EQ(rows[0].time, kStart);
  // The next window starts a new row.
  clock_.Set(kStart + absl::Hours(1));
  absl::StatusOr<store::ClickRecord> next =
      clicks.Record(SampleClick("acme", "https://a.example/", clock_.Now()));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->count, 1);
  EXPECT_EQ(Rows().size(), 2u);
}

TEST_F(ClickRecorderTest, ClicksOverTheClientIpLimitAreRefused) {
  ClickRecorder clicks(*store_, clock_,
                       {.per_client_ip = {.rate = 1, .burst = 20}});
  int admitted = 0;
  absl::Status refused;
  for (int i = 0; i < 1000; ++i) {
    absl::Status s = clicks.Admit("203.0.113.9");
    if (s.ok()) {
      ++admitted;
    } else {
      refused = s;
    }
  }
  EXPECT_EQ(admitted, 20);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(),
              HasSubstr("client_ip: 203.0.113.9 is over the click rate limit "
                        "per client IP; retry in 1s"));
  // Other addresses, and callers without one, are not held back.
  EXPECT_TRUE(clicks.Admit("198.51.100.1").ok());
  EXPECT_TRUE(clicks.Admit("").ok());
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(clicks.Admit("203.0.113.9").ok());
}

TEST_F(ClickRecorderTest, RowsPastTheRetentionAreSweptHourly) {
  ClickRecorder clicks(*store_, clock_, {.retention = absl::Hours(24 * 90)});
  ASSERT_TRUE(
      clicks.Record(SampleClick("acme", "https://old.example/", kStart)).ok());
  clock_.Advance(absl::Hours(24 * 90) - absl::Minutes(30));
  ASSERT_TRUE(
      clicks.Record(SampleClick("acme", "https://new.example/", clock_.Now()))
          .ok());
  EXPECT_EQ(Rows().size(), 2u);  // swept within the hour: nothing yet
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(
      clicks.Record(SampleClick("acme", "https://new.example/", clock_.Now()))
          .ok());
  // The second new.example click is an hour after the first: a new window.
  std::vector<std::string> urls;
  for (const store::ClickRecord& row : Rows()) urls.push_back(row.url);
  EXPECT_THAT(urls, ::testing::ElementsAre("https://new.example/",
                                           "https://new.example/"));
}

}  // namespace
}  // namespace lureguard::links
