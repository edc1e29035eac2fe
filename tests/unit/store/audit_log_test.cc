// The AuditLog contract, asserted alike on SQLite, PostgreSQL and the
// in-memory fakes: the record of an open AuditScope is written with the
// first record write that changes something, or not at all, and is read
// back newest first. (audit_scope_test.cc: the same with list entries, on
// SQLite.)

#include "server/store/audit_log.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/audit_scope.h"
#include "tests/testing/store_samples.h"
#include "tests/unit/store/store_backends.h"

namespace lureguard::store {
namespace {

using ::lureguard::testing::AtVersion;
using ::lureguard::testing::kSampleTime;
using ::lureguard::testing::SampleAudit;
using ::lureguard::testing::SampleRecord;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class AuditLogTest : public StorePartsTest {
 protected:
  std::vector<std::string> Methods(AuditQuery query = {}) {
    absl::StatusOr<AuditPage> page = audit().ListAuditRecords(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> methods;
    if (!page.ok()) return methods;
    for (const AuditRecord& r : page->records) methods.push_back(r.method);
    return methods;
  }
};

TEST_P(AuditLogTest, OnlyTheFirstChangingWriteOfAScopeIsAudited) {
  {
    AuditScope scope(SampleAudit("CreateFeed", "feed:phish"));
    StoredRecord record = SampleRecord("feed", "phish", "cfg");
    ASSERT_TRUE(records().PutRecord(record, true).ok());
    EXPECT_TRUE(scope.written());
    EXPECT_GT(scope.record().id, 0);
    record.payload = "status";
    ASSERT_TRUE(records().PutRecord(record, false).ok());
  }
  EXPECT_THAT(Methods(), ElementsAre("CreateFeed"));
}

TEST_P(AuditLogTest, PutRecordsIsAllOrNothingWithItsRecord) {
  std::vector<StoredRecord> records = {
      SampleRecord("brand", "A", "a"),
      SampleRecord("brand", "B", "b", "bad tenant")};
  {
    AuditScope scope(SampleAudit("ImportBrands", "brands"));
    EXPECT_EQ(this->records().PutRecords(records, true).code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_THAT(Methods(), IsEmpty());
  absl::StatusOr<std::vector<StoredRecord>> brands =
      this->records().ListRecords("brand");
  ASSERT_TRUE(brands.ok());
  EXPECT_THAT(*brands, IsEmpty());

  records[1].tenant = "acme";
  {
    AuditScope scope(SampleAudit("ImportBrands", "brands"));
    ASSERT_TRUE(this->records().PutRecords(records, true).ok());
  }
  EXPECT_THAT(Methods(), ElementsAre("ImportBrands"));
  brands = this->records().ListRecords("brand");
  ASSERT_TRUE(brands.ok());
  EXPECT_EQ(brands->size(), 2u);
}

TEST_P(AuditLogTest, WritesThatFailOrChangeNothingAreNotAudited) {
  AuditScope scope(SampleAudit("DeleteFeed", "feed:absent"));
  absl::StatusOr<bool> deleted =
      records().DeleteRecord("feed", "", "absent", std::nullopt);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_FALSE(*deleted);
  EXPECT_EQ(records()
                .UpdateRecord(AtVersion(SampleRecord("feed", "absent", "x"), 4))
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(scope.written());
  EXPECT_THAT(Methods(), IsEmpty());
}

TEST_P(AuditLogTest, ListsNewestFirstInPagesAndFiltersByActorAndMethod) {
  for (int i = 0; i < 5; ++i) {
    AuditRecord record = SampleAudit(i % 2 == 0 ? "CreateBrand" : "DeleteBrand",
                                     absl::StrCat("brand:", i));
    if (i == 4) record.actor = "bob";
    AuditScope scope(record);
    ASSERT_TRUE(
        records()
            .PutRecord(SampleRecord("brand", absl::StrCat("b", i), "x"), true)
            .ok());
  }
  absl::StatusOr<AuditPage> first = audit().ListAuditRecords({.page_size = 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->records.size(), 2u);
  EXPECT_EQ(first->records[0].target, "brand:4");
  EXPECT_EQ(first->records[1].target, "brand:3");
  EXPECT_TRUE(first->has_more);
  absl::StatusOr<AuditPage> rest = audit().ListAuditRecords(
      {.before_id = first->records[1].id, .page_size = 10});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->records.size(), 3u);
  EXPECT_EQ(rest->records[2].target, "brand:0");
  EXPECT_EQ(rest->records[2].time, kSampleTime);
  EXPECT_EQ(rest->records[2].request_id, "req-1");
  EXPECT_FALSE(rest->has_more);

  EXPECT_THAT(Methods({.method = "DeleteBrand"}),
              ElementsAre("DeleteBrand", "DeleteBrand"));
  EXPECT_THAT(Methods({.actor = "bob"}), ElementsAre("CreateBrand"));
  EXPECT_EQ(audit().ListAuditRecords({.page_size = 0}).status(),
            absl::InvalidArgumentError("page_size: 0 must be positive"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres,
                                           Backend::kInMemory),
                         BackendName);

}  // namespace
}  // namespace lureguard::store
