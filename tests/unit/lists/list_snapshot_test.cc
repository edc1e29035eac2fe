#include "server/lists/list_snapshot.h"

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
    values.push_back(match.entry->value);
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
  EXPECT_EQ(matches[0].entry->list, ListType::kAllow);
  EXPECT_EQ(matches[0].technique, "exact-host");
  EXPECT_EQ(matches[1].entry->list, ListType::kBlock);
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
  EXPECT_NE(matches[0].entry->source, matches[1].entry->source);
  EXPECT_EQ(lists.counts().block, 2);
  EXPECT_EQ(lists.counts().allow, 0);
}

TEST(ListSnapshot, BackslashTrickIsCheckedOnTheHostABrowserVisits) {
  // Browsers treat '\' as '/', so this URL goes to evil.com.
  ListSnapshot lists = ListSnapshot::Build({Entry("evil.com")});
  EXPECT_THAT(Hits(lists, "http://evil.com\\@good.com/"),
              ::testing::Contains("evil.com"));
}

}  // namespace
}  // namespace lureguard::lists
