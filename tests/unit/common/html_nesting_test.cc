#include "server/common/html_nesting.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard {
namespace {

std::string Repeat(const std::string& piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(BoundHtmlNesting, APageOfOrdinaryDepthIsLeftAlone) {
  std::string page =
      "<!DOCTYPE html><html><head><title>a <div> b</title>"
      "<style>div>p{}</style><script>var s = '<div><div>';</script></head>"
      "<body><!-- <div><div> --><div><p>Hi<br><img src=x>"
      "<form action=\"https://evil.example/p\"><input type=password>"
      "</form></div></body></html>";
  const std::string before = page;
  EXPECT_EQ(BoundHtmlNesting(page, 4), 0u);  // html body div p
  EXPECT_EQ(page, before);
}

TEST(BoundHtmlNesting, StartTagsPastTheBoundAreBlankedInPlace) {
  std::string page = Repeat("<div>", 25000) + "<p>end";
  const size_t size = page.size();
  EXPECT_EQ(BoundHtmlNesting(page), 25000u - kMaxHtmlNesting + 1);
  EXPECT_EQ(page.size(), size);  // offsets stay valid
  EXPECT_EQ(page.substr(0, 5 * kMaxHtmlNesting),
            Repeat("<div>", kMaxHtmlNesting));
  EXPECT_EQ(page.substr(5 * kMaxHtmlNesting, 10), std::string(10, ' '));
  EXPECT_EQ(page.substr(page.size() - 6), "   end");
}

TEST(BoundHtmlNesting, WhatAPageDoesIsKeptAtAnyDepth) {
  std::string page =
      Repeat("<span class=\"x\">", 20) +
      "<form action=\"https://evil.example/p\">"
      "<input name=pwd type=password><a href=\"https://x.test/\">"
      "x</a><script>go()</script></form>";
  EXPECT_EQ(BoundHtmlNesting(page, 10), 10u);
  EXPECT_THAT(page, ::testing::EndsWith(
                        "<form action=\"https://evil.example/p\">"
                        "<input name=pwd type=password><a "
                        "href=\"https://x.test/\">x</a><script>go()</script>"
                        "</form>"));
}

// End tags close only what is open: stray ones cannot hide depth.
TEST(BoundHtmlNesting, StrayEndTagsDoNotCloseAnything) {
  std::string page = Repeat("<div></span>", 100);
  EXPECT_EQ(BoundHtmlNesting(page, 10), 90u);
  std::string closed = Repeat("<div></div>", 100);
  EXPECT_EQ(BoundHtmlNesting(closed, 10), 0u);
  // An end tag closes the elements opened inside its element too.
  std::string nested =
      Repeat("<section>" + Repeat("<b>", 5) + "</section>", 50);
  EXPECT_EQ(BoundHtmlNesting(nested, 10), 0u);
}

// A quote starts an attribute value only after '=': "<div =\"x>" is an
// attribute named `="x`, and the tags after it are tags.
TEST(BoundHtmlNesting, QuotesOutsideValuesHideNoTags) {
  std::string page = "<div =\"x>" + Repeat("<div>", 50) + "\" >";
  EXPECT_EQ(BoundHtmlNesting(page, 10), 41u);
  std::string quoted = "<div title=\"" + Repeat("<div>", 50) + "\">";
  EXPECT_EQ(BoundHtmlNesting(quoted, 10), 0u);
}

TEST(BoundHtmlNesting, RawTextCommentsAndPlaintextHoldNoTags) {
  for (const std::string& wrapper :
       {std::string("<script>"), std::string("<textarea>"), std::string("<!--"),
        std::string("<plaintext>")}) {
    std::string page = wrapper + Repeat("<div>", 50);
    EXPECT_EQ(BoundHtmlNesting(page, 10), 0u) << wrapper;
  }
  // "</script" inside a script's string ends it, as in a browser.
  std::string page = "<script>'</script>'" + Repeat("<div>", 20);
  EXPECT_EQ(BoundHtmlNesting(page, 10), 10u);
}

}  // namespace
}  // namespace lureguard
