#include "server/url/internal/url_split.h"

#include "gtest/gtest.h"

namespace lureguard::url::internal {
namespace {

TEST(UrlSplit, PreprocessingStripsControlsAndRemovesTabsAndNewlines) {
  std::string buffer;
  const std::string input("\0 http://a\tb\n/\r \x1f", 18);
  EXPECT_EQ(PreprocessUrl(input, &buffer), "http://ab/");
  EXPECT_EQ(PreprocessUrl(std::string_view("\0 x \0", 5), &buffer), "x");
}

TEST(UrlSplit, AuthorityEndsAtBackslashForSpecialSchemes) {
  UrlSplit split;
  ASSERT_TRUE(SplitUrl("http://u:p@h.com:81\\x?q#f", &split).ok());
  EXPECT_EQ(split.userinfo, "u:p");
  EXPECT_EQ(split.host, "h.com");
  EXPECT_EQ(split.port, "81");
  EXPECT_EQ(split.path, "\\x");
  EXPECT_EQ(split.query, "q");
  EXPECT_EQ(split.fragment, "f");
}

TEST(UrlSplit, ColonsInsideBracketsAreNotThePort) {
  UrlSplit split;
  ASSERT_TRUE(SplitUrl("http://[::1]:8080/", &split).ok());
  EXPECT_EQ(split.host, "[::1]");
  EXPECT_EQ(split.port, "8080");
}

TEST(UrlSplit, SlashesAfterTheSchemeAreCounted) {
  UrlSplit split;
  ASSERT_TRUE(SplitUrl("https:\\\\/a.com", &split).ok());
  EXPECT_EQ(split.slashes, 3);
  EXPECT_EQ(split.host, "a.com");
}

TEST(UrlSplit, HostAndPortIsNotAScheme) {
  UrlSplit split;
  ASSERT_TRUE(SplitUrl("evil.com:8080/x", &split).ok());
  EXPECT_TRUE(split.scheme_less);
  EXPECT_EQ(split.host, "evil.com");
  ASSERT_TRUE(SplitUrl("tel:123", &split).ok());
  EXPECT_EQ(split.scheme, "tel");
  EXPECT_EQ(split.scheme_kind, SchemeKind::kOther);
}

TEST(UrlSplit, PathWithoutHostIsRejected) {
  UrlSplit split;
  EXPECT_FALSE(SplitUrl("/a", &split).ok());
  EXPECT_FALSE(SplitUrl("?a", &split).ok());
  EXPECT_FALSE(SplitUrl("#a", &split).ok());
  EXPECT_FALSE(SplitUrl("", &split).ok());
}

}  // namespace
}  // namespace lureguard::url::internal
