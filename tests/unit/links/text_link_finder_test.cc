// Plain-text links: where a URL starts and ends in running text, and that
// RewriteText changes only those bytes.

#include "server/links/internal/text_link_finder.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/links/message_rewriter.h"
#include "tests/unit/links/wrapping_handler.h"

namespace lureguard::links {
namespace {

using ::testing::ElementsAre;
using testing::WrappingHandler;

// The written text of every link found in `text`.
std::vector<std::string> Written(std::string_view text) {
  std::vector<std::string> out;
  for (const internal::TextLink& link : internal::FindTextLinks(text)) {
    out.push_back(std::string(text.substr(link.offset, link.length)));
  }
  return out;
}

TEST(FindTextLinks, TrailingSentencePunctuationIsNotPartOfTheUrl) {
  EXPECT_THAT(Written("See https://a.example/x. Then http://b.example/y, "
                      "or http://c.example/z?q=1! Really http://d.example/?"),
              ElementsAre("https://a.example/x", "http://b.example/y",
                          "http://c.example/z?q=1", "http://d.example/"));
  EXPECT_THAT(Written("go to http://e.example/a:b; now"),
              ElementsAre("http://e.example/a:b"));
}

TEST(FindTextLinks, UnbalancedClosingBracketsAndQuotesAreDropped) {
  EXPECT_THAT(Written("(see http://wiki.example/A_(b)) and "
                      "[http://x.example/] and 'http://q.example/p' "
                      "{http://brace.example/}"),
              ElementsAre("http://wiki.example/A_(b)", "http://x.example/",
                          "http://q.example/p", "http://brace.example/"));
}

TEST(FindTextLinks, AngleBracketsAndQuotesDelimit) {
  EXPECT_THAT(Written("<https://angle.example/a b> \"http://dq.example/\" "
                      "<URL:http://rfc.example/x>"),
              ElementsAre("https://angle.example/a", "http://dq.example/",
                          "http://rfc.example/x"));
}

TEST(FindTextLinks, WwwHostsAreHttpLinks) {
  const std::string text = "Visit www.shop.example/deals or WWW.Other.example.";
  std::vector<internal::TextLink> links = internal::FindTextLinks(text);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].url, "http://www.shop.example/deals");
  EXPECT_EQ(links[1].url, "http://WWW.Other.example");
}

TEST(FindTextLinks, OnlyAtWordBoundaries) {
  EXPECT_THAT(Written("xhttp://no.example/ me@www.no.example "
                      "a.www.no.example HTTPS://YES.example/"),
              ElementsAre("HTTPS://YES.example/"));
}

TEST(FindTextLinks, UnicodeBlanksEndTheUrl) {
  EXPECT_THAT(Written("http://nbsp.example/a\xc2\xa0next "
                      "http://ideo.example/\xe3\x80\x80x"),
              ElementsAre("http://nbsp.example/a", "http://ideo.example/"));
}

TEST(FindTextLinks, WhatTheParserRejectsIsNotALink) {
  EXPECT_THAT(Written("http:// https://. www. http://exa mple"),
              ElementsAre("http://exa"));
}

TEST(RewriteText, ReplacesOnlyTheUrlBytes) {
  const std::string text =
      "Hello,\r\n\r\nYour invoice: https://billing.example/inv?id=7.\r\n"
      "Questions? (www.help.example)\r\n-- \r\nmailto:me@example.com\r\n";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteText(text, handler, "1");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "Hello,\r\n\r\nYour invoice: https://click.test/c/1.\r\n"
            "Questions? (https://click.test/c/2)\r\n-- \r\n"
            "mailto:me@example.com\r\n");
  ASSERT_EQ(handler.seen.size(), 2u);
  EXPECT_EQ(handler.seen[0].url, "https://billing.example/inv?id=7");
  EXPECT_EQ(handler.seen[1].url, "http://www.help.example");
  EXPECT_EQ(handler.seen[1].location, LinkLocation::kText);
  EXPECT_EQ(handler.seen[1].display_text, "");
  EXPECT_EQ(handler.seen[1].part, "1");
}

TEST(RewriteText, SecondPassWithAnIdempotentHandlerChangesNothing) {
  const std::string text = "a http://a.example/ b www.b.example c";
  WrappingHandler first, second;
  absl::StatusOr<std::string> once = RewriteText(text, first);
  ASSERT_TRUE(once.ok());
  absl::StatusOr<std::string> twice = RewriteText(*once, second);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(second.seen.size(), 2u);
  EXPECT_EQ(*twice, *once);
}

TEST(RewriteText, ReplacementsWithLineBreaksAreRefused) {
  testing::FixedHandler handler("https://x.test/\r\n--boundary");
  RewriteStats stats;
  absl::StatusOr<std::string> out = RewriteText(
      "go http://a.example/ now", RewriteOptions{}, handler, "", &stats);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "go http://a.example/ now");
  EXPECT_EQ(stats.links_replaced, 0);
}

TEST(RewriteText, LimitsHoldAndCountsAreHonest) {
  WrappingHandler handler;
  RewriteStats stats;
  absl::StatusOr<std::string> out =
      RewriteText("http://1.example/ http://2.example/ http://3.example/",
                  RewriteOptions{.max_links = 1}, handler, "", &stats);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "https://click.test/c/1 http://2.example/ http://3.example/");
  EXPECT_EQ(stats.links_found, 3);
  EXPECT_EQ(stats.links_over_limit, 2);
  EXPECT_EQ(
      RewriteText("http://x.example/", RewriteOptions{.max_input_bytes = 4},
                  handler, "", nullptr)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lureguard::links
