// The lenient legacy host extraction used for the parser differential.

#include "server/url/internal/legacy_parser.h"

#include "gtest/gtest.h"

namespace lureguard::url::internal {
namespace {

TEST(LegacyParser, BackslashIsDataSoTheLastAtWins) {
  EXPECT_EQ(LegacyHost("http://evil.com\\@good.com/"), "good.com");
}

TEST(LegacyParser, AuthorityEndsAtSlashQueryOrFragment) {
  EXPECT_EQ(LegacyHost("http://a.com/@b.com"), "a.com");
  EXPECT_EQ(LegacyHost("http://a.com?@b.com"), "a.com");
  EXPECT_EQ(LegacyHost("http://a.com#@b.com"), "a.com");
}

TEST(LegacyParser, PortAndUserinfoAreRemoved) {
  EXPECT_EQ(LegacyHost("https://u:p@Host.COM:8443/x"), "Host.COM");
  EXPECT_EQ(LegacyHost("http://[::1]:80/"), "[::1]");
}

TEST(LegacyParser, NoAuthorityWithoutTwoSlashes) {
  EXPECT_EQ(LegacyHost("http:/evil.com/"), "");
  EXPECT_EQ(LegacyHost("http:///evil.com/"), "");
  EXPECT_EQ(LegacyHost("javascript:alert(1)"), "");
}

TEST(LegacyParser, SchemeLessInputStartsWithTheHost) {
  EXPECT_EQ(LegacyHost("www.a.com/x"), "www.a.com");
  EXPECT_EQ(LegacyHost("a.com:8080/x"), "a.com");
  EXPECT_EQ(LegacyHost("//a.com/x"), "a.com");
  EXPECT_EQ(LegacyHost("/x"), "");
}

}  // namespace
}  // namespace lureguard::url::internal
