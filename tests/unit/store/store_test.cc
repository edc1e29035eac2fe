#include "server/store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/audit_scope.h"
#include "server/store/store.h"
#include "tests/fakes/faulty_file_system.h"
#include "tests/testing/postgres_test_server.h"
#include "tests/testing/store_samples.h"
#include "tests/unit/store/store_backends.h"

namespace lureguard::store {
namespace {

using ::lureguard::testing::AtVersion;
using ::lureguard::testing::SampleClick;
using ::lureguard::testing::SampleRecord;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The time of the samples (store_samples.h), which tests compare with it.
const absl::Time kNow = lureguard::testing::kSampleTime;

ListEntryRecord Entry(std::string value, EntryKind kind = EntryKind::kDomain,
                      ListType list = ListType::kBlock, std::string tenant = "",
                      std::string source = "admin") {
  ListEntryRecord entry;
  entry.list = list;
  entry.kind = kind;
  entry.value = std::move(value);
  entry.reason = "test";
  entry.source = std::move(source);
  entry.tenant = std::move(tenant);
  entry.create_time = kNow;
  return entry;
}

// Runs a statement on a database file directly, behind the store's back.
void ExecRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error == nullptr ? "" : error;
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

// Makes a file or directory unwritable for this process while in scope:
// by mode bits, and for root, who ignores those, by the immutable
// attribute. `ok()` is false where neither works (e.g. root without
// CAP_LINUX_IMMUTABLE); `error()` is what writing then fails with.
class ScopedUnwritable {
 public:
  explicit ScopedUnwritable(const std::string& path) : path_(path) {
    chmod(path.c_str(), 0555);
    if (geteuid() != 0) {
      ok_ = true;
      error_ = "Permission denied";  // EACCES
    } else {
      immutable_ = ok_ = SetImmutable(true);
      error_ = "Operation not permitted";  // EPERM
    }
  }
  ~ScopedUnwritable() {
    if (immutable_) SetImmutable(false);
    chmod(path_.c_str(), 0755);
  }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

 private:
  bool SetImmutable(bool on) {
    const int fd = open(path_.c_str(), O_RDONLY | O_NONBLOCK);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    ok = ok && ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    close(fd);
    return ok;
  }

  std::string path_;
  bool ok_ = false;
  bool immutable_ = false;
  std::string error_;
};

// Opens, reopens and inspects a store of one backend: a fresh SQLite file
// in a test directory, or a fresh database on the shared cluster.
class StoreFixture : public ::testing::Test {
 protected:
  explicit StoreFixture(Backend backend) : backend_(backend) {}

  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    // TempDir() ends in a slash; parameterised names have one ("X/Sqlite").
    dir_ = absl::StrCat(
        ::testing::TempDir(), "store_test.", getpid(), ".",
        absl::StrReplaceAll(
            absl::StrCat(info->test_suite_name(), ".", info->name()),
            {{"/", "_"}}));
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(std::filesystem::create_directories(dir_));
    path_ = dir_ + "/lureguard.db";
    if (backend_ == Backend::kPostgres) {
      postgres_ = SharedPostgres();
      ASSERT_NE(postgres_, nullptr);
      static int databases = 0;
      database_ = absl::StrCat("store_test_", ++databases);
      ASSERT_TRUE(postgres_->CreateDatabase(database_).ok());
      url_ = postgres_->Url(database_);
    }
  }

  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  absl::StatusOr<std::unique_ptr<Store>> OpenBackend() {
    return backend_ == Backend::kSqlite ? OpenSqliteStore(path_)
                                        : OpenPostgresStore(url_);
  }

  Store& Open() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<Store>> store = OpenBackend();
    EXPECT_TRUE(store.ok()) << store.status();
    if (store.ok()) store_ = *std::move(store);
    return *store_;
  }

  int64_t Revision() {
    absl::StatusOr<int64_t> revision = store_->Revision();
    EXPECT_TRUE(revision.ok()) << revision.status();
    return revision.value_or(-1);
  }

  // Ids of the entries ForEachEntry visits at `now`, in visiting order.
  std::vector<int64_t> LiveIds(absl::Time now) {
    std::vector<int64_t> ids;
    absl::Status status = store_->ForEachEntry(
        now, [&](const ListEntryRecord& entry) { ids.push_back(entry.id); });
    EXPECT_TRUE(status.ok()) << status;
    return ids;
  }

  ListEntryPage Page(ListType list, const std::string& tenant, int64_t after_id,
                     int page_size) {
    absl::StatusOr<ListEntryPage> page =
        store_->ListEntries(list, tenant, after_id, page_size);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.value_or(ListEntryPage{});
  }

  std::vector<std::string> Values(ListType list, const std::string& tenant) {
    std::vector<std::string> values;
    for (const ListEntryRecord& e : Page(list, tenant, 0, 1000).entries) {
      values.push_back(e.value);
    }
    return values;
  }

  int64_t Upsert(const ListEntryRecord& entry) {
    absl::StatusOr<ListEntryRecord> stored = store_->UpsertEntry(entry);
    EXPECT_TRUE(stored.ok()) << stored.status();
    return stored.ok() ? stored->id : -1;
  }

  const Backend backend_;
  std::string dir_;
  std::string path_;  // SQLite
  testing::PostgresTestServer* postgres_ = nullptr;
  std::string database_;  // PostgreSQL
  std::string url_;
  std::unique_ptr<Store> store_;
};

// The behaviour every backend shares: the Store contract.
class StoreTest : public StoreFixture,
                  public ::testing::WithParamInterface<Backend> {
 protected:
  StoreTest() : StoreFixture(GetParam()) {}
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

// What only SQLite has: files, directories, WAL.
class SqliteStoreTest : public StoreFixture {
 protected:
  SqliteStoreTest() : StoreFixture(Backend::kSqlite) {}
};

// What only PostgreSQL has: URLs, a server, other processes' databases.
class PostgresStoreTest : public StoreFixture {
 protected:
  PostgresStoreTest() : StoreFixture(Backend::kPostgres) {}
};

// ---- Records ---------------------------------------------------------------

TEST_P(StoreTest, DeleteRecordAlsoDeletesItsSourcesEntries) {
  Open();
  ASSERT_TRUE(
      store_->PutRecord(SampleRecord("feed", "phish", "cfg"), true).ok());
  Upsert(
      Entry("a.test", EntryKind::kDomain, ListType::kBlock, "", "feed:phish"));
  Upsert(Entry("b.test"));
  absl::StatusOr<bool> deleted = store_->DeleteRecord(
      "feed", "", "phish", std::optional<std::string>("feed:phish"));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(*deleted);
  EXPECT_THAT(Values(ListType::kBlock, ""), ElementsAre("b.test"));
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 1);
  deleted = store_->DeleteRecord("feed", "", "phish", std::nullopt);
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(*deleted);
}

TEST_P(StoreTest, ReplaceSourceEntriesCommitsEntriesAndRecordTogether) {
  Open();
  Upsert(Entry("old.test", EntryKind::kDomain, ListType::kBlock, "",
               "feed:phish"));
  Upsert(Entry("admin.test"));
  std::vector<ListEntryRecord> fresh = {
      Entry("new1.test", EntryKind::kDomain, ListType::kBlock, "",
            "feed:phish"),
      Entry("new2.test", EntryKind::kDomain, ListType::kBlock, "",
            "feed:phish")};
  ASSERT_TRUE(
      store_->PutRecord(SampleRecord("feed", "phish", "new"), false).ok());
  absl::StatusOr<int64_t> written = store_->ReplaceSourceEntries(
      "feed:phish", fresh, AtVersion(SampleRecord("feed", "phish", "ok"), 1));
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 2);
  EXPECT_THAT(Values(ListType::kBlock, ""),
              ElementsAre("admin.test", "new1.test", "new2.test"));

  // An entry of another source fails the whole refresh: the old entries and
  // the old record stay.
  fresh.push_back(Entry("x.test"));
  written = store_->ReplaceSourceEntries(
      "feed:phish", fresh, AtVersion(SampleRecord("feed", "phish", "bad"), 2));
  EXPECT_EQ(written.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Values(ListType::kBlock, ""),
              ElementsAre("admin.test", "new1.test", "new2.test"));
  absl::StatusOr<std::optional<StoredRecord>> record =
      store_->GetRecord("feed", "", "phish");
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->payload, "ok");

  // The feed deleted meanwhile (through another replica): the refresh
  // neither re-creates it nor writes its entries.
  ASSERT_TRUE(
      store_->DeleteRecord("feed", "", "phish", std::string("feed:phish"))
          .ok());
  fresh.pop_back();
  written = store_->ReplaceSourceEntries(
      "feed:phish", fresh, AtVersion(SampleRecord("feed", "phish", "late"), 2));
  EXPECT_EQ(written.status(),
            absl::NotFoundError(
                "record feed//phish: deleted meanwhile; not re-created"));
  EXPECT_THAT(Values(ListType::kBlock, ""), ElementsAre("admin.test"));
  EXPECT_FALSE(store_->GetRecord("feed", "", "phish")->has_value());
}

// ---- Writes and reads ------------------------------------------------------

TEST_P(StoreTest, UpsertAssignsIncreasingIdsAndReturnsTheRecord) {
  Open();
  ListEntryRecord entry = Entry("evil.example");
  entry.expire_time = kNow + absl::Hours(1);
  absl::StatusOr<ListEntryRecord> stored = store_->UpsertEntry(entry);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->id, 1);
  EXPECT_EQ(stored->value, "evil.example");
  EXPECT_EQ(stored->expire_time, kNow + absl::Hours(1));
  EXPECT_EQ(Upsert(Entry("worse.example")), 2);
}

TEST_P(StoreTest, UpsertOfTheSameKeyRefreshesReasonAndTimesInPlace) {
  Open();
  ASSERT_EQ(Upsert(Entry("evil.example")), 1);
  ListEntryRecord refresh = Entry("evil.example");
  refresh.reason = "seen again";
  refresh.create_time = kNow + absl::Minutes(5);
  refresh.expire_time = kNow + absl::Hours(2);
  EXPECT_EQ(Upsert(refresh), 1);

  ListEntryPage page = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.total_size, 1);
  const ListEntryRecord& got = page.entries[0];
  EXPECT_EQ(got.id, 1);
  EXPECT_EQ(got.reason, "seen again");
  EXPECT_EQ(got.create_time, kNow + absl::Minutes(5));
  EXPECT_EQ(got.expire_time, kNow + absl::Hours(2));

  // Refreshing back to "never" clears the expiry.
  EXPECT_EQ(Upsert(Entry("evil.example")), 1);
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).entries[0].expire_time,
            absl::InfiniteFuture());
}

TEST_P(StoreTest, KindSourceListAndTenantAreEachPartOfTheKey) {
  Open();
  EXPECT_EQ(Upsert(Entry("evil.example")), 1);
  EXPECT_EQ(Upsert(Entry("evil.example", EntryKind::kHost)), 2);
  EXPECT_EQ(Upsert(Entry("evil.example", EntryKind::kDomain, ListType::kBlock,
                         "", "feed:openphish")),
            3);
  EXPECT_EQ(Upsert(Entry("evil.example", EntryKind::kDomain, ListType::kAllow)),
            4);
  EXPECT_EQ(Upsert(Entry("evil.example", EntryKind::kDomain, ListType::kBlock,
                         "acme")),
            5);
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 3);
}

TEST_P(StoreTest, DeleteWithKindDeletesOnlyThatKind) {
  Open();
  Upsert(Entry("evil.example", EntryKind::kDomain));
  Upsert(Entry("evil.example", EntryKind::kHost));
  absl::StatusOr<int64_t> deleted = store_->DeleteEntries(
      ListType::kBlock, "", "evil.example", EntryKind::kHost, "admin");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1);
  ListEntryPage page = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].kind, EntryKind::kDomain);
  EXPECT_EQ(page.total_size, 1);
}

TEST_P(StoreTest, DeleteWithoutKindDeletesEveryKindOfThatSourceOnly) {
  Open();
  Upsert(Entry("evil.example", EntryKind::kDomain));
  Upsert(Entry("evil.example", EntryKind::kHost));
  Upsert(Entry("evil.example", EntryKind::kExactUrl));
  Upsert(Entry("evil.example", EntryKind::kDomain, ListType::kBlock, "",
               "feed:openphish"));
  Upsert(Entry("other.example"));
  absl::StatusOr<int64_t> deleted = store_->DeleteEntries(
      ListType::kBlock, "", "evil.example", std::nullopt, "admin");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 3);
  ListEntryPage page = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(page.entries.size(), 2u);
  EXPECT_EQ(page.entries[0].source, "feed:openphish");
  EXPECT_EQ(page.entries[1].value, "other.example");
}

TEST_P(StoreTest, DeleteOfNothingReturnsZeroAndKeepsTheRevision) {
  Open();
  Upsert(Entry("evil.example"));
  absl::StatusOr<int64_t> deleted = store_->DeleteEntries(
      ListType::kAllow, "", "evil.example", std::nullopt, "admin");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 0);
  EXPECT_EQ(Revision(), 1);
}

TEST_P(StoreTest, TenantsSeeOnlyTheirOwnEntries) {
  Open();
  Upsert(Entry("global.example"));
  Upsert(Entry("acme.example", EntryKind::kDomain, ListType::kBlock, "acme"));
  Upsert(Entry("shared.example", EntryKind::kDomain, ListType::kBlock, "acme"));
  Upsert(
      Entry("shared.example", EntryKind::kDomain, ListType::kBlock, "initech"));

  EXPECT_THAT(Values(ListType::kBlock, ""), ElementsAre("global.example"));
  EXPECT_THAT(Values(ListType::kBlock, "acme"),
              ElementsAre("acme.example", "shared.example"));
  EXPECT_THAT(Values(ListType::kBlock, "initech"),
              ElementsAre("shared.example"));

  absl::StatusOr<int64_t> deleted = store_->DeleteEntries(
      ListType::kBlock, "acme", "shared.example", std::nullopt, "admin");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1);
  EXPECT_THAT(Values(ListType::kBlock, "acme"), ElementsAre("acme.example"));
  EXPECT_THAT(Values(ListType::kBlock, "initech"),
              ElementsAre("shared.example"));
}

TEST_P(StoreTest, ListEntriesPagesInIdOrder) {
  Open();
  for (int i = 1; i <= 5; ++i) Upsert(Entry(absl::StrCat("e", i, ".example")));
  Upsert(Entry("allowed.example", EntryKind::kDomain, ListType::kAllow));

  ListEntryPage first = Page(ListType::kBlock, "", 0, 2);
  ASSERT_EQ(first.entries.size(), 2u);
  EXPECT_EQ(first.entries[0].id, 1);
  EXPECT_EQ(first.entries[1].id, 2);
  EXPECT_EQ(first.last_id, 2);
  EXPECT_TRUE(first.has_more);
  EXPECT_EQ(first.total_size, 5);

  ListEntryPage second = Page(ListType::kBlock, "", first.last_id, 2);
  ASSERT_EQ(second.entries.size(), 2u);
  EXPECT_EQ(second.entries[0].value, "e3.example");
  EXPECT_EQ(second.last_id, 4);
  EXPECT_TRUE(second.has_more);

  ListEntryPage last = Page(ListType::kBlock, "", second.last_id, 2);
  ASSERT_EQ(last.entries.size(), 1u);
  EXPECT_EQ(last.entries[0].value, "e5.example");
  EXPECT_EQ(last.last_id, 5);
  EXPECT_FALSE(last.has_more);
  EXPECT_EQ(last.total_size, 5);

  ListEntryPage past_end = Page(ListType::kBlock, "", 5, 2);
  EXPECT_THAT(past_end.entries, IsEmpty());
  EXPECT_EQ(past_end.last_id, 5);
  EXPECT_FALSE(past_end.has_more);
}

TEST_P(StoreTest, AFullLastPageHasNoMore) {
  Open();
  for (int i = 1; i <= 4; ++i) Upsert(Entry(absl::StrCat("e", i, ".example")));
  EXPECT_TRUE(Page(ListType::kBlock, "", 0, 2).has_more);
  ListEntryPage second = Page(ListType::kBlock, "", 2, 2);
  EXPECT_EQ(second.entries.size(), 2u);
  EXPECT_FALSE(second.has_more);
}

TEST_P(StoreTest, IdsOfDeletedEntriesAreNotReused) {
  Open();
  Upsert(Entry("a.example"));
  Upsert(Entry("b.example"));
  ASSERT_TRUE(store_
                  ->DeleteEntries(ListType::kBlock, "", "b.example",
                                  std::nullopt, "admin")
                  .ok());
  EXPECT_EQ(Upsert(Entry("c.example")), 3);
}

// ---- Expiry
// ------------------------------------------------------------------

TEST_P(StoreTest, ForEachEntrySkipsEntriesExpiredAtNow) {
  Open();
  ListEntryRecord past = Entry("past.example");
  past.expire_time = kNow - absl::Seconds(1);
  ListEntryRecord at_now = Entry("now.example");
  at_now.expire_time = kNow;
  ListEntryRecord soon = Entry("soon.example");
  soon.expire_time = kNow + absl::Microseconds(1);
  Upsert(past);                    // 1
  Upsert(at_now);                  // 2
  Upsert(soon);                    // 3
  Upsert(Entry("never.example"));  // 4

  EXPECT_THAT(LiveIds(kNow), ElementsAre(3, 4));
  EXPECT_THAT(LiveIds(kNow - absl::Seconds(1) - absl::Microseconds(1)),
              ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(LiveIds(absl::InfiniteFuture()), ElementsAre(4));
}

TEST_P(StoreTest, ForEachEntryReturnsEveryField) {
  Open();
  ListEntryRecord entry = Entry("203.0.113.0/24", EntryKind::kIpRange,
                                ListType::kAllow, "acme", "feed:corp");
  entry.reason = "office network";
  entry.threat = ThreatType::kMalware;
  entry.create_time = kNow + absl::Microseconds(123);
  entry.expire_time = kNow + absl::Hours(24) + absl::Microseconds(7);
  Upsert(entry);
  std::vector<ListEntryRecord> seen;
  ASSERT_TRUE(
      store_
          ->ForEachEntry(kNow,
                         [&](const ListEntryRecord& e) { seen.push_back(e); })
          .ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].id, 1);
  EXPECT_EQ(seen[0].list, ListType::kAllow);
  EXPECT_EQ(seen[0].kind, EntryKind::kIpRange);
  EXPECT_EQ(seen[0].threat, ThreatType::kMalware);
  EXPECT_EQ(seen[0].value, "203.0.113.0/24");
  EXPECT_EQ(seen[0].reason, "office network");
  EXPECT_EQ(seen[0].source, "feed:corp");
  EXPECT_EQ(seen[0].tenant, "acme");
  EXPECT_EQ(seen[0].create_time, entry.create_time);
  EXPECT_EQ(seen[0].expire_time, entry.expire_time);
}

// The snapshot rebuild's scan: the same rows as ForEachEntry, as views,
// after a size hint that counts every list and tenant, expired or not.
TEST_P(StoreTest, ScanEntriesExpectsTheStoredCountThenVisitsLiveRows) {
  Open();
  ListEntryRecord expired = Entry("old.example");
  expired.expire_time = kNow - absl::Seconds(1);
  ListEntryRecord allowed = Entry("203.0.113.0/24", EntryKind::kIpRange,
                                  ListType::kAllow, "acme", "feed:corp");
  allowed.reason = "office network";
  allowed.create_time = kNow + absl::Microseconds(123);
  allowed.expire_time = kNow + absl::Hours(24) + absl::Microseconds(7);
  Upsert(expired);                                                          // 1
  Upsert(allowed);                                                          // 2
  Upsert(Entry("evil.example", EntryKind::kHost, ListType::kBlock, "t2"));  // 3

  struct Recorder final : EntryVisitor {
    void Expect(int64_t entries) override {
      calls.push_back(absl::StrCat("expect ", entries));
    }
    void Visit(const ListEntryView& e) override {
      calls.push_back(absl::StrCat(
          "visit ", e.id, " ", static_cast<int>(e.list), " ",
          static_cast<int>(e.kind), " ", std::string(e.value), " ",
          std::string(e.reason), " ", std::string(e.source), " ",
          std::string(e.tenant), " ", absl::ToUnixMicros(e.create_time), " ",
          e.expire_time == absl::InfiniteFuture()
              ? std::string("never")
              : absl::StrCat(absl::ToUnixMicros(e.expire_time))));
    }
    std::vector<std::string> calls;
  } recorder;
  ASSERT_TRUE(store_->ScanEntries(kNow, recorder).ok());
  const int64_t now_us = absl::ToUnixMicros(kNow);
  EXPECT_THAT(
      recorder.calls,
      ElementsAre("expect 3",
                  absl::StrCat("visit 2 2 5 203.0.113.0/24 office network "
                               "feed:corp acme ",
                               now_us + 123, " ", now_us + 86400000007),
                  absl::StrCat("visit 3 1 1 evil.example test admin t2 ",
                               now_us, " never")));
}

TEST_P(StoreTest, DeleteExpiredDeletesAtOrBeforeNowAndBumpsOnce) {
  Open();
  ListEntryRecord past = Entry("past.example");
  past.expire_time = kNow - absl::Hours(1);
  ListEntryRecord at_now = Entry("now.example");
  at_now.expire_time = kNow;
  ListEntryRecord later = Entry("later.example");
  later.expire_time = kNow + absl::Hours(1);
  Upsert(past);
  Upsert(at_now);
  Upsert(later);
  Upsert(Entry("never.example"));
  ASSERT_EQ(Revision(), 4);

  absl::StatusOr<int64_t> deleted = store_->DeleteExpired(kNow);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(Revision(), 5);
  EXPECT_THAT(Values(ListType::kBlock, ""),
              ElementsAre("later.example", "never.example"));
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 2);

  // A sweep that finds nothing is not a change.
  deleted = store_->DeleteExpired(kNow);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 0);
  EXPECT_EQ(Revision(), 5);
}

// ---- Import
// --------------------------------------------------------------------

TEST_P(StoreTest, ImportWithReplaceSourceReplacesOnlyThatSource) {
  Open();
  auto feed = [](std::string value, std::string source) {
    return Entry(std::move(value), EntryKind::kDomain, ListType::kBlock, "",
                 std::move(source));
  };
  Upsert(Entry("admin.example"));
  ASSERT_TRUE(store_
                  ->ImportEntries({feed("a1.example", "feed:a"),
                                   feed("a2.example", "feed:a"),
                                   feed("b1.example", "feed:b")},
                                  std::nullopt)
                  .ok());
  absl::StatusOr<int64_t> written = store_->ImportEntries(
      {feed("a2.example", "feed:a"), feed("a3.example", "feed:a")}, "feed:a");
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 2);
  EXPECT_THAT(
      Values(ListType::kBlock, ""),
      ElementsAre("admin.example", "b1.example", "a2.example", "a3.example"));
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 4);
  EXPECT_EQ(Revision(), 3);
}

TEST_P(StoreTest, ImportWithDuplicatesKeepsTheLastOfEach) {
  Open();
  ListEntryRecord first = Entry("dup.example");
  first.reason = "first";
  ListEntryRecord second = Entry("dup.example");
  second.reason = "second";
  absl::StatusOr<int64_t> written =
      store_->ImportEntries({first, second}, std::nullopt);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 2);
  ListEntryPage page = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].reason, "second");
  EXPECT_EQ(page.total_size, 1);
}

TEST_P(StoreTest, ImportAbandonedBeforeItsCommitWritesNothing) {
  Open();
  Upsert(Entry("kept.example"));
  const int64_t revision = Revision();
  int asked = 0;
  absl::StatusOr<int64_t> written = store_->ImportEntries(
      {Entry("a.example"), Entry("b.example")}, std::nullopt, [&asked] {
        ++asked;
        return false;
      });
  EXPECT_EQ(written.status().code(), absl::StatusCode::kCancelled)
      << written.status();
  EXPECT_EQ(asked, 1);  // two entries: asked only before the commit
  EXPECT_EQ(Revision(), revision);
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 1);
}

TEST_P(StoreTest, LongImportStopsSoonAfterItsCallerGivesUp) {
  Open();
  std::vector<ListEntryRecord> entries;
  for (int i = 0; i < 20000; ++i) {
    entries.push_back(Entry(absl::StrCat("host", i, ".example")));
  }
  int asked = 0;
  // Gone at the second ask (SQLite asks every 4,096 entries, PostgreSQL
  // before its COPY and after its merge): nothing lands.
  absl::StatusOr<int64_t> written = store_->ImportEntries(
      entries, std::nullopt, [&asked] { return ++asked < 2; });
  EXPECT_EQ(written.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(asked, 2);  // it stopped at the second ask
  EXPECT_THAT(std::string(written.status().message()),
              ::testing::HasSubstr("nothing was written"));
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 0);
  EXPECT_EQ(Revision(), 0);

  // Still wanted all along: it lands whole.
  written = store_->ImportEntries(entries, std::nullopt, [] { return true; });
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 20000);
}

TEST_P(StoreTest, ImportOfNothingWithoutReplaceIsNotAChange) {
  Open();
  absl::StatusOr<int64_t> written = store_->ImportEntries({}, std::nullopt);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 0);
  EXPECT_EQ(Revision(), 0);
}

TEST_P(StoreTest, ImportWithABadRecordNamesItAndWritesNothing) {
  Open();
  Upsert(Entry("kept.example", EntryKind::kDomain, ListType::kBlock, "",
               "feed:a"));
  std::vector<ListEntryRecord> entries = {
      Entry("new1.example"), Entry("new2.example"),
      Entry("bad example", EntryKind::kDomain, ListType::kBlock, "", "feed a")};
  absl::StatusOr<int64_t> written = store_->ImportEntries(entries, "feed:a");
  EXPECT_EQ(written.status(),
            absl::InvalidArgumentError(
                "entries[2].source: \"feed a\" must be 1 to 128 printable "
                "ASCII characters without spaces"));
  EXPECT_THAT(Values(ListType::kBlock, ""), ElementsAre("kept.example"));
  EXPECT_EQ(Revision(), 1);
  // The failed transaction is over: the next write commits on its own, and
  // takes the first id, as the ids the failed import used were never seen.
  EXPECT_EQ(Upsert(Entry("next.example")), 2);
  EXPECT_THAT(Values(ListType::kBlock, ""),
              ElementsAre("kept.example", "next.example"));
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 2);
  EXPECT_EQ(Revision(), 2);
}

// The store tells an insert from a refresh by the id the row ends up with;
// an id handed out in a rolled-back transaction must not confuse it.
TEST_P(StoreTest, ARefreshAfterAFailedImportKeepsTheListSize) {
  Open();
  ASSERT_EQ(Upsert(Entry("kept.example")), 1);
  ASSERT_FALSE(
      store_->ImportEntries({Entry("new.example"), Entry("")}, std::nullopt)
          .ok());
  ListEntryRecord refresh = Entry("kept.example");
  refresh.reason = "refreshed";
  ASSERT_TRUE(store_->ImportEntries({refresh}, std::nullopt).ok());
  ListEntryPage page = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].reason, "refreshed");
  EXPECT_EQ(page.total_size, 1);
  EXPECT_EQ(Upsert(Entry("new.example")), 2);
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 2);
}

// A million entries in one transaction, then a replacing import that fails
// half way: the first import's entries, ids and revision must all survive.
TEST_P(StoreTest, ImportOfAMillionEntriesIsAtomic) {
  constexpr int kCount = 1'000'000;
  Open();
  std::vector<ListEntryRecord> entries(kCount);
  for (int i = 0; i < kCount; ++i) {
    ListEntryRecord& e = entries[i];
    e.kind = EntryKind::kHost;
    e.value = absl::StrCat("h", i, ".example");
    e.source = "feed:big";
    e.create_time = kNow;
  }

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<int64_t> written = store_->ImportEntries(entries, "feed:big");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, kCount);
  std::cout << "[ measure  ] ImportEntries of " << kCount
            << " entries: " << seconds << " s\n";
  RecordProperty("import_seconds", absl::StrCat(seconds));
  ASSERT_EQ(Revision(), 1);

  entries[kCount / 2].value.clear();
  written = store_->ImportEntries(entries, "feed:big");
  EXPECT_EQ(written.status(), absl::InvalidArgumentError(
                                  "entries[500000].value: must not be empty"));

  EXPECT_EQ(Revision(), 1);
  ListEntryPage page = Page(ListType::kBlock, "", 0, 1);
  EXPECT_EQ(page.total_size, kCount);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].id, 1);
  EXPECT_EQ(page.entries[0].value, "h0.example");
  int64_t visited = 0;
  int64_t last_id = 0;
  const auto scan_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(store_
                  ->ForEachEntry(kNow,
                                 [&](const ListEntryRecord& e) {
                                   ++visited;
                                   last_id = e.id;
                                 })
                  .ok());
  std::cout << "[ measure  ] ForEachEntry over " << visited << " entries: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             scan_start)
                   .count()
            << " s\n";
  EXPECT_EQ(visited, kCount);
  EXPECT_EQ(last_id, kCount);  // Ids of the first import: nothing replaced.
}

// ---- Validation
// --------------------------------------------------------------

struct BadEntryCase {
  std::string name;
  ListEntryRecord entry;
  std::string message;
};

TEST_P(StoreTest, InvalidEntriesAreRefusedNamingFieldAndValue) {
  Open();
  auto with = [](auto change) {
    ListEntryRecord e = Entry("evil.example");
    change(e);
    return e;
  };
  const std::vector<BadEntryCase> cases = {
      {"empty value", with([](auto& e) { e.value = ""; }),
       "value: must not be empty"},
      {"control character", with([](auto& e) { e.value = "evil\x01.example"; }),
       "value: \"evil\\x01.example\" contains a control character"},
      {"invalid utf-8", with([](auto& e) { e.value = "evil\xC0\xAF.example"; }),
       "value: \"evil\\xc0\\xaf.example\" is not valid UTF-8"},
      {"long value", with([](auto& e) { e.value = std::string(8193, 'a'); }),
       absl::StrCat("value: \"", std::string(64, 'a'),
                    "...\" is 8193 bytes long; the limit is 8192")},
      {"list", with([](auto& e) { e.list = static_cast<ListType>(3); }),
       "list: 3 is not a list type (1 or 2)"},
      {"kind", with([](auto& e) { e.kind = static_cast<EntryKind>(0); }),
       "kind: 0 is not an entry kind (1 to 5)"},
      {"empty source", with([](auto& e) { e.source = ""; }),
       "source: must not be empty"},
      {"tenant", with([](auto& e) { e.tenant = "acme corp"; }),
       "tenant: \"acme corp\" must be up to 128 printable ASCII characters "
       "without spaces"},
      {"reason", with([](auto& e) { e.reason = "bad \xFF"; }),
       "reason: \"bad \\xff\" is not valid UTF-8"},
      {"create_time",
       with([](auto& e) { e.create_time = absl::InfiniteFuture(); }),
       "create_time: infinite-future is not a finite time"},
      {"expire_time",
       with([](auto& e) { e.expire_time = absl::InfinitePast(); }),
       "expire_time: must be a finite time or InfiniteFuture (never)"},
  };
  for (const BadEntryCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(store_->UpsertEntry(c.entry).status(),
              absl::InvalidArgumentError(c.message));
  }
  EXPECT_EQ(Revision(), 0);
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).total_size, 0);
}

TEST_P(StoreTest, UnicodeValuesAndReasonsAreStoredAsGiven) {
  Open();
  ListEntryRecord entry = Entry("bücher.example");
  entry.reason = "homoglyph of bücher — 📚";
  Upsert(entry);
  ListEntryPage page = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].value, "bücher.example");
  EXPECT_EQ(page.entries[0].reason, "homoglyph of bücher — 📚");
}

TEST_P(StoreTest, ListEntriesRefusesBadPaging) {
  Open();
  EXPECT_EQ(store_->ListEntries(ListType::kBlock, "", 0, 0).status(),
            absl::InvalidArgumentError("page_size: 0 must be positive"));
  EXPECT_EQ(store_->ListEntries(ListType::kBlock, "", -1, 10).status(),
            absl::InvalidArgumentError("after_id: -1 must not be negative"));
}

// ---- Revision and persistence
// ------------------------------------------------

TEST_P(StoreTest, RevisionGrowsWithEveryCommittedWrite) {
  Open();
  EXPECT_EQ(Revision(), 0);
  Upsert(Entry("a.example"));
  EXPECT_EQ(Revision(), 1);
  Upsert(Entry("a.example"));  // a refresh is a write too
  EXPECT_EQ(Revision(), 2);
  ASSERT_TRUE(store_
                  ->ImportEntries({Entry("b.example"), Entry("c.example")},
                                  std::nullopt)
                  .ok());
  EXPECT_EQ(Revision(), 3);
  ASSERT_TRUE(store_
                  ->DeleteEntries(ListType::kBlock, "", "a.example",
                                  std::nullopt, "admin")
                  .ok());
  EXPECT_EQ(Revision(), 4);
  // Refused writes change nothing.
  EXPECT_FALSE(store_->UpsertEntry(Entry("")).ok());
  EXPECT_EQ(Revision(), 4);
}

TEST_P(StoreTest, EntriesAndRevisionSurviveReopening) {
  Open();
  ListEntryRecord entry = Entry("evil.example");
  entry.create_time = kNow + absl::Microseconds(999);
  entry.expire_time = kNow + absl::Hours(5);
  Upsert(entry);
  Upsert(Entry("other.example", EntryKind::kHost, ListType::kAllow, "acme"));
  store_.reset();
  if (backend_ == Backend::kSqlite) {
    // Closing the last connection checkpoints the WAL into the database.
    EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
  }

  Open();
  EXPECT_EQ(Revision(), 2);
  ListEntryPage page = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].id, 1);
  EXPECT_EQ(page.entries[0].create_time, entry.create_time);
  EXPECT_EQ(page.entries[0].expire_time, entry.expire_time);
  EXPECT_THAT(Values(ListType::kAllow, "acme"), ElementsAre("other.example"));
  EXPECT_EQ(Upsert(Entry("third.example")), 3);
}

TEST_F(SqliteStoreTest, DescribeNamesTheFile) {
  Open();
  EXPECT_EQ(store_->Describe(), "sqlite:" + path_);
}

// ---- Refusing to open
// ------------------------------------------------------------

TEST_F(SqliteStoreTest, AForeignSqliteFileIsRefusedAndLeftUntouched) {
  ExecRaw(path_, "CREATE TABLE photos(id INTEGER PRIMARY KEY)");
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
  EXPECT_EQ(store.status(),
            absl::FailedPreconditionError(absl::StrCat(
                path_,
                ": not a Lureguard database (application_id 0x00000000, "
                "expected 0x4c475244); move it away or choose another data "
                "dir")));
  // Not switched to WAL, no tables of ours.
  EXPECT_FALSE(std::filesystem::exists(path_ + "-wal"));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT group_concat(name) FROM sqlite_schema", -1,
                         &stmt, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "photos");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, AnotherApplicationsDatabaseIsRefused) {
  ExecRaw(path_, "PRAGMA application_id = 1234");
  EXPECT_EQ(OpenSqliteStore(path_).status(),
            absl::FailedPreconditionError(absl::StrCat(
                path_,
                ": not a Lureguard database (application_id 0x000004d2, "
                "expected 0x4c475244); move it away or choose another data "
                "dir")));
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsRefused) {
  {
    std::ofstream out(path_, std::ios::binary);
    for (int i = 0; i < 100; ++i) out << "this is a log file, not a db\n";
  }
  EXPECT_EQ(OpenSqliteStore(path_).status(),
            absl::FailedPreconditionError(
                absl::StrCat(path_, ": file is not a database")));
}

TEST_F(SqliteStoreTest, ADatabaseFromANewerVersionIsRefused) {
  Open();
  store_.reset();
  ExecRaw(path_, "PRAGMA user_version = 99");
  EXPECT_EQ(OpenSqliteStore(path_).status(),
            absl::FailedPreconditionError(absl::StrCat(
                path_,
                ": schema version 99 was written by a newer Lureguard; this "
                "version supports up to 9")));
}

// A database of schema 5 (before threat types) keeps its rows; they were
// all phishing entries then and read back so. Built by writing rows with
// this version and dropping the column behind the store's back.
TEST_F(SqliteStoreTest, EntriesFromSchemaFiveMigrateAsPhishing) {
  Open();
  ListEntryRecord malware = Entry("evil.example");
  malware.threat = ThreatType::kMalware;
  Upsert(malware);
  Upsert(Entry("allowed.example", EntryKind::kHost, ListType::kAllow));
  store_.reset();
  ExecRaw(path_,
          "ALTER TABLE list_entries DROP COLUMN threat;"
          // Schema 7's additions go too, so that its migration runs again.
          "DROP INDEX clicks_by_recipient; DROP INDEX clicks_by_last_time;"
          "ALTER TABLE clicks DROP COLUMN count;"
          "ALTER TABLE clicks DROP COLUMN last_time;"
          "DROP TABLE beacon_flags;"
          // And schema 8's.
          "ALTER TABLE records DROP COLUMN version;"
          "PRAGMA user_version = 5");

  Open();
  ListEntryPage block = Page(ListType::kBlock, "", 0, 10);
  ASSERT_EQ(block.entries.size(), 1u);
  EXPECT_EQ(block.entries[0].value, "evil.example");
  EXPECT_EQ(block.entries[0].threat, ThreatType::kPhishing);
  ListEntryPage allow = Page(ListType::kAllow, "", 0, 10);
  ASSERT_EQ(allow.entries.size(), 1u);
  EXPECT_EQ(allow.entries[0].threat, ThreatType::kPhishing);
  // The migrated column is written like any other.
  Upsert(malware);
  EXPECT_EQ(Page(ListType::kBlock, "", 0, 10).entries[0].threat,
            ThreatType::kMalware);
}

TEST_P(StoreTest, AnUnknownThreatTypeIsRefusedNamingTheField) {
  Open();
  ListEntryRecord entry = Entry("evil.example");
  entry.threat = static_cast<ThreatType>(3);
  EXPECT_EQ(
      store_->UpsertEntry(entry).status(),
      absl::InvalidArgumentError("threat: 3 is not a threat type (1, 2 or 4)"));
}

TEST(ThreatTypeName, RoundTripsEveryTypeAndRefusesOthers) {
  for (ThreatType threat :
       {ThreatType::kPhishing, ThreatType::kMalware, ThreatType::kUnwanted}) {
    EXPECT_EQ(ParseThreatType(ThreatTypeName(threat)), threat);
  }
  EXPECT_EQ(ThreatTypeName(ThreatType::kUnwanted), std::string("unwanted"));
  EXPECT_EQ(ParseThreatType("suspicious"), std::nullopt);
  EXPECT_EQ(ParseThreatType("Malware"), std::nullopt);
}

TEST_F(SqliteStoreTest, ACorruptDatabaseIsDataLossNamingTheFile) {
  Open();
  Upsert(Entry("evil.example"));
  store_.reset();
  {
    // Overwrite page 1 after the 100-byte file header: the schema table's
    // root, so every statement fails.
    std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    const std::string garbage(3996, '\xA5');
    file.write(garbage.data(), garbage.size());
  }
  absl::Status status = OpenSqliteStore(path_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_EQ(status.message(),
            absl::StrCat(path_, ": database disk image is malformed"));
}

TEST_F(SqliteStoreTest, ADirectoryThatIsAFileIsRefused) {
  const std::string not_a_dir = dir_ + "/regular-file";
  std::ofstream(not_a_dir) << "x";
  const std::string path = not_a_dir + "/lureguard.db";
  EXPECT_EQ(OpenSqliteStore(path).status(),
            absl::FailedPreconditionError(
                absl::StrCat(path, ": ", not_a_dir, " is not a directory")));
}

TEST_F(SqliteStoreTest, AMissingDirectoryIsRefused) {
  const std::string path = dir_ + "/missing/lureguard.db";
  EXPECT_EQ(OpenSqliteStore(path).status(),
            absl::FailedPreconditionError(
                absl::StrCat(path, ": cannot use its directory ", dir_,
                             "/missing: No such file or directory")));
}

TEST_F(SqliteStoreTest, ADirectoryInPlaceOfTheFileIsRefused) {
  ASSERT_TRUE(std::filesystem::create_directory(path_));
  EXPECT_EQ(OpenSqliteStore(path_).status(),
            absl::FailedPreconditionError(
                absl::StrCat(path_, ": is a directory, not a database file")));
}

TEST_F(SqliteStoreTest, AFileThatCannotBeWrittenIsRefused) {
  Open();
  store_.reset();
  ScopedUnwritable unwritable(path_);
  if (!unwritable.ok()) GTEST_SKIP() << "cannot make a file unwritable here";
  EXPECT_EQ(OpenSqliteStore(path_).status(),
            absl::FailedPreconditionError(absl::StrCat(
                path_, ": file is not writable: ", unwritable.error())));
}

TEST_F(SqliteStoreTest, ADirectoryThatCannotBeWrittenIsRefused) {
  ScopedUnwritable unwritable(dir_);
  if (!unwritable.ok()) GTEST_SKIP() << "cannot make a directory unwritable";
  EXPECT_EQ(OpenSqliteStore(path_).status(),
            absl::FailedPreconditionError(
                absl::StrCat(path_, ": directory ", dir_,
                             " is not writable: ", unwritable.error())));
}

// The WAL and shared-memory files live next to the database, so an
// existing database in a read-only directory cannot be used either.
TEST_F(SqliteStoreTest, ADatabaseInADirectoryThatCannotBeWrittenIsRefused) {
  Open();
  Upsert(Entry("evil.example"));
  store_.reset();
  ScopedUnwritable unwritable(dir_);
  if (!unwritable.ok()) GTEST_SKIP() << "cannot make a directory unwritable";
  EXPECT_EQ(OpenSqliteStore(path_).status(),
            absl::FailedPreconditionError(
                absl::StrCat(path_, ": directory ", dir_,
                             " is not writable: ", unwritable.error())));
}

// The same three refusals through FaultyFileSystem, which run as any user
// (the tests above need root's immutable attribute when run as root; they
// stay, as they check the kernel's real answer through faccessat).
TEST_F(SqliteStoreTest, AFileTheFileSystemWillNotLetUsWriteIsRefused) {
  Open();
  store_.reset();
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kAccess, EACCES, /*nth=*/2);  // 1 is the directory
  EXPECT_EQ(OpenSqliteStore(path_, fs).status(),
            absl::FailedPreconditionError(absl::StrCat(
                path_, ": file is not writable: Permission denied")));
}

TEST_F(SqliteStoreTest, ADirectoryTheFileSystemWillNotLetUsWriteIsRefused) {
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kAccess, EROFS);
  EXPECT_EQ(OpenSqliteStore(path_, fs).status(),
            absl::FailedPreconditionError(
                absl::StrCat(path_, ": directory ", dir_,
                             " is not writable: Read-only file system")));
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(SqliteStoreTest,
       ADatabaseInADirectoryTheFileSystemWillNotLetUsWriteIsRefused) {
  Open();
  Upsert(Entry("evil.example"));
  store_.reset();
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kAccess, EACCES);
  EXPECT_EQ(
      OpenSqliteStore(path_, fs).status(),
      absl::FailedPreconditionError(absl::StrCat(
          path_, ": directory ", dir_, " is not writable: Permission denied")));
  // Nothing was refused for real: the same store opens through POSIX.
  absl::StatusOr<std::unique_ptr<Store>> reopened = OpenSqliteStore(path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
}

TEST_F(SqliteStoreTest, AnEmptyPathIsRefused) {
  EXPECT_EQ(
      OpenSqliteStore("").status(),
      absl::InvalidArgumentError("store path: \"\" does not name a file"));
}

// ---- Concurrency
// -----------------------------------------------------------------

// A snapshot build streams entries while writes go on: the stream sees the
// state as of its start, and writes from inside it neither block nor appear.
TEST_P(StoreTest, ForEachEntryReadsOneSnapshotWhileWritesCommit) {
  Open();
  for (int i = 0; i < 100; ++i) Upsert(Entry(absl::StrCat("e", i, ".example")));
  int visited = 0;
  absl::Status status =
      store_->ForEachEntry(kNow, [&](const ListEntryRecord& entry) {
        ++visited;
        Upsert(Entry(absl::StrCat("during", entry.id, ".example")));
      });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(visited, 100);
  EXPECT_EQ(LiveIds(kNow).size(), 200u);
  EXPECT_EQ(Revision(), 200);
}

TEST_P(StoreTest, ConcurrentReadersAndWritersSeeConsistentState) {
  constexpr int kWriters = 2;
  constexpr int kUpsertsPerWriter = 300;
  constexpr int kImports = 10;
  constexpr int kImportSize = 100;
  Open();

  std::atomic<int> writers_running{kWriters + 1};
  std::atomic<int> reader_failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kUpsertsPerWriter; ++i) {
        if (!store_
                 ->UpsertEntry(Entry(absl::StrCat("w", w, "-", i, ".example")))
                 .ok()) {
          ++reader_failures;
        }
      }
      --writers_running;
    });
  }
  threads.emplace_back([&] {
    for (int b = 0; b < kImports; ++b) {
      std::vector<ListEntryRecord> batch;
      for (int i = 0; i < kImportSize; ++i) {
        batch.push_back(Entry(absl::StrCat("b", b, "-", i, ".example"),
                              EntryKind::kDomain, ListType::kBlock, "",
                              "feed:batch"));
      }
      if (!store_->ImportEntries(batch, std::nullopt).ok()) ++reader_failures;
    }
    --writers_running;
  });
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      int64_t last_revision = 0;
      size_t last_count = 0;
      while (writers_running.load() > 0) {
        absl::StatusOr<int64_t> revision = store_->Revision();
        size_t count = 0;
        int64_t batch_entries = 0;
        absl::Status status =
            store_->ForEachEntry(kNow, [&](const ListEntryRecord& e) {
              ++count;
              if (e.source == "feed:batch") ++batch_entries;
            });
        absl::StatusOr<ListEntryPage> page =
            store_->ListEntries(ListType::kBlock, "", 0, 100000);
        if (!revision.ok() || !status.ok() || !page.ok() ||
            *revision < last_revision || count < last_count ||
            batch_entries % kImportSize != 0 ||  // imports are all or nothing
            page->total_size != static_cast<int64_t>(page->entries.size())) {
          ++reader_failures;
        }
        last_revision = revision.value_or(0);
        last_count = count;
      }
    });
  }
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(reader_failures.load(), 0);
  EXPECT_EQ(LiveIds(kNow).size(),
            static_cast<size_t>(kWriters * kUpsertsPerWriter +
                                kImports * kImportSize));
  EXPECT_EQ(Revision(), kWriters * kUpsertsPerWriter + kImports);
}

// ---- Clicks ----------------------------------------------------------------

TEST_P(StoreTest, ClicksAreListedNewestFirstPerTenantAndSurviveReopen) {
  Open();
  const int64_t revision = Revision();
  for (const char* url : {"https://a.example/", "https://b.example/"}) {
    ASSERT_TRUE(store_->AddClick(SampleClick("acme", url)).ok());
  }
  absl::StatusOr<ClickRecord> other =
      store_->AddClick(SampleClick("globex", "https://c.example/"));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->id, 3);
  // Clicks feed no snapshot: no rebuild for each click.
  EXPECT_EQ(Revision(), revision);

  Open();
  absl::StatusOr<ClickPage> all = store_->ListClicks({.page_size = 2});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->clicks.size(), 2u);
  EXPECT_TRUE(all->has_more);
  EXPECT_EQ(all->clicks[0].url, "https://c.example/");
  EXPECT_EQ(all->clicks[0].tenant, "globex");
  EXPECT_EQ(all->clicks[0].time, kNow);
  EXPECT_EQ(all->clicks[0].action, 1);
  EXPECT_EQ(all->clicks[0].verdict_action, 2);
  EXPECT_EQ(all->clicks[0].recipient_id, "0123456789abcdef0123456789abcdef");
  absl::StatusOr<ClickPage> rest =
      store_->ListClicks({.before_id = all->clicks[1].id, .page_size = 2});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->clicks.size(), 1u);
  EXPECT_EQ(rest->clicks[0].url, "https://a.example/");
  EXPECT_FALSE(rest->has_more);

  absl::StatusOr<ClickPage> acme =
      store_->ListClicks({.page_size = 10, .tenant = "acme"});
  ASSERT_TRUE(acme.ok());
  ASSERT_EQ(acme->clicks.size(), 2u);
  EXPECT_EQ(acme->clicks[0].url, "https://b.example/");
}

// ---- Bounded clicks and beacon flags (schema v7) ----------------------------

TEST_P(StoreTest, RecordClickCountsRepeatsWithinTheWindowInOneRow) {
  Open();
  const int64_t revision = Revision();
  ClickRecord click = SampleClick("acme", "https://a.example/");
  absl::StatusOr<ClickRecord> first =
      store_->RecordClick(click, absl::Hours(1));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->count, 1);
  for (int i = 1; i <= 9; ++i) {
    click.time = kNow + absl::Minutes(i);
    click.verdict_id = absl::StrCat("v", i);
    absl::StatusOr<ClickRecord> again =
        store_->RecordClick(click, absl::Hours(1));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(again->count, i + 1);
  }
  // Another link, recipient or tenant is another row.
  ASSERT_TRUE(store_
                  ->RecordClick(SampleClick("acme", "https://b.example/"),
                                absl::Hours(1))
                  .ok());
  ClickRecord other_recipient = SampleClick("acme", "https://a.example/");
  other_recipient.recipient_id = "fedcba9876543210fedcba9876543210";
  ASSERT_TRUE(store_->RecordClick(other_recipient, absl::Hours(1)).ok());
  ASSERT_TRUE(store_
                  ->RecordClick(SampleClick("globex", "https://a.example/"),
                                absl::Hours(1))
                  .ok());
  // The window starts at the row's first click: an hour later is a new row.
  click.time = kNow + absl::Hours(1);
  absl::StatusOr<ClickRecord> next = store_->RecordClick(click, absl::Hours(1));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_NE(next->id, first->id);
  EXPECT_EQ(next->count, 1);
  EXPECT_EQ(Revision(), revision);

  absl::StatusOr<ClickPage> page =
      store_->ListClicks({.page_size = 100, .tenant = "acme"});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->clicks.size(), 4u);
  const ClickRecord& counted = page->clicks.back();  // oldest: the first row
  EXPECT_EQ(counted.id, first->id);
  EXPECT_EQ(counted.count, 10);
  EXPECT_EQ(counted.time, kNow);
  EXPECT_EQ(counted.last_time, kNow + absl::Minutes(9));
  EXPECT_EQ(counted.verdict_id, "v9");
}

TEST_P(StoreTest, RecordClickRefusesAWindowThatIsNotPositive) {
  Open();
  EXPECT_EQ(
      store_
          ->RecordClick(SampleClick("acme", "https://a.example/"),
                        absl::ZeroDuration())
          .status(),
      absl::InvalidArgumentError("window: 0 must be positive and finite"));
}

// Ids are page tokens and a poller's bookmark: a click after the newest
// row was swept gets a new id, not the swept one's.
TEST_P(StoreTest, ClickIdsAreNotReusedAfterTheNewestRowIsSwept) {
  Open();
  absl::StatusOr<ClickRecord> first = store_->RecordClick(
      SampleClick("acme", "https://a.example/"), absl::Hours(1));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(*store_->DeleteClicksBefore(kNow + absl::Hours(1)), 1);

  ClickRecord later = SampleClick("acme", "https://b.example/");
  later.time = kNow + absl::Hours(2);
  absl::StatusOr<ClickRecord> second =
      store_->RecordClick(later, absl::Hours(1));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_GT(second->id, first->id);
  // Reopened, the store still remembers the highest id it gave.
  ASSERT_EQ(*store_->DeleteClicksBefore(kNow + absl::Hours(3)), 1);
  Open();
  later.time = kNow + absl::Hours(4);
  absl::StatusOr<ClickRecord> third =
      store_->RecordClick(later, absl::Hours(1));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_GT(third->id, second->id);
}

TEST_P(StoreTest, DeleteClicksBeforeKeepsRowsWithARecentClick) {
  Open();
  ClickRecord old_click = SampleClick("acme", "https://old.example/");
  old_click.time = kNow - absl::Hours(24 * 100);
  ASSERT_TRUE(store_->RecordClick(old_click, absl::Hours(1)).ok());
  // A row whose first click is old but whose last one is recent stays.
  ClickRecord kept = SampleClick("acme", "https://kept.example/");
  kept.time = kNow - absl::Hours(24 * 100);
  ASSERT_TRUE(store_->RecordClick(kept, absl::Hours(24 * 365)).ok());
  kept.time = kNow;
  ASSERT_TRUE(store_->RecordClick(kept, absl::Hours(24 * 365)).ok());
  ASSERT_TRUE(store_
                  ->RecordClick(SampleClick("acme", "https://new.example/"),
                                absl::Hours(1))
                  .ok());

  absl::StatusOr<int64_t> deleted =
      store_->DeleteClicksBefore(kNow - absl::Hours(24 * 90));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1);
  absl::StatusOr<ClickPage> page = store_->ListClicks({.page_size = 10});
  ASSERT_TRUE(page.ok());
  std::vector<std::string> urls;
  for (const ClickRecord& click : page->clicks) urls.push_back(click.url);
  EXPECT_THAT(urls,
              ElementsAre("https://new.example/", "https://kept.example/"));
}

// A database of schema 7 (records without versions) gains them: records
// written before read version 1, and conditional writes work on them.
TEST_F(SqliteStoreTest, RecordsFromSchemaSevenMigrateAtVersionOne) {
  Open();
  ASSERT_TRUE(
      store_->PutRecord(SampleRecord("feed", "phish", "old"), false).ok());
  store_.reset();
  ExecRaw(path_,
          "ALTER TABLE records DROP COLUMN version; PRAGMA user_version = 7");

  Open();
  absl::StatusOr<std::optional<StoredRecord>> record =
      store_->GetRecord("feed", "", "phish");
  ASSERT_TRUE(record.ok() && record->has_value()) << record.status();
  EXPECT_EQ((*record)->version, 1);
  EXPECT_TRUE(
      store_->UpdateRecord(AtVersion(SampleRecord("feed", "phish", "new"), 1))
          .ok());
  EXPECT_EQ((*store_->GetRecord("feed", "", "phish"))->version, 2);
}

// A database of schema 6 (clicks without counts, no beacon table) keeps its
// clicks as single clicks and gains the new table.
TEST_F(SqliteStoreTest, ClicksFromSchemaSixMigrateAsSingleClicks) {
  Open();
  ASSERT_TRUE(store_->AddClick(SampleClick("acme", "https://a.example/")).ok());
  store_.reset();
  ExecRaw(path_,
          "DROP INDEX clicks_by_recipient; DROP INDEX clicks_by_last_time;"
          "ALTER TABLE clicks DROP COLUMN count;"
          "ALTER TABLE clicks DROP COLUMN last_time;"
          "DROP TABLE beacon_flags; ALTER TABLE records DROP COLUMN version;"
          "PRAGMA user_version = 6");

  Open();
  absl::StatusOr<ClickPage> page = store_->ListClicks({.page_size = 10});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->clicks.size(), 1u);
  EXPECT_EQ(page->clicks[0].count, 1);
  EXPECT_EQ(page->clicks[0].last_time, kNow);
  // The migrated row is counted like a new one.
  ClickRecord again = SampleClick("acme", "https://a.example/");
  again.time = kNow + absl::Minutes(1);
  absl::StatusOr<ClickRecord> counted =
      store_->RecordClick(again, absl::Hours(1));
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->id, page->clicks[0].id);
  EXPECT_EQ(counted->count, 2);
  ASSERT_TRUE(store_->ListBeaconFlags(kNow).ok());
}

BeaconFlagRecord Flag(std::string tenant, std::string host,
                      absl::Time expire_time) {
  BeaconFlagRecord flag;
  flag.tenant = std::move(tenant);
  flag.host = std::move(host);
  flag.brand = "Acme";
  flag.technique = "reverse-proxy";
  flag.first_seen = kNow;
  flag.last_seen = kNow;
  flag.hits = 1;
  flag.expire_time = expire_time;
  return flag;
}

TEST_P(StoreTest, BeaconFlagsAreReplacedListedUnexpiredAndSwept) {
  Open();
  const int64_t revision = Revision();
  ASSERT_TRUE(
      store_->PutBeaconFlag(Flag("acme", "b.example", kNow + absl::Hours(1)))
          .ok());
  ASSERT_TRUE(
      store_->PutBeaconFlag(Flag("acme", "a.example", kNow + absl::Hours(2)))
          .ok());
  ASSERT_TRUE(
      store_->PutBeaconFlag(Flag("", "old.example", kNow - absl::Hours(1)))
          .ok());
  BeaconFlagRecord refreshed = Flag("acme", "b.example", kNow + absl::Hours(3));
  refreshed.hits = 7;
  refreshed.last_seen = kNow + absl::Minutes(5);
  ASSERT_TRUE(store_->PutBeaconFlag(refreshed).ok());
  // Flags are read from memory by the login engine: no snapshot rebuild.
  EXPECT_EQ(Revision(), revision);

  Open();
  absl::StatusOr<std::vector<BeaconFlagRecord>> flags =
      store_->ListBeaconFlags(kNow);
  ASSERT_TRUE(flags.ok()) << flags.status();
  ASSERT_EQ(flags->size(), 2u);
  EXPECT_EQ((*flags)[0].host, "a.example");
  EXPECT_EQ((*flags)[1].host, "b.example");
  EXPECT_EQ((*flags)[1].hits, 7);
  EXPECT_EQ((*flags)[1].first_seen, kNow);
  EXPECT_EQ((*flags)[1].last_seen, kNow + absl::Minutes(5));
  EXPECT_EQ((*flags)[1].expire_time, kNow + absl::Hours(3));
  EXPECT_EQ((*flags)[1].brand, "Acme");
  EXPECT_EQ((*flags)[1].technique, "reverse-proxy");

  absl::StatusOr<int64_t> swept = store_->DeleteExpiredBeaconFlags(kNow);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 1);
  swept = store_->DeleteExpiredBeaconFlags(kNow + absl::Hours(2));
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);  // a.example
  flags = store_->ListBeaconFlags(kNow);
  ASSERT_TRUE(flags.ok());
  ASSERT_EQ(flags->size(), 1u);
  EXPECT_EQ((*flags)[0].host, "b.example");
}

TEST_P(StoreTest, DeleteBeaconFlagCarriesTheOpenAuditRecord) {
  Open();
  ASSERT_TRUE(
      store_->PutBeaconFlag(Flag("acme", "a.example", kNow + absl::Hours(1)))
          .ok());
  {
    AuditRecord record;
    record.time = kNow;
    record.actor = "admin";
    record.actor_role = "admin";
    record.method = "DeleteBeaconFlag";
    record.target = "beacon:a.example";
    record.tenant = "acme";
    AuditScope scope(record);
    absl::StatusOr<bool> deleted =
        store_->DeleteBeaconFlag("acme", "a.example");
    ASSERT_TRUE(deleted.ok()) << deleted.status();
    EXPECT_TRUE(*deleted);
  }
  absl::StatusOr<bool> again = store_->DeleteBeaconFlag("acme", "a.example");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  absl::StatusOr<AuditPage> audit = store_->ListAuditRecords({});
  ASSERT_TRUE(audit.ok()) << audit.status();
  ASSERT_EQ(audit->records.size(), 1u);
  EXPECT_EQ(audit->records[0].method, "DeleteBeaconFlag");
  EXPECT_EQ(audit->records[0].target, "beacon:a.example");
  EXPECT_EQ(audit->records[0].tenant, "acme");
}

TEST_P(StoreTest, InvalidBeaconFlagsAreRefusedNamingTheField) {
  Open();
  EXPECT_EQ(store_->PutBeaconFlag(Flag("acme", "", kNow)),
            absl::InvalidArgumentError(
                "host: \"\" must be 1 to 253 printable ASCII characters"));
  EXPECT_EQ(store_->PutBeaconFlag(Flag("ac me", "a.example", kNow)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      store_->PutBeaconFlag(Flag("acme", "a.example", absl::InfiniteFuture())),
      absl::InvalidArgumentError("expire_time: must be finite"));
  EXPECT_EQ(
      store_->DeleteBeaconFlag("acme", std::string(300, 'a')).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, InvalidClicksAreRefusedNamingTheField) {
  Open();
  ClickRecord no_url = SampleClick("acme", "");
  EXPECT_THAT(std::string(store_->AddClick(no_url).status().message()),
              ::testing::StartsWith("url:"));
  ClickRecord address = SampleClick("acme", "https://a.example/");
  address.recipient_id = "alice smith@example.com";
  EXPECT_THAT(std::string(store_->AddClick(address).status().message()),
              ::testing::StartsWith("recipient_id:"));
  EXPECT_EQ(store_->ListClicks({.page_size = 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<ClickPage> page = store_->ListClicks({.page_size = 10});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->clicks.empty());
}

}  // namespace
}  // namespace lureguard::store

namespace lureguard::store {
namespace {

using ::testing::HasSubstr;

AlertRecord TestAlert(std::string key, std::string name, absl::Time created) {
  AlertRecord alert;
  alert.dedup_key = std::move(key);
  alert.name = std::move(name);
  alert.brand = "PayPal";
  alert.technique = "ascii-homoglyph";
  alert.official_domain = "paypal.com";
  alert.weight = 0.9;
  alert.issuer = "CN=R11, O=Let's Encrypt, C=US";
  alert.serial = "2a";
  alert.log_name = "argon";
  alert.log_index = 12;
  alert.not_before = absl::FromUnixSeconds(1767225600);
  alert.create_time = created;
  return alert;
}

TEST_P(StoreTest, AlertsAreAddedOnceAndCommitWithTheCursor) {
  Store& store = Open();
  const absl::Time t = absl::FromUnixSeconds(1767300000);
  StoredRecord cursor{.collection = "ct_log",
                      .name = "argon",
                      .payload = "cursor=3",
                      .update_time = t};
  ASSERT_TRUE(store.PutRecord(cursor, false).ok());  // the log is added
  cursor.version = 1;
  const int64_t before = Revision();
  absl::StatusOr<std::vector<AlertRecord>> added = store.AddAlerts(
      {TestAlert("k1", "paypa1.com", t), TestAlert("k2", "www.paypa1.com", t)},
      cursor);
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_EQ(added->size(), 2u);
  EXPECT_EQ((*added)[0].id, 1);
  EXPECT_EQ(Revision(), before + 1);
  EXPECT_EQ((*store.GetRecord("ct_log", "", "argon"))->payload, "cursor=3");

  // Again, with one new: only the new one is added; the revision moves.
  cursor.payload = "cursor=5";
  cursor.version = 2;
  added = store.AddAlerts(
      {TestAlert("k1", "paypa1.com", t), TestAlert("k3", "paypa1.net", t)},
      cursor);
  ASSERT_EQ(added->size(), 1u);
  EXPECT_EQ((*added)[0].name, "paypa1.net");
  EXPECT_EQ(Revision(), before + 2);
  // Only duplicates: the cursor moves, the revision (a snapshot rebuild)
  // does not.
  cursor.payload = "cursor=6";
  cursor.version = 3;
  EXPECT_TRUE(
      store.AddAlerts({TestAlert("k3", "paypa1.net", t)}, cursor)->empty());
  EXPECT_EQ(Revision(), before + 2);
  EXPECT_EQ((*store.GetRecord("ct_log", "", "argon"))->payload, "cursor=6");

  // An invalid alert writes nothing, not even the cursor.
  cursor.payload = "cursor=9";
  cursor.version = 4;
  AlertRecord bad = TestAlert("k9", "x.com", t);
  bad.weight = 2;
  EXPECT_THAT(store.AddAlerts({TestAlert("k8", "y.com", t), bad}, cursor)
                  .status()
                  .message(),
              HasSubstr("alerts[1].weight: 2 is outside [0, 1]"));
  EXPECT_EQ((*store.GetRecord("ct_log", "", "argon"))->payload, "cursor=6");

  // Durable: everything is there after reopening, fields intact.
  Store& reopened = Open();
  absl::StatusOr<AlertPage> page = reopened.ListAlerts(0, 10, false);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->alerts.size(), 3u);
  const AlertRecord& a = page->alerts[0];
  EXPECT_EQ(a.name, "paypa1.com");
  EXPECT_EQ(a.issuer, "CN=R11, O=Let's Encrypt, C=US");
  EXPECT_DOUBLE_EQ(a.weight, 0.9);
  EXPECT_EQ(a.log_index, 12);
  EXPECT_EQ(a.not_before, absl::FromUnixSeconds(1767225600));
  EXPECT_EQ(a.create_time, t);
  EXPECT_FALSE(a.ack_time.has_value());

  // The log deleted meanwhile (through another replica): a poll's batch
  // neither re-creates it nor adds its alerts.
  ASSERT_TRUE(reopened.DeleteRecord("ct_log", "", "argon", std::nullopt).ok());
  cursor.payload = "cursor=12";
  EXPECT_EQ(
      reopened.AddAlerts({TestAlert("k12", "paypa1.org", t)}, cursor).status(),
      absl::NotFoundError(
          "record ct_log//argon: deleted meanwhile; not re-created"));
  EXPECT_FALSE(reopened.GetRecord("ct_log", "", "argon")->has_value());
  EXPECT_EQ(reopened.ListAlerts(0, 10, false)->alerts.size(), 3u);
}

// Compare-and-set bookkeeping (issue #17): a refresh or a batch of alerts
// computed from an older read of its record is refused and writes nothing.
// (record_store_test.cc: the same for the record alone, on every backend.)
TEST_P(StoreTest, StaleRefreshesAndAlertBatchesWriteNothing) {
  Open();
  ASSERT_TRUE(
      store_->PutRecord(SampleRecord("feed", "phish", "config"), false).ok());
  ASSERT_TRUE(
      store_
          ->UpdateRecord(AtVersion(SampleRecord("feed", "phish", "status"), 1))
          .ok());

  // A writer that read version 1 (a replica that lost its lease since).
  const absl::Status stale_message = absl::AbortedError(
      "record feed//phish: written meanwhile (version 2, this write expected "
      "1); not overwritten");
  EXPECT_EQ(store_
                ->ReplaceSourceEntries(
                    "feed:phish",
                    {Entry("late.test", EntryKind::kDomain, ListType::kBlock,
                           "", "feed:phish")},
                    AtVersion(SampleRecord("feed", "phish", "stale"), 1))
                .status(),
            stale_message);
  EXPECT_EQ(
      store_
          ->AddAlerts({TestAlert("k1", "paypa1.com", kNow)},
                      AtVersion(SampleRecord("feed", "phish", "stale"), 1))
          .status(),
      stale_message);
  EXPECT_EQ((*store_->GetRecord("feed", "", "phish"))->payload, "status");
  EXPECT_THAT(Values(ListType::kBlock, ""), ElementsAre());
  EXPECT_TRUE(store_->ListAlerts(0, 10, false)->alerts.empty());
}

// Two store objects on one database stand for two replicas: the one that
// wrote second wins only if it read what the first wrote.
TEST_P(StoreTest, AReplicaWithAnOlderReadCannotOverwriteAnotherReplicasWrite) {
  Open();
  absl::StatusOr<std::unique_ptr<Store>> other = OpenBackend();
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(
      store_->PutRecord(SampleRecord("ct_log", "argon", "cursor=0"), false)
          .ok());
  absl::StatusOr<std::optional<StoredRecord>> read_by_a =
      store_->GetRecord("ct_log", "", "argon");
  absl::StatusOr<std::optional<StoredRecord>> read_by_b =
      (*other)->GetRecord("ct_log", "", "argon");
  ASSERT_TRUE(read_by_a.ok() && read_by_a->has_value());
  ASSERT_TRUE(read_by_b.ok() && read_by_b->has_value());

  StoredRecord b_cursor = **read_by_b;
  b_cursor.payload = "cursor=500";
  ASSERT_TRUE((*other)->AddAlerts({}, b_cursor).ok());
  StoredRecord a_cursor = **read_by_a;
  a_cursor.payload = "cursor=100";
  EXPECT_EQ(store_->AddAlerts({}, a_cursor).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ((*store_->GetRecord("ct_log", "", "argon"))->payload, "cursor=500");
}

TEST_P(StoreTest, AckPagingAndRecentAlerts) {
  Store& store = Open();
  const absl::Time t = absl::FromUnixSeconds(1767300000);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store
                    .AddAlerts({TestAlert(absl::StrCat("k", i),
                                          absl::StrCat("h", i, ".com"),
                                          t + absl::Hours(i))},
                               std::nullopt)
                    .ok());
  }
  absl::StatusOr<AlertRecord> acked = store.AckAlert(2, t + absl::Hours(9));
  ASSERT_TRUE(acked.ok()) << acked.status();
  EXPECT_EQ(acked->ack_time, t + absl::Hours(9));
  // A second ack keeps the first time.
  EXPECT_EQ(store.AckAlert(2, t + absl::Hours(10))->ack_time,
            t + absl::Hours(9));
  EXPECT_EQ(store.AckAlert(99, t).status().code(), absl::StatusCode::kNotFound);

  AlertPage page = *store.ListAlerts(0, 2, /*unacked_only=*/true);
  ASSERT_EQ(page.alerts.size(), 2u);
  EXPECT_EQ(page.alerts[0].id, 1);
  EXPECT_EQ(page.alerts[1].id, 3);
  EXPECT_TRUE(page.has_more);
  page = *store.ListAlerts(page.last_id, 2, true);
  ASSERT_EQ(page.alerts.size(), 2u);
  EXPECT_EQ(page.alerts[1].id, 5);
  EXPECT_FALSE(page.has_more);
  EXPECT_EQ(store.ListAlerts(0, 0, false).status().code(),
            absl::StatusCode::kInvalidArgument);

  std::vector<int64_t> recent;
  ASSERT_TRUE(
      store
          .ForEachAlert(t + absl::Hours(3),
                        [&](const AlertRecord& a) { recent.push_back(a.id); })
          .ok());
  EXPECT_EQ(recent, (std::vector<int64_t>{4, 5}));
}

// ---- PostgreSQL
// --------------------------------------------------------------

TEST_F(PostgresStoreTest, DescribeNamesTheDatabaseWithoutThePassword) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenPostgresStore(
      absl::StrCat("postgresql://postgres:s3cret@127.0.0.1:", postgres_->port(),
                   "/", database_));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->Describe(),
            absl::StrCat("postgresql://postgres@127.0.0.1:", postgres_->port(),
                         "/", database_));
}

TEST_F(PostgresStoreTest, AnUnparsableUrlIsRefusedWithoutQuotingIt) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenPostgresStore("postgresql://user:s3cret@host:notaport/db?x=%zz");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(store.status().message()),
              ::testing::StartsWith("store: "));
  EXPECT_THAT(std::string(store.status().message()),
              ::testing::Not(::testing::HasSubstr("s3cret")));
  EXPECT_EQ(OpenPostgresStore("mysql://db/x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailable) {
  // The cluster's port on another database name works; a closed port not.
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenPostgresStore("postgresql://postgres:s3cret@127.0.0.1:1/x");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(store.status().message()),
              ::testing::StartsWith("postgresql://postgres@127.0.0.1:1/x: "));
  EXPECT_THAT(std::string(store.status().message()),
              ::testing::Not(::testing::HasSubstr("s3cret")));
}

// A server that accepts the TCP connection and never answers (a database
// host partitioned away mid-handshake looks the same): the store reports
// it unreachable after connect_timeout (5 s unless the URL sets its own),
// not after TCP's minutes, so writes fail fast and outages are reported.
TEST_F(PostgresStoreTest, AServerThatNeverAnswersIsUnavailableWithinSeconds) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
      0);
  ASSERT_EQ(listen(listener, 16), 0);  // the kernel accepts; nobody reads
  socklen_t length = sizeof(address);
  ASSERT_EQ(
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string url = absl::StrCat(
      "postgresql://lureguard@127.0.0.1:", ntohs(address.sin_port), "/x");

  absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<Store>> store = OpenPostgresStore(url);
  const absl::Duration by_default = absl::Now() - start;
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable)
      << store.status();
  EXPECT_GE(by_default, absl::Seconds(4));
  EXPECT_LT(by_default, absl::Seconds(15));

  start = absl::Now();
  store = OpenPostgresStore(url + "?connect_timeout=2");
  const absl::Duration from_url = absl::Now() - start;
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(from_url, absl::Seconds(4));  // the URL's setting wins
  close(listener);
}

TEST_F(PostgresStoreTest, ADatabaseWithOtherTablesIsRefusedAndLeftUntouched) {
  ASSERT_TRUE(
      postgres_->Sql(database_, "CREATE TABLE photos(id integer)").ok());
  absl::StatusOr<std::unique_ptr<Store>> store = OpenPostgresStore(url_);
  EXPECT_EQ(store.status(),
            absl::FailedPreconditionError(absl::StrCat(
                url_,
                ": not a Lureguard database (it has 1 tables and no "
                "lureguard_schema); choose an empty database")));
  absl::StatusOr<std::string> tables =
      postgres_->Sql(database_,
                     "SELECT string_agg(tablename, ',') FROM pg_tables"
                     " WHERE schemaname = 'public'");
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(*tables, "photos\n");
}

TEST_F(PostgresStoreTest, ADatabaseFromANewerVersionIsRefused) {
  Open();
  store_.reset();
  ASSERT_TRUE(
      postgres_->Sql(database_, "UPDATE lureguard_schema SET version = 99")
          .ok());
  EXPECT_EQ(OpenPostgresStore(url_).status(),
            absl::FailedPreconditionError(absl::StrCat(
                url_,
                ": schema version 99 was written by a newer Lureguard; this "
                "version supports up to 3")));
}

TEST_F(PostgresStoreTest, TextWithANulByteIsRefusedNamingTheField) {
  Open();
  ListEntryRecord entry = Entry("evil.example");
  entry.reason = std::string("a\0b", 3);
  EXPECT_EQ(store_->UpsertEntry(entry).status(),
            absl::InvalidArgumentError(
                "reason: contains a NUL byte, which cannot be stored"));
  EXPECT_EQ(Revision(), 0);
}

// Several replicas on one database: stores opened together migrate once,
// their writes interleave into one id sequence and one revision, and each
// sees the others' commits at once.
TEST_F(PostgresStoreTest, StoresOnOneDatabaseShareIdsRevisionAndEntries) {
  constexpr int kStores = 3;
  constexpr int kUpsertsPerStore = 50;
  std::vector<std::unique_ptr<Store>> stores(kStores);
  {
    std::vector<std::thread> openers;
    for (int i = 0; i < kStores; ++i) {
      openers.emplace_back([&, i] {
        absl::StatusOr<std::unique_ptr<Store>> store = OpenPostgresStore(url_);
        EXPECT_TRUE(store.ok()) << store.status();
        if (store.ok()) stores[i] = *std::move(store);
      });
    }
    for (std::thread& t : openers) t.join();
  }
  for (const auto& store : stores) ASSERT_NE(store, nullptr);
  std::vector<std::thread> writers;
  for (int i = 0; i < kStores; ++i) {
    writers.emplace_back([&, i] {
      for (int j = 0; j < kUpsertsPerStore; ++j) {
        EXPECT_TRUE(
            stores[i]
                ->UpsertEntry(Entry(absl::StrCat("s", i, "-", j, ".example")))
                .ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (const auto& store : stores) {
    EXPECT_EQ(store->Revision().value_or(-1), kStores * kUpsertsPerStore);
    absl::StatusOr<ListEntryPage> page =
        store->ListEntries(ListType::kBlock, "", 0, 1000);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size, kStores * kUpsertsPerStore);
    ASSERT_EQ(page->entries.size(), size_t{kStores * kUpsertsPerStore});
    for (size_t k = 0; k < page->entries.size(); ++k) {
      EXPECT_EQ(page->entries[k].id, static_cast<int64_t>(k + 1));
    }
  }
  absl::StatusOr<std::string> version =
      postgres_->Sql(database_, "SELECT version FROM lureguard_schema");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, "3\n");
}

// Counts change notices from a store's listener.
class NoticeCounter {
 public:
  std::function<void()> Listener() {
    return [this] {
      absl::MutexLock lock(&mu_);
      ++notices_;
    };
  }
  int notices() {
    absl::MutexLock lock(&mu_);
    return notices_;
  }
  // Waits until more than `seen` notices arrived; false after `timeout`.
  bool WaitBeyond(int seen, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto beyond = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return notices_ > seen;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&beyond), timeout);
  }

 private:
  absl::Mutex mu_;
  int notices_ ABSL_GUARDED_BY(mu_) = 0;
};

// Another replica hears of every committed change, snapshot or not, and
// of nothing that did not commit or changed nothing.
TEST_F(PostgresStoreTest, OtherStoresHearOfEveryCommittedChange) {
  Open();
  absl::StatusOr<std::unique_ptr<Store>> other = OpenPostgresStore(url_);
  ASSERT_TRUE(other.ok()) << other.status();
  NoticeCounter counter;
  (*other)->SetChangeListener(counter.Listener());
  // The listener announces itself once connected.
  ASSERT_TRUE(counter.WaitBeyond(0, absl::Seconds(10)));

  int seen = counter.notices();
  Upsert(Entry("evil.example"));
  EXPECT_TRUE(counter.WaitBeyond(seen, absl::Seconds(5)));
  // A record no snapshot reads (an API key, a beacon flag) is a change too.
  seen = counter.notices();
  ASSERT_TRUE(
      store_->PutRecord(SampleRecord("api_key", "gw", "k"), false).ok());
  EXPECT_TRUE(counter.WaitBeyond(seen, absl::Seconds(5)));
  // A refused write and a delete of nothing are silent.
  seen = counter.notices();
  EXPECT_FALSE(store_->UpsertEntry(Entry("")).ok());
  ASSERT_TRUE(store_
                  ->DeleteEntries(ListType::kBlock, "", "none.example",
                                  std::nullopt, "admin")
                  .ok());
  // Then one more change: its notice must be the only one.
  ASSERT_TRUE(
      store_->PutRecord(SampleRecord("api_key", "gw", "k2"), false).ok());
  ASSERT_TRUE(counter.WaitBeyond(seen, absl::Seconds(5)));
  absl::SleepFor(absl::Milliseconds(300));  // a stray notice would be here
  EXPECT_EQ(counter.notices(), seen + 1);

  (*other)->SetChangeListener(nullptr);
  seen = counter.notices();
  Upsert(Entry("after.example"));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(counter.notices(), seen);
}

// A database restart cuts every connection: the stores connect again on
// their next use, and the listener once the server is back.
TEST_F(PostgresStoreTest, StoresAndListenersReconnectAfterADatabaseRestart) {
  Open();
  absl::StatusOr<std::unique_ptr<Store>> other = OpenPostgresStore(url_);
  ASSERT_TRUE(other.ok()) << other.status();
  NoticeCounter counter;
  (*other)->SetChangeListener(counter.Listener());
  ASSERT_TRUE(counter.WaitBeyond(0, absl::Seconds(10)));
  Upsert(Entry("before.example"));
  ASSERT_EQ((*other)->Revision().value_or(-1), 1);

  ASSERT_TRUE(postgres_->Stop().ok());
  EXPECT_EQ(store_->UpsertEntry(Entry("down.example")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ((*other)->Revision().status().code(),
            absl::StatusCode::kUnavailable);
  const int seen = counter.notices();
  ASSERT_TRUE(postgres_->Restart().ok());

  // Reconnecting, the listener announces a possible change.
  EXPECT_TRUE(counter.WaitBeyond(seen, absl::Seconds(10)));
  EXPECT_EQ(Upsert(Entry("after.example")), 2);
  EXPECT_EQ((*other)->Revision().value_or(-1), 2);
  EXPECT_THAT(Values(ListType::kBlock, ""),
              ElementsAre("before.example", "after.example"));

  // A restart between two calls: the idle connections are found lost on
  // use and the call goes through on a new one.
  ASSERT_TRUE(postgres_->Restart().ok());
  EXPECT_EQ(Upsert(Entry("third.example")), 3);
  EXPECT_EQ((*other)->Revision().value_or(-1), 3);
}

// A lease is held by one store of all those sharing the database, and
// freed for the others when its holder closes (as when its process dies:
// the server ends the session either way).
TEST_F(PostgresStoreTest, ALeaseHasOneHolderAndPassesOnWhenItCloses) {
  Open();
  absl::StatusOr<std::unique_ptr<Store>> other = OpenPostgresStore(url_);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(store_->HoldLease("feeds").value_or(false), true);
  EXPECT_EQ(store_->HoldLease("feeds").value_or(false), true);  // still
  EXPECT_EQ((*other)->HoldLease("feeds").value_or(true), false);
  EXPECT_EQ((*other)->HoldLease("ct").value_or(false), true);  // another
  EXPECT_EQ(store_->HoldLease("ct").value_or(true), false);

  store_.reset();
  absl::StatusOr<bool> taken = false;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    taken = (*other)->HoldLease("feeds");
    if (!taken.ok() || *taken) break;
    absl::SleepFor(absl::Milliseconds(10));  // between tries
  }
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_TRUE(*taken);
}

TEST_F(SqliteStoreTest, LeasesAreAlwaysGranted) {
  Open();
  EXPECT_EQ(store_->HoldLease("feeds").value_or(false), true);
  EXPECT_EQ(store_->HoldLease("feeds").value_or(false), true);
}

}  // namespace
}  // namespace lureguard::store
