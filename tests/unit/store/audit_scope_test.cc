// The audit log: records commit with the change they describe, or not at
// all (server/store/audit_scope.h and the SQLite store's audit_log), here
// with list entries. audit_log_test.cc holds every backend and the fake to
// the same with records, and to how the log is read.

#include "server/store/audit_scope.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/store.h"
#include "tests/testing/store_samples.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::store {
namespace {

using ::lureguard::testing::SampleAudit;
using ::testing::IsEmpty;

const absl::Time kNow = lureguard::testing::kSampleTime;

ListEntryRecord Entry(std::string value) {
  ListEntryRecord entry;
  entry.value = std::move(value);
  entry.create_time = kNow;
  return entry;
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::vector<std::string> Methods(AuditQuery query = {}) {
    absl::StatusOr<AuditPage> page = store_->ListAuditRecords(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> methods;
    if (!page.ok()) return methods;
    for (const AuditRecord& r : page->records) methods.push_back(r.method);
    return methods;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(AuditTest, ASuccessfulWriteCarriesTheRecordWithEveryField) {
  {
    AuditScope scope(SampleAudit("CreateListEntry", "blocklist:evil.example"));
    ASSERT_TRUE(store_->UpsertEntry(Entry("evil.example")).ok());
    EXPECT_TRUE(scope.written());
    EXPECT_GT(scope.record().id, 0);
  }
  absl::StatusOr<AuditPage> page = store_->ListAuditRecords({});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->records.size(), 1u);
  const AuditRecord& r = page->records[0];
  EXPECT_EQ(r.time, kNow);
  EXPECT_EQ(r.actor, "alice");
  EXPECT_EQ(r.actor_role, "admin");
  EXPECT_EQ(r.method, "CreateListEntry");
  EXPECT_EQ(r.target, "blocklist:evil.example");
  EXPECT_EQ(r.after, "after");
  EXPECT_EQ(r.request_id, "req-1");
  EXPECT_FALSE(page->has_more);
}

TEST_F(AuditTest, AFailedWriteLeavesNeitherTheChangeNorTheRecord) {
  std::vector<ListEntryRecord> entries = {Entry("a.example"), Entry("")};
  {
    AuditScope scope(SampleAudit("ImportListEntries", "blocklist"));
    // The three-argument form: where gcc 12 inlines the two-argument one
    // under the sanitizers, it falsely reports the disengaged optional it
    // moves as maybe-uninitialized (an error in strict builds).
    absl::StatusOr<int64_t> written =
        store_->ImportEntries(entries, std::nullopt, nullptr);
    EXPECT_EQ(written.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(scope.written());
  }
  EXPECT_THAT(Methods(), IsEmpty());
  absl::StatusOr<ListEntryPage> list =
      store_->ListEntries(ListType::kBlock, "", 0, 10);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(list->entries, IsEmpty());
}

TEST_F(AuditTest, AWriteThatChangesNothingIsNotAudited) {
  AuditScope scope(SampleAudit("DeleteListEntry", "blocklist:absent.example"));
  absl::StatusOr<int64_t> deleted = store_->DeleteEntries(
      ListType::kBlock, "", "absent.example", std::nullopt, "admin");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 0);
  EXPECT_FALSE(scope.written());
  EXPECT_THAT(Methods(), IsEmpty());
}

TEST_F(AuditTest, WritesOutsideAScopeOrOnOtherThreadsAreNotAudited) {
  ASSERT_TRUE(store_->UpsertEntry(Entry("feed.example")).ok());
  AuditScope scope(SampleAudit("CreateListEntry", "blocklist:x"));
  std::thread other(
      [&] { ASSERT_TRUE(store_->UpsertEntry(Entry("other.example")).ok()); });
  other.join();
  EXPECT_FALSE(scope.written());
  EXPECT_THAT(Methods(), IsEmpty());
}

}  // namespace
}  // namespace lureguard::store
