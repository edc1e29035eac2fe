#include "server/verdict/snapshot_publisher.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::verdict {
namespace {

store::ListEntryRecord Block(absl::string_view host) {
  store::ListEntryRecord record;
  record.list = store::ListType::kBlock;
  record.kind = store::EntryKind::kDomain;
  record.value = std::string(host);
  return record;
}

class SnapshotPublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  Action ActionFor(const char* url) {
    absl::StatusOr<UrlCheck> check = engine_.CheckUrl(url, "");
    EXPECT_TRUE(check.ok()) << check.status();
    return check.ok() ? check->verdict.action : Action::kAllow;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  Engine engine_{clock_};
};

TEST_F(SnapshotPublisherTest, LoadInitialPublishesTheStoreContents) {
  ASSERT_TRUE(store_->UpsertEntry(Block("evil.test")).ok());
  SnapshotPublisher publisher(*store_, engine_, clock_, Policy());
  ASSERT_TRUE(publisher.LoadInitial().ok());
  EXPECT_EQ(ActionFor("http://evil.test/"), Action::kBlock);
  EXPECT_EQ(engine_.snapshot()->lists.counts().block, 1);
}

TEST_F(SnapshotPublisherTest, WaitForRevisionSeesAWriteImmediately) {
  SnapshotPublisher publisher(*store_, engine_, clock_, Policy(),
                              /*poll_interval=*/absl::Hours(1));
  ASSERT_TRUE(publisher.LoadInitial().ok());
  publisher.Start();
  ASSERT_TRUE(store_->UpsertEntry(Block("late.test")).ok());
  absl::StatusOr<int64_t> revision = store_->Revision();
  ASSERT_TRUE(revision.ok());
  // The poll interval is an hour: only the explicit request can make this
  // pass in time.
  ASSERT_TRUE(publisher.WaitForRevision(*revision, absl::Seconds(30)).ok());
  EXPECT_EQ(ActionFor("http://late.test/"), Action::kBlock);
  EXPECT_GE(publisher.published_revision(), *revision);
  publisher.Stop();
}

TEST_F(SnapshotPublisherTest, PollingPicksUpWritesFromElsewhere) {
  SnapshotPublisher publisher(*store_, engine_, clock_, Policy(),
                              /*poll_interval=*/absl::Milliseconds(20));
  ASSERT_TRUE(publisher.LoadInitial().ok());
  publisher.Start();
  // Another process sharing the database file writes an entry.
  {
    absl::StatusOr<std::unique_ptr<store::Store>> other =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(other.ok()) << other.status();
    ASSERT_TRUE((*other)->UpsertEntry(Block("remote.test")).ok());
  }
  absl::StatusOr<int64_t> revision = store_->Revision();
  ASSERT_TRUE(revision.ok());
  // Wait on the published revision without asking for it.
  for (int i = 0; i < 500 && publisher.published_revision() < *revision; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(ActionFor("http://remote.test/"), Action::kBlock);
  publisher.Stop();
}

}  // namespace
}  // namespace lureguard::verdict
