// Safe Browsing host-suffix x path-prefix expressions.

#include <iostream>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/url/url.h"
#include "tests/unit/url/conformance_data.h"

namespace lureguard::url {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Expressions(std::string_view input) {
  absl::StatusOr<UrlAnalysis> analysis = AnalyzeUrl(input);
  if (!analysis.ok()) return {"<error>"};
  std::vector<std::string> expressions;
  LookupExpressions(*analysis, expressions);
  return expressions;
}

TEST(Expressions, ExactHostThenSuffixesOfTheLastFiveLabels) {
  EXPECT_THAT(Expressions("http://a.b.c.d.e.f.g/"),
              ElementsAre("a.b.c.d.e.f.g/", "c.d.e.f.g/", "d.e.f.g/", "e.f.g/",
                          "f.g/"));
}

TEST(Expressions, PathWithQueryThenPathThenFourPrefixes) {
  EXPECT_THAT(Expressions("http://a.com/1/2/3/4/5.html?x=1"),
              ElementsAre("a.com/1/2/3/4/5.html?x=1", "a.com/1/2/3/4/5.html",
                          "a.com/", "a.com/1/", "a.com/1/2/", "a.com/1/2/3/"));
}

TEST(Expressions, AtMostThirtyForLongHostsAndPaths) {
  EXPECT_EQ(Expressions("http://a.b.c.d.e.f.g.h/1/2/3/4/5/6/7?q").size(), 30u);
}

TEST(Expressions, IpHostsAreNotSuffixed) {
  EXPECT_THAT(Expressions("http://0x01020304/a"),
              UnorderedElementsAre("1.2.3.4/a", "1.2.3.4/"));
}

TEST(Expressions, WrittenOverWhatTheVectorHeld) {
  std::vector<std::string> expressions;
  LookupExpressions(*AnalyzeUrl("http://a.b.c.d.e.f.g.h/1/2/3/4/5/6/7?q"),
                    expressions);
  ASSERT_EQ(expressions.size(), 30u);
  LookupExpressions(*AnalyzeUrl("https://x.y/p?k=v"), expressions);
  EXPECT_THAT(expressions, ElementsAre("x.y/p?k=v", "x.y/p", "x.y/"));
}

TEST(CanonicalPathAndQuery, IsWhatFollowsTheHost) {
  EXPECT_EQ(CanonicalPathAndQuery("http://a.b/x/y?k=v/w"), "/x/y?k=v/w");
  EXPECT_EQ(CanonicalPathAndQuery("https://a.b/"), "/");
  EXPECT_EQ(CanonicalPathAndQuery("http://a.b"), "/");
}

TEST(Expressions, EmptyQueryAddsNothing) {
  EXPECT_THAT(Expressions("http://a.b/?"), ElementsAre("a.b/"));
}

TEST(ExpressionsConformance, SbExpressionsVectors) {
  const std::string path = testing::DataPath("url/sb_expressions_vectors.tsv");
  auto rows = testing::ReadVectorFile(path);
  if (!rows.has_value()) GTEST_SKIP() << "conformance data absent: " << path;
  int passed = 0;
  for (const testing::VectorRow& row : *rows) {
    std::set<std::string> expected;
    std::string token;
    for (char c : row.expected + " ") {
      if (c == ' ') {
        if (!token.empty()) expected.insert(token);
        token.clear();
      } else {
        token += c;
      }
    }
    const std::vector<std::string> list = Expressions(row.input);
    const std::set<std::string> got(list.begin(), list.end());
    EXPECT_EQ(got.size(), list.size()) << "duplicates, line " << row.line;
    EXPECT_EQ(got, expected) << "line " << row.line;
    passed += got == expected;
  }
  std::cout << "sb_expressions_vectors.tsv: " << passed << " of "
            << rows->size() << " pass\n";
  EXPECT_EQ(rows->size(), 20u);
}

}  // namespace
}  // namespace lureguard::url
