// ParseUrl against the WHATWG URL Standard: focused cases, then every
// applicable case of web-platform-tests' urltestdata.json.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <iostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/url/url.h"
#include "tests/unit/url/conformance_data.h"

namespace lureguard::url {
namespace {

using ::testing::HasSubstr;

std::string HrefOf(std::string_view input) {
  absl::StatusOr<ParsedUrl> parsed = ParseUrl(input);
  return parsed.ok() ? parsed->Href()
                     : "<error: " + parsed.status().ToString() + ">";
}

TEST(UrlParser, BackslashIsAPathSeparatorInHttpUrls) {
  absl::StatusOr<ParsedUrl> parsed = ParseUrl("http://evil.com\\@good.com/");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->host, "evil.com");
  EXPECT_EQ(parsed->path, "/@good.com/");
  EXPECT_EQ(parsed->username, "");
}

TEST(UrlParser, UserinfoEndsAtTheLastAtSign) {
  absl::StatusOr<ParsedUrl> parsed =
      ParseUrl("http://good.com@x:y@evil.com/login");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->host, "evil.com");
  EXPECT_EQ(parsed->username, "good.com%40x");
  EXPECT_EQ(parsed->password, "y");
  EXPECT_EQ(parsed->Href(), "http://good.com%40x:y@evil.com/login");
}

TEST(UrlParser, NumericIPv4FormsBecomeDottedQuads) {
  EXPECT_EQ(HrefOf("http://3627734734/"), "http://216.58.214.206/");
  EXPECT_EQ(HrefOf("http://0x7f.1/"), "http://127.0.0.1/");
  EXPECT_EQ(HrefOf("http://0177.0.0.01/"), "http://127.0.0.1/");
  EXPECT_EQ(HrefOf("http://127.1/"), "http://127.0.0.1/");
  EXPECT_EQ(HrefOf("http://1.2.3.4./"), "http://1.2.3.4/");
}

TEST(UrlParser, HostThatEndsInANumberMustBeAValidIPv4) {
  EXPECT_FALSE(ParseUrl("http://1.2.3.256/").ok());
  EXPECT_FALSE(ParseUrl("http://foo.09/").ok());
  EXPECT_FALSE(ParseUrl("http://1.2.3.4.5/").ok());
  EXPECT_FALSE(ParseUrl("http://foo.0x/").ok());
  EXPECT_EQ(HrefOf("http://0x/"), "http://0.0.0.0/");
}

TEST(UrlParser, IPv6IsCompressedAndLowercased) {
  EXPECT_EQ(HrefOf("http://[FEDC:BA98:0:0:0:0:0:3210]:8080/"),
            "http://[fedc:ba98::3210]:8080/");
  EXPECT_EQ(HrefOf("http://[::ffff:192.168.0.1]/"), "http://[::ffff:c0a8:1]/");
  EXPECT_FALSE(ParseUrl("http://[1:2:3]/").ok());
}

TEST(UrlParser, UppercaseSchemeAndHostAreLowercasedTrailingDotKept) {
  absl::StatusOr<ParsedUrl> parsed = ParseUrl("HTTP://PAYPAL.COM.");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->scheme, "http");
  EXPECT_EQ(parsed->host, "paypal.com.");
  EXPECT_EQ(parsed->path, "/");
}

TEST(UrlParser, IdnHostsBecomePunycode) {
  EXPECT_EQ(HrefOf("http://\xd0\xb0pple.com/"), "http://xn--pple-43d.com/");
  EXPECT_EQ(HrefOf("http://xn--pple-43d.com/"), "http://xn--pple-43d.com/");
  // Fullwidth "ｐａｙｐａｌ．ｃｏｍ" maps to plain ASCII.
  EXPECT_EQ(HrefOf("http://\xef\xbd\x90\xef\xbd\x81\xef\xbd\x99\xef\xbd\x90"
                   "\xef\xbd\x81\xef\xbd\x8c\xef\xbc\x8e\xef\xbd\x83\xef\xbd"
                   "\x8f\xef\xbd\x8d/"),
            "http://paypal.com/");
}

TEST(UrlParser, InvalidIdnaIsRejectedEvenWhenIcuStatusIsSuccess) {
  // ICU returns U_ZERO_ERROR for these and reports them in info.errors.
  // Bad punycode next to a non-ASCII label:
  EXPECT_FALSE(ParseUrl("http://xn--a.caf\xc3\xa9/").ok());
  // A joiner outside its allowed context (CheckJoiners):
  EXPECT_FALSE(ParseUrl("http://a\xe2\x80\x8d"
                        "b.com/")
                   .ok());
  // Right-to-left label starting with a digit (CheckBidi):
  EXPECT_FALSE(ParseUrl("http://1\xd7\x90.com/").ok());
}

TEST(UrlParser, HyphenAndLengthErrorsAreIgnored) {
  EXPECT_EQ(HrefOf("http://-x-.com/"), "http://-x-.com/");
  EXPECT_EQ(HrefOf("http://ab--cd.com/"), "http://ab--cd.com/");
  EXPECT_EQ(HrefOf("http://a..b/"), "http://a..b/");
}

TEST(UrlParser, PercentEncodedHostIsDecodedBeforeChecks) {
  EXPECT_EQ(HrefOf("http://%65vil.com/"), "http://evil.com/");
  EXPECT_EQ(HrefOf("http://%31%32%37.1/"), "http://127.0.0.1/");
  // The authority is delimited before decoding: %2F is userinfo here.
  EXPECT_EQ(HrefOf("http://evil.com%2F@good.com/"),
            "http://evil.com%2F@good.com/");
  EXPECT_FALSE(ParseUrl("http://ex%00ample.com/").ok());
}

TEST(UrlParser, ControlsAndWhitespaceAreStripped) {
  EXPECT_EQ(HrefOf("\x01 http://ex\tam\nple.com/a\rb \x1f"),
            "http://example.com/ab");
}

TEST(UrlParser, DefaultPortsAreDropped) {
  EXPECT_EQ(HrefOf("http://a.com:80/"), "http://a.com/");
  EXPECT_EQ(HrefOf("https://a.com:443/"), "https://a.com/");
  EXPECT_EQ(HrefOf("https://a.com:80/"), "https://a.com:80/");
  EXPECT_EQ(HrefOf("http://a.com:0080/"), "http://a.com/");
  EXPECT_FALSE(ParseUrl("http://a.com:65536/").ok());
  EXPECT_FALSE(ParseUrl("http://a.com:8o/").ok());
}

TEST(UrlParser, PathDotSegmentsAreResolved) {
  EXPECT_EQ(HrefOf("http://a.com/b/./c/../d/%2e%2E/e"), "http://a.com/b/e");
  EXPECT_EQ(HrefOf("http://a.com/../../x"), "http://a.com/x");
}

TEST(UrlParser, SchemeLessInputIsHttp) {
  EXPECT_EQ(HrefOf("www.google.com"), "http://www.google.com/");
  EXPECT_EQ(HrefOf("//cdn.example/x"), "http://cdn.example/x");
  EXPECT_EQ(HrefOf("evil.com:8080/login"), "http://evil.com:8080/login");
  EXPECT_FALSE(ParseUrl("/just/a/path").ok());
}

TEST(UrlParser, OtherSchemesAreRejectedByName) {
  absl::StatusOr<ParsedUrl> parsed = ParseUrl("javascript:alert(1)");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("'javascript'"));
  EXPECT_FALSE(ParseUrl("ftp://host/").ok());
  EXPECT_FALSE(ParseUrl("").ok());
}

TEST(UrlParser, ErrorMessagesQuoteTheOffendingValue) {
  absl::StatusOr<ParsedUrl> parsed = ParseUrl("http://a<b.com/");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "host 'a<b.com' contains forbidden character '<'");
}

// --- web-platform-tests urltestdata.json -----------------------------------

std::string StringField(const google::protobuf::Struct& s,
                        const std::string& name) {
  auto it = s.fields().find(name);
  if (it == s.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

bool IsTrimmed(char c) { return static_cast<unsigned char>(c) <= 0x20; }

// The input as the Standard sees it after its first steps.
std::string Preprocess(std::string s) {
  while (!s.empty() && IsTrimmed(s.front())) s.erase(s.begin());
  while (!s.empty() && IsTrimmed(s.back())) s.pop_back();
  std::string out;
  for (char c : s) {
    if (c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

std::string LeadingScheme(const std::string& s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return "";
  size_t i = 1;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) ||
                          s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i == s.size() || s[i] != ':') return "";
  std::string scheme = s.substr(0, i);
  for (char& c : scheme) c = static_cast<char>(std::tolower(c));
  return scheme;
}

bool IsSlash(char c) { return c == '/' || c == '\\'; }

enum class Applicability { kNo, kAbsolute, kSchemeRelative };

// Which cases describe what ParseUrl promises: absolute http(s) URLs (an
// http(s) base only matters when the input lacks "//" after a same-scheme
// "scheme:"), and "//host" inputs against an http(s) base, which ParseUrl
// takes as scheme-less http.
Applicability Classify(const std::string& raw_input, const std::string& base) {
  const std::string input = Preprocess(raw_input);
  const std::string scheme = LeadingScheme(input);
  const std::string base_scheme = LeadingScheme(base);
  if (scheme == "http" || scheme == "https") {
    const std::string rest = input.substr(scheme.size() + 1);
    const bool two_slashes =
        rest.size() >= 2 && IsSlash(rest[0]) && IsSlash(rest[1]);
    if (base.empty() || base_scheme != scheme || two_slashes) {
      return Applicability::kAbsolute;
    }
    return Applicability::kNo;
  }
  if (scheme.empty() && input.size() >= 2 && IsSlash(input[0]) &&
      IsSlash(input[1]) && (base_scheme == "http" || base_scheme == "https")) {
    return Applicability::kSchemeRelative;
  }
  return Applicability::kNo;
}

TEST(UrlParserConformance, WebPlatformTestsUrlTestData) {
  const std::string path = testing::DataPath("url/urltestdata.json");
  std::optional<std::string> json = testing::ReadFile(path);
  if (!json.has_value()) {
    GTEST_SKIP() << "conformance data absent: " << path;
  }
  google::protobuf::ListValue cases;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &cases).ok());

  int applicable = 0, passed = 0;
  for (const google::protobuf::Value& value : cases.values()) {
    if (!value.has_struct_value()) continue;  // a comment string
    const google::protobuf::Struct& c = value.struct_value();
    const std::string input = StringField(c, "input");
    const std::string base = StringField(c, "base");
    const Applicability kind = Classify(input, base);
    if (kind == Applicability::kNo) continue;
    ++applicable;
    const bool must_fail = c.fields().count("failure") > 0;
    absl::StatusOr<ParsedUrl> parsed = ParseUrl(input);
    bool ok;
    std::string got;
    if (must_fail) {
      ok = !parsed.ok();
      got = parsed.ok() ? parsed->Href() : "failure";
      EXPECT_FALSE(parsed.ok()) << "input '" << input << "' base '" << base
                                << "' should fail, got " << got;
    } else if (!parsed.ok()) {
      ok = false;
      ADD_FAILURE() << "input '" << input << "' base '" << base
                    << "': " << parsed.status();
    } else {
      ok = parsed->host == StringField(c, "hostname");
      EXPECT_EQ(parsed->host, StringField(c, "hostname"))
          << "input '" << input << "' base '" << base << "'";
      // A scheme-relative input takes the base's scheme; ParseUrl uses http.
      const bool compare_href =
          kind == Applicability::kAbsolute || LeadingScheme(base) == "http";
      if (compare_href) {
        ok = ok && parsed->Href() == StringField(c, "href");
        EXPECT_EQ(parsed->Href(), StringField(c, "href"))
            << "input '" << input << "' base '" << base << "'";
      }
    }
    passed += ok ? 1 : 0;
  }
  std::cout << "urltestdata.json: " << passed << " of " << applicable
            << " applicable http(s)/scheme-relative cases pass ("
            << cases.values_size() << " entries in the file)\n";
  ::testing::Test::RecordProperty("urltestdata_applicable", applicable);
  ::testing::Test::RecordProperty("urltestdata_passed", passed);
  EXPECT_GT(applicable, 300);
}

}  // namespace
}  // namespace lureguard::url
