// AnalyzeUrl and CanonicalizeHost: the issue's evasions resolve to the host
// a browser contacts, and every field is filled consistently.

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/url/url.h"
#include "tests/unit/url/conformance_data.h"

namespace lureguard::url {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

UrlAnalysis Analyze(std::string_view input) {
  absl::StatusOr<UrlAnalysis> analysis = AnalyzeUrl(input);
  EXPECT_TRUE(analysis.ok()) << input << ": " << analysis.status();
  return analysis.ok() ? *analysis : UrlAnalysis();
}

TEST(AnalyzeUrl, HeaderExample) {
  const UrlAnalysis a = Analyze("HTTP://PAYPAL.COM./a/../b");
  EXPECT_EQ(a.scheme, "http");
  EXPECT_TRUE(a.is_web);
  EXPECT_EQ(a.parsed.host, "paypal.com.");
  EXPECT_EQ(a.host, "paypal.com");
  EXPECT_EQ(a.host_kind, HostKind::kDomain);
  EXPECT_EQ(a.canonical_url, "http://paypal.com/b");
  EXPECT_EQ(a.registrable_domain, "paypal.com");
  EXPECT_EQ(a.public_suffix, "com");
  EXPECT_EQ(a.unicode_host, "paypal.com");
  std::vector<std::string> expressions;
  LookupExpressions(a, expressions);
  EXPECT_THAT(expressions, ElementsAre("paypal.com/b", "paypal.com/"));
  EXPECT_THAT(a.alternate_hosts, IsEmpty());
  EXPECT_THAT(a.signals, IsEmpty());
}

TEST(AnalyzeUrl, BackslashBeforeAtTakesTheBrowserToTheFirstHost) {
  const UrlAnalysis a = Analyze("http://evil.com\\@good.com/");
  EXPECT_EQ(a.host, "evil.com");
  EXPECT_EQ(a.canonical_url, "http://evil.com/@good.com/");
  EXPECT_THAT(a.alternate_hosts, ElementsAre("good.com"));
  EXPECT_THAT(a.signals, Contains(UrlSignal::kParserDifferential));
}

TEST(AnalyzeUrl, EscapedSlashInUserinfoFoolsUnescapeFirstParsers) {
  // Unescaping the whole URL first (as the Safe Browsing text literally
  // says) turns "evil.com%252F@" into a host; browsers see userinfo.
  const UrlAnalysis a = Analyze("http://good.com%252F@evil.com/");
  EXPECT_EQ(a.host, "evil.com");
  EXPECT_THAT(a.alternate_hosts, ElementsAre("good.com"));
  EXPECT_THAT(a.signals, Contains(UrlSignal::kParserDifferential));
}

TEST(AnalyzeUrl, ExtraSlashesHideTheHostFromRfc3986Parsers) {
  const UrlAnalysis a = Analyze("http:///evil.com/");
  EXPECT_EQ(a.host, "evil.com");
  EXPECT_THAT(a.alternate_hosts, IsEmpty());
  EXPECT_THAT(a.signals, ElementsAre(UrlSignal::kParserDifferential));
}

TEST(AnalyzeUrl, NumericAndEncodedHostsResolve) {
  EXPECT_EQ(Analyze("http://3627734734/").host, "216.58.214.206");
  EXPECT_EQ(Analyze("http://0x7f.1/").host, "127.0.0.1");
  EXPECT_EQ(Analyze("http://0x7f.1/").host_kind, HostKind::kIPv4);
  EXPECT_EQ(Analyze("xn--pple-43d.com").host, "xn--pple-43d.com");
  EXPECT_EQ(Analyze("\xef\xbd\x90\xef\xbd\x81\xef\xbd\x99\xef\xbd\x90\xef\xbd"
                    "\x81\xef\xbd\x8c\xef\xbc\x8e\xef\xbd\x83\xef\xbd\x8f\xef"
                    "\xbd\x8d")
                .host,
            "paypal.com");
}

TEST(AnalyzeUrl, NonWebSchemesAreReportedNotParsed) {
  for (const char* input :
       {"javascript:alert(document.cookie)", "data:text/html,<script>",
        "mailto:ceo@example.com", "ftp://example.com/"}) {
    const UrlAnalysis a = Analyze(input);
    EXPECT_FALSE(a.is_web) << input;
    EXPECT_EQ(a.host, "") << input;
    std::vector<std::string> expressions = {"left from before"};
    LookupExpressions(a, expressions);
    EXPECT_THAT(expressions, IsEmpty()) << input;
  }
  EXPECT_EQ(Analyze("JavaScript:x").scheme, "javascript");
}

TEST(AnalyzeUrl, RejectsWithTheReason) {
  absl::StatusOr<UrlAnalysis> a = AnalyzeUrl("");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "URL is empty");
  a = AnalyzeUrl("http://exa mple.com/");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(a.status().message(), HasSubstr("'exa mple.com'"));
  EXPECT_FALSE(AnalyzeUrl("http://./").ok());
}

TEST(AnalyzeUrl, IPv6Host) {
  const UrlAnalysis a = Analyze("http://[2001:470:1:18::114]/a/b");
  EXPECT_EQ(a.host, "[2001:470:1:18::114]");
  EXPECT_EQ(a.host_kind, HostKind::kIPv6);
  EXPECT_EQ(a.registrable_domain, "");
  EXPECT_EQ(a.public_suffix, "");
}

TEST(CanonicalizeHost, ListEntriesCanonicalizeLikeBrowserHosts) {
  EXPECT_EQ(*CanonicalizeHost("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(*CanonicalizeHost("b\xc3\xbc"
                              "cher.de"),
            "xn--bcher-kva.de");
  EXPECT_EQ(*CanonicalizeHost("0300.0250.1.1"), "192.168.1.1");
  EXPECT_EQ(*CanonicalizeHost("%65vil.com"), "evil.com");
  EXPECT_EQ(*CanonicalizeHost("[0:0::1]"), "[::1]");
  EXPECT_FALSE(CanonicalizeHost("").ok());
  EXPECT_FALSE(CanonicalizeHost("a/b").ok());
  EXPECT_FALSE(CanonicalizeHost("...").ok());
}

// The engine analyses each URL into one analysis per thread: whatever
// came before (a richer URL, a failure), the result is a fresh analysis's.
void ExpectReuseMatchesFresh(const std::vector<std::string>& inputs) {
  UrlAnalysis reused;
  for (const std::string& input : inputs) {
    const absl::StatusOr<UrlAnalysis> fresh = AnalyzeUrl(input);
    const absl::Status status = AnalyzeUrl(input, reused);
    ASSERT_EQ(status, fresh.status()) << input;
    if (fresh.ok()) {
      ASSERT_TRUE(reused == *fresh) << input;
    }
  }
}

TEST(AnalyzeUrl, IntoAReusedAnalysisIsAFreshAnalysis) {
  ExpectReuseMatchesFresh({
      "https://user:pw@xn--pple-43d.com.evil.example:8443/a/b?q=1#frag",
      "javascript:alert(1)",
      "http://192.168.0.1/",
      "https://[::1]/x",
      "",
      "https://paypal.com@evil.example/login?next=https://paypal.com/",
      "http://%zz/",
      "paypal.com",
      "https://\u0430pple.com/",
      "https://a.b.c.d.e.f.g.example.co.uk/?x",
      "http://evil.example\\@paypal.com/",
      "mailto:a@b.example",
      "https://haier-biomedical.com/",
  });
}

TEST(AnalyzeUrl, IntoAReusedAnalysisIsAFreshAnalysisForRealPhishingUrls) {
  const std::optional<std::string> urls =
      testing::ReadFile(testing::DataPath("phishing-urls.txt"));
  if (!urls.has_value()) {
    GTEST_SKIP() << "no phishing-urls.txt under LUREGUARD_SHARED_DATA";
  }
  std::vector<std::string> inputs =
      absl::StrSplit(*urls, '\n', absl::SkipEmpty());
  if (inputs.size() > 20000) inputs.resize(20000);
  ExpectReuseMatchesFresh(inputs);
}

}  // namespace
}  // namespace lureguard::url
