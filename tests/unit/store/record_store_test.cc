// The RecordStore contract, asserted alike on SQLite, PostgreSQL and the
// in-memory fake, so tests that use the fake are testing what production
// does. What records do with the rest of the store (a feed's entries
// replaced with its record, alerts with a CT log's cursor) is in
// store_test.cc.

#include "server/store/record_store.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/store.h"
#include "tests/fakes/in_memory_record_store.h"
#include "tests/testing/store_samples.h"
#include "tests/unit/store/store_backends.h"

namespace lureguard::store {
namespace {

using ::lureguard::testing::AtVersion;
using ::lureguard::testing::kSampleTime;
using ::lureguard::testing::SampleRecord;
using ::testing::ElementsAre;

class RecordStoreTest : public StorePartsTest {};

TEST_P(RecordStoreTest, RecordsRoundTripBinaryPayloadsAndReplaceInPlace) {
  const std::string binary("a\0b\xff", 4);
  ASSERT_TRUE(
      records().PutRecord(SampleRecord("brand", "PayPal", binary), true).ok());
  absl::StatusOr<std::optional<StoredRecord>> got =
      records().GetRecord("brand", "", "PayPal");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->payload, binary);
  EXPECT_EQ((*got)->update_time, kSampleTime);

  ASSERT_TRUE(
      records().PutRecord(SampleRecord("brand", "PayPal", "v2"), true).ok());
  got = records().GetRecord("brand", "", "PayPal");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->payload, "v2");
  got = records().GetRecord("brand", "other-tenant", "PayPal");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST_P(RecordStoreTest, ListRecordsIsPerCollectionOrderedByTenantAndName) {
  ASSERT_TRUE(
      records().PutRecord(SampleRecord("brand", "b", "1", "t2"), true).ok());
  ASSERT_TRUE(
      records().PutRecord(SampleRecord("brand", "a", "2", "t2"), true).ok());
  ASSERT_TRUE(records().PutRecord(SampleRecord("brand", "z", "3"), true).ok());
  ASSERT_TRUE(records().PutRecord(SampleRecord("feed", "f", "4"), true).ok());
  absl::StatusOr<std::vector<StoredRecord>> brands =
      records().ListRecords("brand");
  ASSERT_TRUE(brands.ok()) << brands.status();
  std::vector<std::string> keys;
  for (const StoredRecord& r : *brands) keys.push_back(r.tenant + "/" + r.name);
  EXPECT_THAT(keys, ElementsAre("/z", "t2/a", "t2/b"));
}

TEST_P(RecordStoreTest, OnlySnapshotRecordsBumpTheRevision) {
  const int64_t start = Revision();
  ASSERT_TRUE(
      records().PutRecord(SampleRecord("feed", "f", "status"), false).ok());
  EXPECT_EQ(Revision(), start);
  ASSERT_TRUE(records().PutRecord(SampleRecord("brand", "b", "x"), true).ok());
  EXPECT_EQ(Revision(), start + 1);
}

TEST_P(RecordStoreTest, RecordKeysAreValidated) {
  EXPECT_EQ(records().PutRecord(SampleRecord("brand", "", "x"), true).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(records().PutRecord(SampleRecord("", "n", "x"), true).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(records()
                .PutRecord(SampleRecord("brand", "n", "x", "bad tenant"), true)
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// Compare-and-set bookkeeping (issue #17): every write of a record moves
// its version; a conditional write computed from an older read is refused
// and writes nothing. (store_test.cc: the same for a refresh or a batch of
// alerts.)
TEST_P(RecordStoreTest, ConditionalRecordWritesReplaceOnlyTheVersionTheyRead) {
  ASSERT_TRUE(
      records().PutRecord(SampleRecord("feed", "phish", "config"), false).ok());
  EXPECT_EQ((*records().GetRecord("feed", "", "phish"))->version, 1);
  ASSERT_TRUE(records()
                  .PutRecord(SampleRecord("feed", "phish", "config2"), false)
                  .ok());
  EXPECT_EQ((*records().GetRecord("feed", "", "phish"))->version, 2);

  const int64_t revision = Revision();
  ASSERT_TRUE(
      records()
          .UpdateRecord(AtVersion(SampleRecord("feed", "phish", "status"), 2))
          .ok());
  absl::StatusOr<std::vector<StoredRecord>> feeds =
      records().ListRecords("feed");
  ASSERT_TRUE(feeds.ok()) << feeds.status();
  ASSERT_EQ(feeds->size(), 1u);
  EXPECT_EQ((*feeds)[0].payload, "status");
  EXPECT_EQ((*feeds)[0].version, 3);
  EXPECT_EQ(Revision(), revision);  // bookkeeping: no snapshot rebuild

  // A writer that read version 2 (a replica that lost its lease since).
  EXPECT_EQ(
      records().UpdateRecord(
          AtVersion(SampleRecord("feed", "phish", "stale"), 2)),
      absl::AbortedError("record feed//phish: written meanwhile (version 3, "
                         "this write expected 2); not overwritten"));
  EXPECT_EQ((*records().GetRecord("feed", "", "phish"))->payload, "status");

  // Deleted: NotFound, and not re-created.
  ASSERT_TRUE(records().DeleteRecord("feed", "", "phish", std::nullopt).ok());
  EXPECT_EQ(records().UpdateRecord(
                AtVersion(SampleRecord("feed", "phish", "late"), 3)),
            absl::NotFoundError(
                "record feed//phish: deleted meanwhile; not re-created"));
  EXPECT_FALSE(records().GetRecord("feed", "", "phish")->has_value());
}

// Version 0 is "there is none yet": the first of two replicas to create
// the record wins, and the other is told, as for any later version. The
// fake has one set of records, so its "other replica" is itself.
TEST_P(RecordStoreTest, VersionZeroCreatesARecordOnlyWhenThereIsNone) {
  std::unique_ptr<Store> other_store;
  if (GetParam() != Backend::kInMemory) {
    other_store = OpenAnother();
    ASSERT_NE(other_store, nullptr);
  }
  RecordStore& other = other_store != nullptr ? *other_store : records();
  const int64_t revision = Revision();
  ASSERT_TRUE(
      records()
          .UpdateRecord(AtVersion(SampleRecord("login", "file", "first"), 0))
          .ok());
  absl::StatusOr<std::optional<StoredRecord>> created =
      other.GetRecord("login", "", "file");
  ASSERT_TRUE(created.ok() && created->has_value());
  EXPECT_EQ((*created)->payload, "first");
  EXPECT_EQ((*created)->version, 1);
  EXPECT_EQ(Revision(), revision);

  EXPECT_EQ(
      other.UpdateRecord(AtVersion(SampleRecord("login", "file", "second"), 0)),
      absl::AbortedError("record login//file: written meanwhile (version 1, "
                         "this write expected 0); not overwritten"));
  EXPECT_EQ((*records().GetRecord("login", "", "file"))->payload, "first");
  ASSERT_TRUE(
      other.UpdateRecord(AtVersion(SampleRecord("login", "file", "second"), 1))
          .ok());
  EXPECT_EQ((*records().GetRecord("login", "", "file"))->version, 2);
}

TEST_P(RecordStoreTest, DeleteRecordSaysWhetherThereWasOneAndBumpsOnlyThen) {
  ASSERT_TRUE(records().PutRecord(SampleRecord("key", "gw", "k"), false).ok());
  const int64_t revision = Revision();
  absl::StatusOr<bool> deleted =
      records().DeleteRecord("key", "", "gw", std::nullopt);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(*deleted);
  EXPECT_EQ(Revision(), revision + 1);
  deleted = records().DeleteRecord("key", "", "gw", std::nullopt);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_FALSE(*deleted);
  EXPECT_EQ(Revision(), revision + 1);
  EXPECT_EQ(records()
                .DeleteRecord("key", "bad tenant", "gw", std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres,
                                           Backend::kInMemory),
                         BackendName);

}  // namespace
}  // namespace lureguard::store
