#include "server/lists/list_admin.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/import_parser.h"
#include "tests/testing/admin_owner_test.h"

namespace lureguard::lists {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

class ListAdminTest : public testing::AdminOwnerTest {
 protected:
  ListAdmin Admin(int64_t max_import_entries = 1000) {
    return ListAdmin(*store_, clock_, max_import_entries);
  }

  std::vector<store::ListEntryRecord> Entries(const std::string& tenant = "") {
    absl::StatusOr<store::ListEntryPage> page =
        store_->ListEntries(store::ListType::kBlock, tenant, 0, 1000);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->entries : std::vector<store::ListEntryRecord>{};
  }

  // "evil.example" as a host entry and as a domain entry.
  void AddAsHostAndAsDomain(ListAdmin& admin) {
    ASSERT_TRUE(admin
                    .Add(caller_, {.value = "evil.example",
                                   .kind = store::EntryKind::kHost})
                    .ok());
    ASSERT_TRUE(admin.Add(caller_, {.value = "evil.example"}).ok());
  }

  ImportResult Parse(absl::string_view content, absl::string_view format) {
    ImportParser parser(format, /*skip_invalid=*/false);
    EXPECT_TRUE(parser.AddChunk(content).ok());
    absl::StatusOr<ImportResult> parsed = std::move(parser).Finish();
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return parsed.ok() ? *std::move(parsed) : ImportResult{};
  }
};

TEST_F(ListAdminTest, AddNormalizesTheValueSetsTheExpiryAndAuditsTheChange) {
  ListAdmin admin = Admin();
  absl::StatusOr<store::ListEntryRecord> added =
      admin.Add(caller_, {.value = "HTTP://Evil.Example./login/",
                          .reason = "reported by the SOC",
                          .threat = store::ThreatType::kMalware,
                          .ttl = absl::Hours(24 * 7)});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->kind, store::EntryKind::kUrlPrefix);
  EXPECT_EQ(added->value, "evil.example/login/");
  EXPECT_EQ(added->source, "admin");
  EXPECT_EQ(added->create_time, clock_.Now());
  EXPECT_EQ(added->expire_time, clock_.Now() + absl::Hours(24 * 7));

  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "ops");
  EXPECT_EQ(audit[0].actor_role, "admin");
  EXPECT_EQ(audit[0].method, "CreateListEntry");
  EXPECT_EQ(audit[0].target, "blocklist:evil.example/login/");
  EXPECT_EQ(audit[0].tenant, "");
  EXPECT_EQ(audit[0].before, "");
  EXPECT_EQ(audit[0].after,
            "url-prefix evil.example/login/ reason=reported by the SOC "
            "threat=malware expires=2026-01-08T00:00:00+00:00");
  EXPECT_EQ(audit[0].request_id, "req-1");
}

TEST_F(ListAdminTest, AZeroTtlNeverExpiresAndAddingAgainRefreshesTheEntry) {
  ListAdmin admin = Admin();
  absl::StatusOr<store::ListEntryRecord> first =
      admin.Add(caller_, {.value = "evil.example", .ttl = absl::Hours(1)});
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Minutes(30));
  absl::StatusOr<store::ListEntryRecord> again =
      admin.Add(caller_, {.value = "evil.example", .reason = "still bad"});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->expire_time, absl::InfiniteFuture());
  const std::vector<store::ListEntryRecord> entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].reason, "still bad");
  EXPECT_EQ(entries[0].threat, store::ThreatType::kPhishing);
  EXPECT_EQ(entries[0].expire_time, absl::InfiniteFuture());
  EXPECT_EQ(Audit()[0].after, "domain evil.example reason=still bad");
}

TEST_F(ListAdminTest, EveryChangeMovesTheRevisionTheSnapshotFollows) {
  ListAdmin admin = Admin();
  const int64_t start = Revision();
  ASSERT_TRUE(admin.Add(caller_, {.value = "evil.example"}).ok());
  const int64_t added = Revision();
  EXPECT_GT(added, start);
  EXPECT_FALSE(admin.Add(caller_, {.value = ""}).ok());
  EXPECT_EQ(Revision(), added);  // a refused add changes nothing
  ASSERT_TRUE(admin.Remove(caller_, {.value = "evil.example"}).ok());
  EXPECT_GT(Revision(), added);
}

TEST_F(ListAdminTest, BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  struct Case {
    NewListEntry entry;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{.value = "evil.example", .reason = std::string(1025, 'r')},
       "reason: is 1025 bytes; the limit is 1024"},
      {{.value = "evil.example", .reason = "bad \xFF"},
       "reason: is not valid UTF-8"},
      {{.tenant = "acme corp", .value = "evil.example"},
       "tenant: \"acme corp\" must be up to 128 printable ASCII characters "
       "without spaces"},
      {{.value = "evil\xC0\xAF.example"}, "value: is not valid UTF-8"},
      {{.value = "  "}, "value is empty"},
      {{.value = "10.0.0.1/8", .kind = store::EntryKind::kIpRange},
       "value: '10.0.0.1/8': host bits are set; the network is 10.0.0.0/8"},
      {{.value = "evil.example", .ttl = -absl::Seconds(1)}, "ttl: is negative"},
  };
  ListAdmin admin = Admin();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    absl::StatusOr<store::ListEntryRecord> added = admin.Add(caller_, c.entry);
    EXPECT_EQ(added.status(), absl::InvalidArgumentError(c.message));
  }
  EXPECT_THAT(Entries(), IsEmpty());
  EXPECT_THAT(Audit(), IsEmpty());
}

TEST_F(ListAdminTest, RemoveWithoutAKindRemovesEveryKindOfThatValue) {
  ListAdmin admin = Admin();
  AddAsHostAndAsDomain(admin);
  absl::StatusOr<int64_t> removed =
      admin.Remove(caller_, {.value = "EVIL.example"});
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  EXPECT_THAT(Entries(), IsEmpty());
  const store::AuditRecord audit = Audit()[0];
  EXPECT_EQ(audit.method, "DeleteListEntry");
  EXPECT_EQ(audit.target, "blocklist:evil.example");
  EXPECT_EQ(audit.before, "any kind evil.example");
  EXPECT_EQ(audit.after, "");
}

TEST_F(ListAdminTest, RemoveWithAKindRemovesOnlyThatKind) {
  ListAdmin admin = Admin();
  AddAsHostAndAsDomain(admin);
  absl::StatusOr<int64_t> removed = admin.Remove(
      caller_, {.value = "evil.example", .kind = store::EntryKind::kHost});
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 1);
  ASSERT_EQ(Entries().size(), 1u);
  EXPECT_EQ(Entries()[0].kind, store::EntryKind::kDomain);
  EXPECT_EQ(Audit()[0].before, "host evil.example");
}

TEST_F(ListAdminTest, RemoveOfNothingIsNotFoundAndLeavesFeedEntries) {
  store::ListEntryRecord feed_entry;
  feed_entry.value = "evil.example";
  feed_entry.source = "feed:openphish";
  ASSERT_TRUE(store_->UpsertEntry(feed_entry).ok());
  ListAdmin admin = Admin();
  EXPECT_EQ(admin.Remove(caller_, {.value = "evil.example"}).status(),
            absl::NotFoundError(
                "value: no admin entry 'evil.example' in the block list"));
  EXPECT_EQ(admin
                .Remove(caller_, {.list = store::ListType::kAllow,
                                  .tenant = "acme",
                                  .value = "evil.example"})
                .status(),
            absl::NotFoundError("value: no admin entry 'evil.example' in the "
                                "allow list of tenant acme"));
  EXPECT_EQ(Entries().size(), 1u);
  EXPECT_THAT(Audit(), IsEmpty());  // nothing changed, nothing audited
}

TEST_F(ListAdminTest, ListPagesEachTenantApartWithDefaultAndCappedSizes) {
  std::vector<store::ListEntryRecord> records;
  for (int i = 0; i < 1001; ++i) {
    store::ListEntryRecord& record = records.emplace_back();
    record.value = absl::StrCat("host", i, ".example");
    record.tenant = "acme";
  }
  ASSERT_TRUE(store_->ImportEntries(records, std::nullopt).ok());
  ListAdmin admin = Admin();
  ASSERT_TRUE(admin.Add(caller_, {.value = "global.example"}).ok());

  absl::StatusOr<store::ListEntryPage> page =
      admin.List(store::ListType::kBlock, "acme", 0, 0);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->entries.size(), 100u);  // the default page
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->total_size, 1001);
  page = admin.List(store::ListType::kBlock, "acme", 0, 5000);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->entries.size(), 1000u);  // capped
  page = admin.List(store::ListType::kBlock, "acme", page->last_id, 5000);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].value, "host1000.example");
  EXPECT_FALSE(page->has_more);

  page = admin.List(store::ListType::kBlock, "", 0, 0);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].value, "global.example");

  EXPECT_EQ(admin.List(store::ListType::kBlock, "", 0, -1).status(),
            absl::InvalidArgumentError("page_size: is negative"));
  EXPECT_EQ(admin.List(store::ListType::kBlock, "a\tb", 0, 0).status(),
            absl::InvalidArgumentError(
                "tenant: \"a\\tb\" must be up to 128 printable ASCII "
                "characters without spaces"));
}

TEST_F(ListAdminTest, ImportWritesEveryEntryAsOfItsStartWithOneAuditRecord) {
  ListAdmin admin = Admin();
  absl::StatusOr<PreparedImport> import =
      admin.PrepareImport({.tenant = "acme",
                           .reason = "bulk",
                           .format = "domains",
                           .ttl = absl::Hours(1)});
  ASSERT_TRUE(import.ok()) << import.status();
  const absl::Time started = clock_.Now();
  clock_.Advance(absl::Minutes(10));  // the upload takes a while
  ImportResult parsed =
      Parse("evil.example\nphish.example\nevil.example\n", "domains");
  absl::StatusOr<int64_t> written =
      admin.Import(caller_, *import, parsed, nullptr);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 2);
  EXPECT_THAT(parsed.entries, IsEmpty());  // freed for the rebuild
  EXPECT_EQ(parsed.duplicate_count, 1);    // the counts stay

  const std::vector<store::ListEntryRecord> entries = Entries("acme");
  ASSERT_EQ(entries.size(), 2u);
  for (const store::ListEntryRecord& entry : entries) {
    EXPECT_EQ(entry.reason, "bulk");
    EXPECT_EQ(entry.source, "admin");
    EXPECT_EQ(entry.threat, store::ThreatType::kPhishing);
    EXPECT_EQ(entry.create_time, started);
    EXPECT_EQ(entry.expire_time, started + absl::Hours(1));
  }
  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].method, "ImportListEntries");
  EXPECT_EQ(audit[0].target, "blocklist");
  EXPECT_EQ(audit[0].tenant, "acme");
  EXPECT_EQ(audit[0].after, "2 entries, format domains reason=bulk");
}

TEST_F(ListAdminTest, AnImportWithoutAThreatTakesTheFormatsDefault) {
  ListAdmin admin = Admin();
  absl::StatusOr<PreparedImport> import = admin.PrepareImport({});
  ASSERT_TRUE(import.ok()) << import.status();
  ImportResult parsed = Parse(
      "id,dateadded,url,url_status\n"
      "\"1\",\"d\",\"http://malware.example/x.exe\",\"online\"\n",
      "urlhaus-csv");
  ASSERT_TRUE(admin.Import(caller_, *import, parsed, nullptr).ok());
  ASSERT_EQ(Entries().size(), 1u);
  EXPECT_EQ(Entries()[0].threat, store::ThreatType::kMalware);
  EXPECT_EQ(Audit()[0].after, "1 entries, format urlhaus-csv threat=malware");
}

TEST_F(ListAdminTest, AnImportOverTheLimitOrNoLongerWantedWritesNothing) {
  ListAdmin admin = Admin(/*max_import_entries=*/1);
  absl::StatusOr<PreparedImport> import = admin.PrepareImport({});
  ASSERT_TRUE(import.ok()) << import.status();
  ImportResult two = Parse("a.example\nb.example\n", "domains");
  EXPECT_EQ(admin.Import(caller_, *import, two, nullptr).status(),
            absl::InvalidArgumentError(
                "content: 2 entries exceed the import limit of 1"));
  ImportResult one = Parse("a.example\n", "domains");
  absl::StatusOr<int64_t> abandoned =
      admin.Import(caller_, *import, one, [] { return false; });
  EXPECT_TRUE(absl::IsCancelled(abandoned.status())) << abandoned.status();
  EXPECT_THAT(one.entries, IsEmpty());
  EXPECT_THAT(Entries(), IsEmpty());
  EXPECT_THAT(Audit(), IsEmpty());
}

TEST_F(ListAdminTest, PrepareImportRefusesBadOptionsBeforeAnyContent) {
  ListAdmin admin = Admin();
  EXPECT_EQ(admin.PrepareImport({.tenant = "acme corp"}).status(),
            absl::InvalidArgumentError(
                "tenant: \"acme corp\" must be up to 128 printable ASCII "
                "characters without spaces"));
  EXPECT_EQ(admin.PrepareImport({.reason = "\xFF"}).status(),
            absl::InvalidArgumentError("reason: is not valid UTF-8"));
  absl::Status format = admin.PrepareImport({.format = "xml"}).status();
  EXPECT_TRUE(absl::IsInvalidArgument(format));
  EXPECT_THAT(std::string(format.message()),
              StartsWith("format: unknown format 'xml'"));
  EXPECT_EQ(admin.PrepareImport({.ttl = -absl::Minutes(1)}).status(),
            absl::InvalidArgumentError("ttl: is negative"));
  absl::StatusOr<PreparedImport> never = admin.PrepareImport({});
  ASSERT_TRUE(never.ok()) << never.status();
  EXPECT_EQ(never->expire_time, absl::InfiniteFuture());
  EXPECT_EQ(never->create_time, clock_.Now());
}

}  // namespace
}  // namespace lureguard::lists
