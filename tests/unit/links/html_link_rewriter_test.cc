// RewriteHtml: which links of an HTML body reach the handler, with which
// URL and text, and that only their attribute values change.

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/links/message_rewriter.h"
#include "tests/unit/links/wrapping_handler.h"

namespace lureguard::links {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Substitute;
using testing::WrappingHandler;

std::vector<std::string> Urls(const WrappingHandler& handler) {
  std::vector<std::string> urls;
  for (const FoundLink& link : handler.seen) urls.push_back(link.url);
  return urls;
}

TEST(RewriteHtml, RewritesOnlyTheHrefValueAndReportsAnchorText) {
  const std::string html =
      "<html><body><p>Dear customer,</p>\n"
      "<p><a class=\"btn\" href=\"https://pay.example.com/login?a=1\" "
      "title=\"x\">Verify <b>your</b>\n   account</a> today.</p></body>"
      "</html>\n";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler, "1.2");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, Substitute(html, {{"\"https://pay.example.com/login?a=1\"",
                                     "\"https://click.test/c/1\""}}));
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_EQ(handler.seen[0].url, "https://pay.example.com/login?a=1");
  EXPECT_EQ(handler.seen[0].display_text, "Verify your account");
  EXPECT_EQ(handler.seen[0].location, LinkLocation::kHtmlAnchor);
  EXPECT_EQ(handler.seen[0].part, "1.2");
}

// A body nested deeper than gumbo can parse in time (server/common/
// html_nesting.h) is parsed bounded, and the output is the input with only
// the link changed: the deep tags stay as they were.
TEST(RewriteHtml, DeeplyNestedBodyKeepsItsTagsAndLosesNoLink) {
  std::string html;
  for (int i = 0; i < 25000; ++i) html += "<div>";
  html += "<a href=\"https://pay.example.com/login\">Pay</a>";
  WrappingHandler handler;
  const absl::Time start = absl::Now();
  absl::StatusOr<std::string> out = RewriteHtml(html, handler, "1");
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));  // ~20 s unbounded
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, Substitute(html, {{"\"https://pay.example.com/login\"",
                                     "\"https://click.test/c/1\""}}));
  EXPECT_THAT(Urls(handler), ElementsAre("https://pay.example.com/login"));
}

// Outlook renders what its conditional comments hold, other readers do
// not: links there (and its VML buttons) are rewritten like any other,
// where they lie. A plain comment holds no link.
TEST(RewriteHtml, LinksOnlyOutlookShowsAreRewrittenToo) {
  const std::string html =
      "<html><body><!--[if mso]><v:roundrect href=\"https://vml.example/b\" "
      "arcsize=\"10%\"><center>Pay</center></v:roundrect>"
      "<a href=\"https://mso.example/a\">a</a><![endif]-->"
      "<!--[if !mso]><!--><a "
      "href=\"https://web.example/c\">c</a><!--<![endif]-->"
      "<!-- <a href=\"https://comment.example/d\">d</a> --></body></html>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler, "1");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(Urls(handler),
              ElementsAre("https://vml.example/b", "https://mso.example/a",
                          "https://web.example/c"));
  EXPECT_EQ(
      *out,
      Substitute(
          html, {{"\"https://vml.example/b\"", "\"https://click.test/c/1\""},
                 {"\"https://mso.example/a\"", "\"https://click.test/c/2\""},
                 {"\"https://web.example/c\"", "\"https://click.test/c/3\""}}));
}

TEST(RewriteHtml, UppercaseUnquotedSingleQuotedAndEntityEncodedHrefs) {
  const std::string html =
      "<DIV><A HREF='http://one.example/a'>One</A>\n"
      "<a href=http://two.example/b?x=1&amp;y=2>Two</a>\n"
      "<a HREF=\"https://three.example/?q=a&amp;r=&#98;&quot;\">Three</a>"
      "</DIV>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(Urls(handler), ElementsAre("http://one.example/a",
                                         "http://two.example/b?x=1&y=2",
                                         "https://three.example/?q=a&r=b\""));
  EXPECT_EQ(*out,
            Substitute(
                html, {{"'http://one.example/a'", "\"https://click.test/c/1\""},
                       {"http://two.example/b?x=1&amp;y=2",
                        "\"https://click.test/c/2\""},
                       {"\"https://three.example/?q=a&amp;r=&#98;&quot;\"",
                        "\"https://click.test/c/3\""}}));
}

TEST(RewriteHtml, DisplayTextIsWhatTheReaderSees) {
  WrappingHandler handler;
  ASSERT_TRUE(RewriteHtml("<a href=\"https://evil.top/\">\n  www.<span "
                          "style=\"x\">paypal</span>.com &amp; co\n</a>",
                          handler)
                  .ok());
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_EQ(handler.seen[0].display_text, "www.paypal.com & co");
}

TEST(RewriteHtml, ReplacementIsEscapedForTheAttribute) {
  testing::FixedHandler handler("https://click.test/?a=1&b=\"<x>\"");
  absl::StatusOr<std::string> out =
      RewriteHtml("<a href=http://x.example/>x</a>", handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "<a href=\"https://click.test/?a=1&amp;b=&quot;&lt;x&gt;&quot;\">"
            "x</a>");
}

TEST(RewriteHtml, BaseHrefResolvesRelativeLinks) {
  const std::string html =
      "<html><head><base href=\"https://news.example.org/2026/\"></head>"
      "<body><a href=\"story.html\">Story</a> <a href=\"/about\">About</a>"
      "<a href=\"//cdn.example.net/x\">CDN</a>"
      "<a href=\"#top\">Top</a></body></html>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Urls(handler),
              ElementsAre("https://news.example.org/2026/story.html",
                          "https://news.example.org/about",
                          "https://cdn.example.net/x"));
  EXPECT_EQ(*out,
            Substitute(html, {{"\"story.html\"", "\"https://click.test/c/1\""},
                              {"\"/about\"", "\"https://click.test/c/2\""},
                              {"\"//cdn.example.net/x\"",
                               "\"https://click.test/c/3\""}}));
}

TEST(RewriteHtml, RelativeLinksWithoutBaseAreLeftAlone) {
  const std::string html = "<a href=\"page.html\">p</a><a href=\"/x\">x</a>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(handler.seen.empty());
  EXPECT_EQ(*out, html);
}

TEST(RewriteHtml, NonWebSchemesAndFragmentsNeverReachTheHandler) {
  const std::string html =
      "<a href=\"mailto:help@example.com\">m</a>"
      "<a href=\"tel:+15551234\">t</a><a href=\"cid:logo@x\">c</a>"
      "<a href=\"data:text/html,<b>x</b>\">d</a>"
      "<a href=\"JavaScript:alert(1)\">j</a><a href=\"#section\">f</a>"
      "<a href=\"ftp://files.example/\">f</a><a href=\"\">e</a><a href>n</a>"
      "<a name=\"anchor\">a</a>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(handler.seen.empty());
  EXPECT_EQ(*out, html);
}

TEST(RewriteHtml, CommentsScriptsAndTextAreNotLinks) {
  const std::string html =
      "<!-- <a href=\"http://hidden.example/\">old</a> -->"
      "<script>var a = '<a href=\"http://script.example/\">';</script>"
      "<textarea><a href=\"http://textarea.example/\"></textarea>"
      "<p>href=\"http://text.example/\"</p>"
      "<a href=\"http://real.example/\">real</a>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Urls(handler), ElementsAre("http://real.example/"));
  EXPECT_EQ(*out, Substitute(html, {{"\"http://real.example/\"",
                                     "\"https://click.test/c/1\""}}));
}

TEST(RewriteHtml, MalformedMarkupKeepsSourceOrderAndEachLinkOnce) {
  // Misnested <a> around a block is cloned by the parser (the adoption
  // agency algorithm); the <a> inside a table is foster-parented before
  // it; the last tag is never closed.
  const std::string html =
      "<table><tr><td>cell</td><a href=\"http://foster.example/\">F</a>"
      "</tr></table>"
      "<a href=\"http://clone.example/\"><p>para</a> after</p>"
      "<b><i>unclosed <a href=\"http://last.example/\" >L";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Urls(handler),
              ElementsAre("http://foster.example/", "http://clone.example/",
                          "http://last.example/"));
  EXPECT_EQ(
      *out,
      Substitute(html,
                 {{"\"http://foster.example/\"", "\"https://click.test/c/1\""},
                  {"\"http://clone.example/\"", "\"https://click.test/c/2\""},
                  {"\"http://last.example/\"", "\"https://click.test/c/3\""}}));
}

TEST(RewriteHtml, AreaAndFormActionAreLinksToo) {
  const std::string html =
      "<map name=m><area shape=rect coords=\"0,0,9,9\" "
      "href=\"https://map.example/\"></map>"
      "<form method=post action=\"https://collect.example/login\">"
      "<input name=pw type=password></form>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(handler.seen.size(), 2u);
  EXPECT_EQ(handler.seen[0].location, LinkLocation::kHtmlArea);
  EXPECT_EQ(handler.seen[1].location, LinkLocation::kHtmlForm);
  EXPECT_EQ(handler.seen[1].url, "https://collect.example/login");
  EXPECT_EQ(handler.seen[1].display_text, "");
  EXPECT_EQ(LinkLocationName(handler.seen[1].location), "html_form");
}

TEST(RewriteHtml, SubmitButtonFormactionIsAFormLink) {
  const std::string html =
      "<form action=\"https://ok.example/\"><button type=submit "
      "formaction=\"https://steal.example/\">Go</button>"
      "<input type=image src=x.png formaction=http://img.example/></form>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Urls(handler),
              ElementsAre("https://ok.example/", "https://steal.example/",
                          "http://img.example/"));
  EXPECT_EQ(handler.seen[1].location, LinkLocation::kHtmlForm);
}

// Mail readers run no scripts, so <noscript> content is markup they show.
TEST(RewriteHtml, LinksInsideNoscriptAreRewritten) {
  const std::string html =
      "<html><head><noscript><style>p{}</style></noscript></head><body>"
      "<noscript><a href=\"http://ns.example/\">x</a></noscript></body>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Urls(handler), ElementsAre("http://ns.example/"));
}

TEST(RewriteHtml, UnusualAbsoluteFormsAreReportedAsTheBrowserReadsThem) {
  WrappingHandler handler;
  ASSERT_TRUE(RewriteHtml("<a href=\"http:/one.example/a\">1</a>"
                          "<a href=\"HTTPS:\\\\two.example\">2</a>"
                          "<a href=\"https://three.example/\">3</a>",
                          handler)
                  .ok());
  EXPECT_THAT(Urls(handler),
              ElementsAre("http://one.example/a", "https://two.example/",
                          "https://three.example/"));
}

// Inline SVG links are clickable in a browser-based reader, xlink or not.
TEST(RewriteHtml, SvgAnchorsAreLinks) {
  const std::string html =
      "<svg><a xlink:href=\"http://svg1.example/\"><text>x</text></a>"
      "<a href='http://svg2.example/'>y</a></svg>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Urls(handler),
              ElementsAre("http://svg1.example/", "http://svg2.example/"));
  EXPECT_EQ(
      *out,
      Substitute(html,
                 {{"\"http://svg1.example/\"", "\"https://click.test/c/1\""},
                  {"'http://svg2.example/'", "\"https://click.test/c/2\""}}));
}

// Browsers follow the first href; a reader with another parser might
// follow a later one, so each duplicate is offered as a link of its own.
TEST(RewriteHtml, DuplicateHrefsAreAllRewritten) {
  const std::string html =
      "<a href=\"https://safe.example/\" title=\"t\" HREF='http://evil.example/"
      "?a=1&amp;b=2' href=http://third.example/>Pay</a>";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Urls(handler), ElementsAre("https://safe.example/",
                                         "http://evil.example/?a=1&b=2",
                                         "http://third.example/"));
  EXPECT_EQ(handler.seen[1].display_text, "Pay");
  EXPECT_EQ(*out,
            "<a href=\"https://click.test/c/1\" title=\"t\" "
            "HREF=\"https://click.test/c/2\" "
            "href=\"https://click.test/c/3\">Pay</a>");
}

TEST(RewriteHtml, DuplicateAfterAnEmptyHrefIsRewritten) {
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteHtml("<A HREF href=\"http://evil.example/\">x</A>", handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "<A HREF href=\"https://click.test/c/1\">x</A>");
}

TEST(RewriteHtml, BlanksAroundTheHrefAreTrimmed) {
  WrappingHandler handler;
  ASSERT_TRUE(
      RewriteHtml("<a href=\"  https://sp.example/a\n b \">x</a>", handler)
          .ok());
  EXPECT_THAT(Urls(handler), ElementsAre("https://sp.example/a b"));
}

TEST(RewriteHtml, InvalidUtf8BytesAreKept) {
  const std::string html =
      "<p>caf\xe9 \xff\xfe</p><a href=\"http://x.example/\">\xe9t\xe9</a>\x80";
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteHtml(html, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, Substitute(html, {{"\"http://x.example/\"",
                                     "\"https://click.test/c/1\""}}));
}

TEST(RewriteHtml, SecondPassWithAnIdempotentHandlerChangesNothing) {
  const std::string html =
      "<a href=\"https://a.example/\">a</a><a href=b.html>b</a>"
      "<base href=\"http://base.example/\"><form action=\"/post\"></form>";
  WrappingHandler first;
  absl::StatusOr<std::string> once = RewriteHtml(html, first);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(first.seen.size(), 3u);
  WrappingHandler second;
  absl::StatusOr<std::string> twice = RewriteHtml(*once, second);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(second.seen.size(), 3u);
  EXPECT_EQ(*twice, *once);
}

TEST(RewriteHtml, LinksBeyondMaxLinksStayAndAreCounted) {
  const std::string html =
      "<a href=http://1.example/>1</a><a href=http://2.example/>2</a>"
      "<a href=http://3.example/>3</a>";
  WrappingHandler handler;
  RewriteStats stats;
  absl::StatusOr<std::string> out =
      RewriteHtml(html, RewriteOptions{.max_links = 2}, handler, "", &stats);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(handler.seen.size(), 2u);
  EXPECT_EQ(stats.links_found, 3);
  EXPECT_EQ(stats.links_replaced, 2);
  EXPECT_EQ(stats.links_over_limit, 1);
  EXPECT_THAT(*out, HasSubstr("<a href=http://3.example/>3</a>"));
}

TEST(RewriteHtml, InputOverTheLimitIsRefusedNamingIt) {
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteHtml("<a href=http://x.example/>x</a>",
                  RewriteOptions{.max_input_bytes = 10}, handler, "", nullptr);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().message(),
            "message: 31 bytes exceeds max_input_bytes (10)");
  EXPECT_TRUE(handler.seen.empty());
}

}  // namespace
}  // namespace lureguard::links
