// Real phishing URLs (../shared/data/phishing-urls.txt, OpenPhish) written
// into mail the way senders write them: every one must reach the handler
// exactly once, as written, and be replaced byte-exact. Skips without the
// data set.

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/links/message_rewriter.h"
#include "server/url/url.h"
#include "tests/unit/links/wrapping_handler.h"

namespace lureguard::links {
namespace {

using testing::WrappingHandler;

// Enough to cover the feed's variety while the test stays well under a
// second.
constexpr size_t kSample = 3000;

std::vector<std::string> PhishingUrls() {
  std::vector<std::string> urls;
  std::ifstream in(std::string(LUREGUARD_DATA_DIR) + "/phishing-urls.txt");
  std::string line;
  while (urls.size() < kSample && std::getline(in, line)) {
    // The rewriters report what the WHATWG parser accepts; the few feed
    // entries it rejects are not links for a browser either.
    if (!line.empty() && url::ParseUrl(line).ok()) urls.push_back(line);
  }
  return urls;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
  }
  return out;
}

TEST(RealUrls, EveryHrefReachesTheHandlerAsWritten) {
  const std::vector<std::string> urls = PhishingUrls();
  if (urls.empty()) GTEST_SKIP() << "phishing-urls.txt absent";
  std::string html = "<html><body><table>\r\n";
  std::string expected = html;
  for (size_t i = 0; i < urls.size(); ++i) {
    const std::string row_start = "<tr><td><a href=\"";
    const std::string row_end = "\">Verify your account</a></td></tr>\r\n";
    html += row_start + HtmlEscape(urls[i]) + row_end;
    expected +=
        row_start + "https://click.test/c/" + std::to_string(i + 1) + row_end;
  }
  html += "</table></body></html>\r\n";
  expected += "</table></body></html>\r\n";
  WrappingHandler handler;
  RewriteStats stats;
  absl::StatusOr<std::string> out = RewriteHtml(
      html, RewriteOptions{.max_links = 100000}, handler, "", &stats);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(handler.seen.size(), urls.size());
  for (size_t i = 0; i < urls.size(); ++i) {
    EXPECT_EQ(handler.seen[i].url, urls[i]);
    EXPECT_EQ(handler.seen[i].display_text, "Verify your account");
  }
  EXPECT_EQ(*out, expected);
}

// In plain text, a URL ends at a blank; one whose last character is
// sentence punctuation loses it, as in every mail reader. (None of the
// sample ends in an unbalanced bracket, which would be trimmed too.)
TEST(RealUrls, EveryTextUrlIsFoundWithItsEnd) {
  const std::vector<std::string> urls = PhishingUrls();
  if (urls.empty()) GTEST_SKIP() << "phishing-urls.txt absent";
  std::string text;
  std::vector<std::string> written;
  for (const std::string& u : urls) {
    // Blanks, quotes and angle brackets end a text URL by design.
    if (u.find_first_of(" \t<>\"`") != std::string::npos) continue;
    text += "Dear customer, confirm at " + u + " today.\r\n";
    std::string w = u;
    while (!w.empty() &&
           std::string(".,;:!?").find(w.back()) != std::string::npos) {
      w.pop_back();
    }
    written.push_back(w);
  }
  WrappingHandler handler;
  absl::StatusOr<std::string> out = RewriteText(
      text, RewriteOptions{.max_links = 100000}, handler, "", nullptr);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(handler.seen.size(), written.size());
  for (size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(handler.seen[i].url, written[i]);
  }
}

}  // namespace
}  // namespace lureguard::links
