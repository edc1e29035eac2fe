#include "server/links/click_page.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::links {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ClickPage, EveryDynamicStringIsEscaped) {
  ClickPageContent page;
  page.kind = ClickPageKind::kWarning;
  page.url = "http://x.test/\"><script>alert(1)</script>";
  page.host = "x.test";
  page.brand = "<b>Evil & Co</b>";
  page.reasons = {"It's <i>odd</i>"};
  page.continue_allowed = true;
  page.continue_action = "/c/abc\"def";
  const std::string html = RenderClickPage(page);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<b>Evil")));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;Evil &amp; Co&lt;/b&gt;"));
  EXPECT_THAT(html, HasSubstr("It&#39;s &lt;i&gt;odd&lt;/i&gt;"));
  EXPECT_THAT(html, HasSubstr("action=\"/c/abc&quot;def\""));
}

TEST(ClickPage, TheContinueButtonIsAPostOnlyWhereAllowed) {
  ClickPageContent page;
  page.kind = ClickPageKind::kBlock;
  page.host = "paypa1.com";
  page.brand = "PayPal";
  page.continue_action = "/c/tok";
  std::string html = RenderClickPage(page);
  EXPECT_THAT(html, HasSubstr("This site pretends to be PayPal"));
  EXPECT_THAT(html, Not(HasSubstr("<form")));
  page.continue_allowed = true;
  html = RenderClickPage(page);
  EXPECT_THAT(html, HasSubstr("method=\"post\" action=\"/c/tok\""));
  // Self-contained and readable on a phone.
  EXPECT_THAT(html, HasSubstr("name=\"viewport\""));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
}

TEST(ClickPage, TheConfirmPageSaysContinueToTheHostWithOneButton) {
  ClickPageContent page;
  page.kind = ClickPageKind::kConfirm;
  page.url = "https://github.com/password_reset/<tok>";
  page.host = "github.com";
  page.continue_allowed = true;
  page.continue_action = "/c/tok";
  const std::string html = RenderClickPage(page);
  EXPECT_THAT(html, HasSubstr("<title>Continue to github.com</title>"));
  EXPECT_THAT(html,
              HasSubstr("<h1 id=\"heading\">Continue to github.com</h1>"));
  EXPECT_THAT(html,
              HasSubstr("<form class=\"actions\" method=\"post\" "
                        "action=\"/c/tok\"><button type=\"submit\" "
                        "id=\"continue\">Continue to github.com</button>"));
  EXPECT_THAT(html, HasSubstr("password_reset/&lt;tok&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("href=")));
}

TEST(ClickPage, BrokenAndExpiredLinksShowNoDestination) {
  ClickPageContent page;
  page.kind = ClickPageKind::kExpiredLink;
  EXPECT_THAT(RenderClickPage(page), HasSubstr("This link has expired"));
  page.kind = ClickPageKind::kInvalidLink;
  const std::string html = RenderClickPage(page);
  EXPECT_THAT(html, HasSubstr("This link is broken"));
  EXPECT_THAT(html, Not(HasSubstr("<form")));
}

TEST(ClickPage, PlainWordsLeaveOutWeightlessReasonsAndRepeats) {
  verdict::Reason lookalike;
  lookalike.code = verdict::ReasonCode::kLookalikeTypo;
  lookalike.brand = "PayPal";
  lookalike.matched = "paypal.com";
  lookalike.weight = 0.6;
  verdict::Reason wrapped;
  wrapped.code = verdict::ReasonCode::kLinkWrapped;
  wrapped.detail = "wrapped";
  verdict::Reason listed;
  listed.code = verdict::ReasonCode::kBlocklistMatch;
  listed.weight = 1;
  EXPECT_THAT(ReasonsInPlainWords({lookalike, wrapped, lookalike, listed}),
              ::testing::ElementsAre(
                  "The address imitates PayPal (paypal.com) with a small "
                  "misspelling.",
                  "This site is on a list of known phishing or malware "
                  "sites."));
  EXPECT_EQ(ImitatedBrand({wrapped, lookalike}), "PayPal");
  EXPECT_EQ(ImitatedBrand({wrapped}), "");
}

}  // namespace
}  // namespace lureguard::links
