#include "server/lists/list_snapshot.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/entry_value.h"
#include "server/store/store.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::lists {
namespace {

using store::ListEntryRecord;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

ListEntryRecord Entry(absl::string_view value,
                      std::optional<EntryKind> kind = std::nullopt,
                      ListType list = ListType::kBlock,
                      absl::string_view tenant = "") {
  absl::StatusOr<EntryValue> normalized = NormalizeEntryValue(value, kind);
  EXPECT_TRUE(normalized.ok()) << value << ": " << normalized.status();
  ListEntryRecord record;
  record.list = list;
  record.kind = normalized->kind;
  record.value = normalized->value;
  record.tenant = std::string(tenant);
  record.source = "admin";
  return record;
}

// The values of the entries that match `url`, in match order.
std::vector<std::string> Hits(const ListSnapshot& lists, const char* url,
                              absl::string_view tenant = "",
                              absl::Time now = kNow) {
  absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(url);
  EXPECT_TRUE(analysis.ok()) << url << ": " << analysis.status();
  std::vector<std::string> values;
  for (const ListMatch& match : lists.Match(*analysis, tenant, now)) {
    values.push_back(match.value);
  }
  return values;
}

TEST(ListSnapshot, DomainEntryCoversSubdomainsButNotLookalikeSuffixes) {
  ListSnapshot lists = ListSnapshot::Build({Entry("evil.com")});
  EXPECT_THAT(Hits(lists, "http://evil.com/"),
              ::testing::ElementsAre("evil.com"));
  EXPECT_THAT(Hits(lists, "https://a.b.c.d.e.f.evil.com/x"),
              ::testing::ElementsAre("evil.com"));
  EXPECT_THAT(Hits(lists, "http://notevil.com/"), ::testing::IsEmpty());
  EXPECT_THAT(Hits(lists, "http://evil.com.example/"), ::testing::IsEmpty());
}

TEST(ListSnapshot, HostEntryMatchesOnlyThatHost) {
  ListSnapshot lists =
      ListSnapshot::Build({Entry("login.evil.com", EntryKind::kHost)});
  EXPECT_THAT(Hits(lists, "http://LOGIN.evil.com./a"),
              ::testing::ElementsAre("login.evil.com"));
  EXPECT_THAT(Hits(lists, "http://x.login.evil.com/"), ::testing::IsEmpty());
  EXPECT_THAT(Hits(lists, "http://evil.com/"), ::testing::IsEmpty());
}

TEST(ListSnapshot, UrlPrefixFollowsSafeBrowsingExpressions) {
  ListSnapshot lists = ListSnapshot::Build({Entry("evil.com/login/")});
  EXPECT_THAT(Hits(lists, "http://evil.com/login/step2?x=1"),
              ::testing::ElementsAre("evil.com/login/"));
  EXPECT_THAT(Hits(lists, "http://www.evil.com/login/"),
              ::testing::ElementsAre("evil.com/login/"));
  EXPECT_THAT(Hits(lists, "http://evil.com/loginx"), ::testing::IsEmpty());
  EXPECT_THAT(Hits(lists, "http://evil.com/"), ::testing::IsEmpty());
}

TEST(ListSnapshot, ExactUrlNeedsTheSameQuery) {
  ListSnapshot lists = ListSnapshot::Build({Entry("http://evil.com/p?id=7")});
  EXPECT_THAT(Hits(lists, "http://evil.com/p?id=7#top"),
              ::testing::ElementsAre("evil.com/p?id=7"));
  EXPECT_THAT(Hits(lists, "http://evil.com/p?id=8"), ::testing::IsEmpty());
  EXPECT_THAT(Hits(lists, "http://evil.com/p"), ::testing::IsEmpty());
}

TEST(ListSnapshot, IpRangesMatchIpLiteralHostsInAnyNumericForm) {
  ListSnapshot lists =
      ListSnapshot::Build({Entry("127.0.0.0/8"), Entry("2001:db8::/32")});
  EXPECT_THAT(Hits(lists, "http://127.0.0.1/"),
              ::testing::ElementsAre("127.0.0.0/8"));
  EXPECT_THAT(Hits(lists, "http://0x7f.1/"),
              ::testing::ElementsAre("127.0.0.0/8"));
  EXPECT_THAT(Hits(lists, "http://2130706433/"),
              ::testing::ElementsAre("127.0.0.0/8"));
  EXPECT_THAT(Hits(lists, "http://[2001:db8::1]/"),
              ::testing::ElementsAre("2001:db8::/32"));
  EXPECT_THAT(Hits(lists, "http://128.0.0.1/"), ::testing::IsEmpty());
  // IPv6 forms that reach an IPv4 host: mapped, compatible, NAT64.
  for (const char* url :
       {"http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
        "http://[::127.0.0.2]/", "http://[64:ff9b::7f00:1]/"}) {
    EXPECT_THAT(Hits(lists, url), ::testing::ElementsAre("127.0.0.0/8")) << url;
  }
  EXPECT_THAT(Hits(lists, "http://[::1]/"), ::testing::IsEmpty());
  EXPECT_THAT(Hits(lists, "http://[::ffff:8000:1]/"), ::testing::IsEmpty());
}

TEST(ListSnapshot, AllowMatchesComeFirst) {
  ListSnapshot lists = ListSnapshot::Build(
      {Entry("evil.com"),
       Entry("safe.evil.com", std::nullopt, ListType::kAllow)});
  absl::StatusOr<url::UrlAnalysis> url =
      url::AnalyzeUrl("http://safe.evil.com/");
  ASSERT_TRUE(url.ok());
  std::vector<ListMatch> matches = lists.Match(*url, "", kNow);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].list, ListType::kAllow);
  EXPECT_EQ(matches[0].technique, "exact-host");
  EXPECT_EQ(matches[1].list, ListType::kBlock);
  EXPECT_EQ(matches[1].technique, "subdomain");
}

TEST(ListSnapshot, TenantsSeeGlobalEntriesAndOnlyTheirOwn) {
  ListSnapshot lists = ListSnapshot::Build(
      {Entry("global.test"),
       Entry("a-only.test", std::nullopt, ListType::kBlock, "tenant-a")});
  EXPECT_THAT(Hits(lists, "http://global.test/", "tenant-b"),
              ::testing::ElementsAre("global.test"));
  EXPECT_THAT(Hits(lists, "http://a-only.test/", "tenant-a"),
              ::testing::ElementsAre("a-only.test"));
  EXPECT_THAT(Hits(lists, "http://a-only.test/", "tenant-b"),
              ::testing::IsEmpty());
  EXPECT_THAT(Hits(lists, "http://a-only.test/", ""), ::testing::IsEmpty());
}

TEST(ListSnapshot, ExpiredEntriesStopMatchingWithoutRebuild) {
  ListEntryRecord entry = Entry("brief.test");
  entry.expire_time = kNow + absl::Minutes(10);
  ListSnapshot lists = ListSnapshot::Build({entry});
  EXPECT_THAT(Hits(lists, "http://brief.test/", "", kNow),
              ::testing::ElementsAre("brief.test"));
  EXPECT_THAT(Hits(lists, "http://brief.test/", "", kNow + absl::Minutes(10)),
              ::testing::IsEmpty());
}

TEST(ListSnapshot, SameValueInSeveralSourcesMatchesEach) {
  ListEntryRecord admin = Entry("dup.test");
  ListEntryRecord feed = Entry("dup.test");
  feed.source = "feed:openphish";
  ListSnapshot lists = ListSnapshot::Build({admin, feed});
  absl::StatusOr<url::UrlAnalysis> url = url::AnalyzeUrl("http://dup.test/");
  ASSERT_TRUE(url.ok());
  std::vector<ListMatch> matches = lists.Match(*url, "", kNow);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_NE(matches[0].source, matches[1].source);
  EXPECT_EQ(lists.counts().block, 2);
  EXPECT_EQ(lists.counts().allow, 0);
}

TEST(ListSnapshot, BackslashTrickIsCheckedOnTheHostABrowserVisits) {
  // Browsers treat '\' as '/', so this URL goes to evil.com.
  ListSnapshot lists = ListSnapshot::Build({Entry("evil.com")});
  EXPECT_THAT(Hits(lists, "http://evil.com\\@good.com/"),
              ::testing::Contains("evil.com"));
}

TEST(ListSnapshot, MatchCarriesTheEntrysAttributes) {
  ListEntryRecord entry = Entry("evil.test", EntryKind::kDomain);
  entry.source = "feed:openphish";
  entry.reason = "listed by feed openphish";
  entry.expire_time = kNow + absl::Hours(1);
  ListSnapshot lists = ListSnapshot::Build({entry});
  absl::StatusOr<url::UrlAnalysis> url =
      url::AnalyzeUrl("http://login.evil.test/");
  ASSERT_TRUE(url.ok());
  std::vector<ListMatch> matches = lists.Match(*url, "", kNow);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].list, ListType::kBlock);
  EXPECT_EQ(matches[0].kind, EntryKind::kDomain);
  EXPECT_EQ(matches[0].value, "evil.test");
  EXPECT_EQ(matches[0].source, "feed:openphish");
  EXPECT_EQ(matches[0].reason, "listed by feed openphish");
  EXPECT_EQ(matches[0].expire_time, kNow + absl::Hours(1));
  EXPECT_EQ(matches[0].technique, "subdomain");
  EXPECT_EQ(matches[0].threat, store::ThreatType::kPhishing);
}

// The threat type is part of the shared attributes: two entries of one
// source that differ only in it must not share them.
TEST(ListSnapshot, MatchCarriesEachEntrysThreatType) {
  ListEntryRecord malware = Entry("dropper.test", EntryKind::kHost);
  malware.source = "feed:urlhaus";
  malware.threat = store::ThreatType::kMalware;
  ListEntryRecord unwanted = Entry("toolbar.test", EntryKind::kHost);
  unwanted.source = "feed:urlhaus";
  unwanted.threat = store::ThreatType::kUnwanted;
  ListEntryRecord phishing = Entry("login.test", EntryKind::kHost);
  phishing.source = "feed:urlhaus";
  ListSnapshot lists = ListSnapshot::Build({malware, unwanted, phishing});
  auto threat_of = [&](const char* url) {
    absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(url);
    EXPECT_TRUE(analysis.ok()) << url;
    std::vector<ListMatch> matches = lists.Match(*analysis, "", kNow);
    EXPECT_EQ(matches.size(), 1u) << url;
    return matches.empty() ? static_cast<store::ThreatType>(0)
                           : matches[0].threat;
  };
  EXPECT_EQ(threat_of("http://dropper.test/a.exe"),
            store::ThreatType::kMalware);
  EXPECT_EQ(threat_of("http://toolbar.test/"), store::ThreatType::kUnwanted);
  EXPECT_EQ(threat_of("http://login.test/"), store::ThreatType::kPhishing);
}

TEST(ListSnapshot, SameValueMatchesNewestAddedFirst) {
  ListSnapshotBuilder builder;
  for (const char* source : {"admin", "feed:a", "feed:b"}) {
    ListEntryRecord entry = Entry("dup.test");
    entry.source = source;
    ASSERT_TRUE(builder.Add(entry).ok());
  }
  ListSnapshot lists = std::move(builder).Build();
  absl::StatusOr<url::UrlAnalysis> url = url::AnalyzeUrl("http://dup.test/");
  ASSERT_TRUE(url.ok());
  std::vector<std::string> sources;
  for (const ListMatch& match : lists.Match(*url, "", kNow)) {
    sources.emplace_back(match.source);
  }
  EXPECT_THAT(sources, ::testing::ElementsAre("feed:b", "feed:a", "admin"));
}

TEST(ListSnapshot, HostsSharingAParentDomainStayDistinct) {
  // Stored as first label + shared parent: the split must not let "ab.c"
  // stand for "a.bc" or a parent stand for its child.
  ListSnapshot lists = ListSnapshot::Build(
      {Entry("ab.test", EntryKind::kHost), Entry("a.btest", EntryKind::kHost),
       Entry("x.shared.test", EntryKind::kHost),
       Entry("y.shared.test", EntryKind::kHost)});
  EXPECT_THAT(Hits(lists, "http://ab.test/"),
              ::testing::ElementsAre("ab.test"));
  EXPECT_THAT(Hits(lists, "http://a.btest/"),
              ::testing::ElementsAre("a.btest"));
  EXPECT_THAT(Hits(lists, "http://y.shared.test/"),
              ::testing::ElementsAre("y.shared.test"));
  EXPECT_THAT(Hits(lists, "http://shared.test/"), ::testing::IsEmpty());
  EXPECT_THAT(Hits(lists, "http://z.shared.test/"), ::testing::IsEmpty());
}

TEST(ListSnapshot, ManyEntriesAreAllFoundAndNothingElse) {
  ListSnapshotBuilder builder;
  for (int i = 0; i < 20000; ++i) {
    ListEntryRecord entry =
        Entry(absl::StrCat("h", i, ".example", i % 7, ".test"));
    entry.list = i % 3 == 0 ? ListType::kAllow : ListType::kBlock;
    ASSERT_TRUE(builder.Add(entry).ok());
  }
  ListSnapshot lists = std::move(builder).Build();
  EXPECT_EQ(lists.counts().allow, 6667);
  EXPECT_EQ(lists.counts().block, 13333);
  for (int i = 0; i < 20000; i += 97) {
    const std::string host = absl::StrCat("h", i, ".example", i % 7, ".test");
    EXPECT_THAT(Hits(lists, absl::StrCat("http://www.", host, "/").c_str()),
                ::testing::ElementsAre(host));
    EXPECT_THAT(Hits(lists, absl::StrCat("http://x", host, "/").c_str()),
                ::testing::IsEmpty());
  }
}

TEST(ListSnapshot, IpRangeMatchCarriesItsTextValue) {
  ListEntryRecord first = Entry("10.0.0.0/8");
  ListEntryRecord second = Entry("10.0.0.0/8");
  second.source = "feed:x";
  ListSnapshot lists = ListSnapshot::Build({first, second});
  absl::StatusOr<url::UrlAnalysis> url = url::AnalyzeUrl("http://10.1.2.3/");
  ASSERT_TRUE(url.ok());
  std::vector<ListMatch> matches = lists.Match(*url, "", kNow);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].value, "10.0.0.0/8");
  EXPECT_EQ(matches[0].source, "feed:x");
  EXPECT_EQ(matches[0].technique, "ip-range");
  EXPECT_EQ(matches[1].source, "admin");
}

// ---- Building from a store ------------------------------------------------

// Entries of every kind, list and tenant, some expired at kNow, some values
// listed by several sources, hosts sharing parents; and for each a URL
// that should match it.
struct Corpus {
  std::vector<ListEntryRecord> entries;
  std::vector<std::string> urls;
};

Corpus MixedCorpus(int hosts) {
  Corpus corpus;
  for (int i = 0; i < hosts; ++i) {
    const std::string host = absl::StrCat("h", i, ".p", i % 13, ".test");
    ListEntryRecord entry =
        Entry(host, i % 4 == 0 ? EntryKind::kHost : EntryKind::kDomain,
              i % 9 == 0 ? ListType::kAllow : ListType::kBlock,
              i % 5 == 0 ? "acme" : "");
    entry.source = absl::StrCat("feed:", i % 3);
    entry.reason = i % 7 == 0 ? "" : absl::StrCat("reason ", i % 2);
    if (i % 11 == 0) entry.expire_time = kNow - absl::Seconds(1);
    if (i % 17 == 0) entry.expire_time = kNow + absl::Hours(i);
    if (i % 3 == 1) entry.threat = store::ThreatType::kMalware;
    if (i % 8 == 3) entry.threat = store::ThreatType::kUnwanted;
    corpus.entries.push_back(entry);
    if (i % 6 == 0) {  // the same value from a second source
      entry.source = "admin";
      corpus.entries.push_back(entry);
    }
    corpus.urls.push_back(absl::StrCat("http://", host, "/"));
    corpus.urls.push_back(absl::StrCat("https://www.", host, "/a"));
    corpus.urls.push_back(absl::StrCat("https://x", host, "/"));  // a miss
  }
  for (int i = 0; i < hosts / 10; ++i) {
    const std::string prefix = absl::StrCat("u", i, ".test/login/");
    corpus.entries.push_back(Entry(prefix, EntryKind::kUrlPrefix));
    corpus.entries.push_back(
        Entry(absl::StrCat(prefix, "a.php?id=", i), EntryKind::kExactUrl));
    corpus.entries.push_back(Entry(
        absl::StrCat("10.", i % 256, ".", i / 256, ".0/24"),
        EntryKind::kIpRange, i % 2 == 0 ? ListType::kBlock : ListType::kAllow));
    corpus.urls.push_back(absl::StrCat("http://", prefix, "a.php?id=", i));
    corpus.urls.push_back(absl::StrCat("http://", prefix, "b/"));
    corpus.urls.push_back(
        absl::StrCat("http://10.", i % 256, ".", i / 256, ".9/"));
  }
  return corpus;
}

// Everything Match() reports for each URL, as text.
std::vector<std::string> AllMatches(const ListSnapshot& lists,
                                    const std::vector<std::string>& urls) {
  std::vector<std::string> lines;
  for (const std::string& url : urls) {
    absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(url);
    EXPECT_TRUE(analysis.ok()) << url;
    if (!analysis.ok()) continue;
    for (absl::string_view tenant : {"", "acme"}) {
      for (const ListMatch& m : lists.Match(*analysis, tenant, kNow)) {
        lines.push_back(absl::StrCat(
            url, " [", tenant, "] ", static_cast<int>(m.list), " ",
            static_cast<int>(m.kind), " ", static_cast<int>(m.threat), " ",
            m.value, " ", m.source, " ", m.reason, " ",
            absl::FormatTime(m.expire_time), " ", m.technique, " @", m.entry));
      }
    }
  }
  return lines;
}

std::unique_ptr<store::Store> StoreWith(const std::string& path,
                                        const std::vector<ListEntryRecord>& e) {
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(path);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  absl::StatusOr<int64_t> written = (*store)->ImportEntries(e, std::nullopt);
  EXPECT_TRUE(written.ok()) << written.status();
  return *std::move(store);
}

// The rebuild path (a scan of views on a second thread, a pre-sized
// builder, bucketed tables) must index exactly what adding the records one
// by one indexes.
TEST(BuildListSnapshot, FromSqliteMatchesExactlyWhatTheRecordsBuild) {
  const Corpus corpus = MixedCorpus(6000);
  testing::TempDir dir;
  std::unique_ptr<store::Store> store =
      StoreWith(dir.path() + "/lists.db", corpus.entries);
  ASSERT_NE(store, nullptr);

  absl::StatusOr<ListSnapshot> rebuilt = BuildListSnapshot(*store, kNow);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  // The scan skips entries expired at kNow; so does the reference, so that
  // even the entries' arena offsets agree.
  std::vector<ListEntryRecord> live;
  for (const ListEntryRecord& e : corpus.entries) {
    if (e.expire_time > kNow) live.push_back(e);
  }
  const ListSnapshot reference = ListSnapshot::Build(live);

  const std::vector<std::string> expected = AllMatches(reference, corpus.urls);
  EXPECT_GT(expected.size(), 9000u);  // the corpus does hit
  EXPECT_EQ(AllMatches(*rebuilt, corpus.urls), expected);
  EXPECT_EQ(rebuilt->counts().block, reference.counts().block);
  EXPECT_EQ(rebuilt->counts().allow, reference.counts().allow);
  EXPECT_EQ(rebuilt->counts().block + rebuilt->counts().allow,
            static_cast<int64_t>(live.size()));
}

TEST(BuildListSnapshot, AnEmptyStoreMatchesNothing) {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store = StoreWith(dir.path() + "/lists.db", {});
  ASSERT_NE(store, nullptr);
  absl::StatusOr<ListSnapshot> rebuilt = BuildListSnapshot(*store, kNow);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->counts().block + rebuilt->counts().allow, 0);
  EXPECT_THAT(Hits(*rebuilt, "http://evil.test/"), ::testing::IsEmpty());
}

// A row this version cannot read fails the rebuild with the store's
// DataLoss error naming the file; the partly built snapshot is dropped.
TEST(BuildListSnapshot, AnUnreadableRowFailsTheRebuild) {
  const Corpus corpus = MixedCorpus(5000);
  testing::TempDir dir;
  const std::string path = dir.path() + "/lists.db";
  std::unique_ptr<store::Store> store = StoreWith(path, corpus.entries);
  ASSERT_NE(store, nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE list_entries SET list = 1, kind = 9,"
                         " expire_time = NULL WHERE id = 4000",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  absl::StatusOr<ListSnapshot> rebuilt = BuildListSnapshot(*store, kNow);
  EXPECT_EQ(rebuilt.status(),
            absl::DataLossError(absl::StrCat(
                path,
                ": list entry 4000 has list 1 and kind 9, which this version "
                "does not know")));
}

// Reserve() is only a hint: too small or too large, the same snapshot.
TEST(ListSnapshotBuilder, ReserveDoesNotChangeWhatIsBuilt) {
  const Corpus corpus = MixedCorpus(3000);
  const std::vector<std::string> expected =
      AllMatches(ListSnapshot::Build(corpus.entries), corpus.urls);
  for (int64_t reserve : {int64_t{1}, int64_t{100000}}) {
    ListSnapshotBuilder builder;
    builder.Reserve(reserve);
    for (const ListEntryRecord& entry : corpus.entries) {
      ASSERT_TRUE(builder.Add(entry).ok());
    }
    EXPECT_EQ(AllMatches(std::move(builder).Build(), corpus.urls), expected)
        << "reserve " << reserve;
  }
}

}  // namespace
}  // namespace lureguard::lists
