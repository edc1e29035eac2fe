#include "server/lists/list_snapshot.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/entry_value.h"

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

}  // namespace
}  // namespace lureguard::lists
