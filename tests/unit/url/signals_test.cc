// One test per URL signal: it fires on the phishing form and stays quiet on
// the ordinary one.

#include "server/url/internal/signals.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/url/url.h"

namespace lureguard::url {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<UrlSignal> SignalsOf(std::string_view input) {
  absl::StatusOr<UrlAnalysis> analysis = AnalyzeUrl(input);
  EXPECT_TRUE(analysis.ok()) << input << ": " << analysis.status();
  return analysis.ok() ? analysis->signals : std::vector<UrlSignal>{};
}

TEST(UrlSignals, OrdinaryUrlHasNone) {
  EXPECT_THAT(SignalsOf("https://www.example.com/account/login?next=%2Fhome"),
              IsEmpty());
}

TEST(UrlSignals, IpHost) {
  EXPECT_THAT(SignalsOf("http://192.0.2.7/paypal/"),
              ElementsAre(UrlSignal::kIpHost));
  EXPECT_THAT(SignalsOf("http://[2001:db8::1]/"), Contains(UrlSignal::kIpHost));
  EXPECT_THAT(SignalsOf("http://paypal.com/"),
              Not(Contains(UrlSignal::kIpHost)));
}

TEST(UrlSignals, Userinfo) {
  EXPECT_THAT(SignalsOf("http://paypal.com@evil.example/"),
              ElementsAre(UrlSignal::kUserinfo));
  EXPECT_THAT(SignalsOf("http://evil.example/@paypal.com"), IsEmpty());
}

TEST(UrlSignals, ManyAt) {
  EXPECT_THAT(SignalsOf("http://a@b@evil.example/"),
              ElementsAre(UrlSignal::kUserinfo, UrlSignal::kManyAt));
  EXPECT_THAT(SignalsOf("http://evil.example/?to=a@b.c"), IsEmpty());
}

TEST(UrlSignals, EncodedHost) {
  EXPECT_THAT(SignalsOf("http://3627734734/"),
              ElementsAre(UrlSignal::kIpHost, UrlSignal::kEncodedHost));
  EXPECT_THAT(SignalsOf("http://0x7f.1/"), Contains(UrlSignal::kEncodedHost));
  EXPECT_THAT(SignalsOf("http://%70aypal.com/"),
              ElementsAre(UrlSignal::kEncodedHost));
  // Fullwidth "ｐａｙｐａｌ．ｃｏｍ" reads as ASCII only after mapping.
  EXPECT_THAT(SignalsOf("http://\xef\xbd\x90\xef\xbd\x81\xef\xbd\x99\xef\xbd"
                        "\x90\xef\xbd\x81\xef\xbd\x8c\xef\xbc\x8e\xef\xbd\x83"
                        "\xef\xbd\x8f\xef\xbd\x8d/"),
              ElementsAre(UrlSignal::kEncodedHost));
  EXPECT_THAT(SignalsOf("http://1.2.3.4/"), ElementsAre(UrlSignal::kIpHost));
  EXPECT_THAT(SignalsOf("http://1.2.3.4./"), ElementsAre(UrlSignal::kIpHost));
  // An IPv4 address written as IPv6.
  for (const char* url :
       {"http://[::ffff:c0a8:101]/", "http://[::192.168.1.1]/",
        "http://[0:0:0:0:0:ffff:7f00:1]/", "http://[64:ff9b::c0a8:101]/"}) {
    EXPECT_THAT(SignalsOf(url),
                ElementsAre(UrlSignal::kIpHost, UrlSignal::kEncodedHost))
        << url;
  }
  EXPECT_THAT(SignalsOf("http://[2001:db8::1]/"),
              ElementsAre(UrlSignal::kIpHost));
  EXPECT_THAT(SignalsOf("http://[::1]/"), ElementsAre(UrlSignal::kIpHost));
}

TEST(EmbeddedIpv4, IsTheIpv4AddressAnIpv6HostStandsFor) {
  EXPECT_EQ(EmbeddedIpv4("[::ffff:c0a8:101]"), "192.168.1.1");
  EXPECT_EQ(EmbeddedIpv4("::ffff:203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(EmbeddedIpv4("[::203.0.113.9]"), "203.0.113.9");
  EXPECT_EQ(EmbeddedIpv4("[64:ff9b::cb00:7109]"), "203.0.113.9");
  EXPECT_EQ(EmbeddedIpv4("[::]"), std::nullopt);
  EXPECT_EQ(EmbeddedIpv4("[::1]"), std::nullopt);
  EXPECT_EQ(EmbeddedIpv4("[2001:db8::1]"), std::nullopt);
  EXPECT_EQ(EmbeddedIpv4("203.0.113.9"), std::nullopt);
  EXPECT_EQ(EmbeddedIpv4("example.com"), std::nullopt);
}

TEST(UrlSignals, Long) {
  const std::string base = "http://example.com/";
  const std::string at_limit =
      base + std::string(internal::kLongUrlLength - base.size(), 'a');
  EXPECT_THAT(SignalsOf(at_limit), IsEmpty());
  EXPECT_THAT(SignalsOf(at_limit + "a"), ElementsAre(UrlSignal::kLong));
}

TEST(UrlSignals, ManySubdomains) {
  EXPECT_THAT(SignalsOf("http://paypal.com.login.secure.evil.example.com/"),
              ElementsAre(UrlSignal::kManySubdomains));
  // Two labels below example.com, and "www" is not counted.
  EXPECT_THAT(SignalsOf("http://www.mail.eu.example.com/"), IsEmpty());
}

TEST(UrlSignals, Punycode) {
  EXPECT_THAT(SignalsOf("http://xn--pple-43d.com/"),
              ElementsAre(UrlSignal::kPunycode));
  EXPECT_THAT(SignalsOf("http://\xd0\xb0pple.com/"),
              ElementsAre(UrlSignal::kPunycode));
}

TEST(UrlSignals, InvisibleCharacters) {
  // U+202E RIGHT-TO-LEFT OVERRIDE, raw and percent-encoded.
  EXPECT_THAT(SignalsOf("http://example.com/invoice\xe2\x80\xaegpj.exe"),
              ElementsAre(UrlSignal::kInvisibleCharacters));
  EXPECT_THAT(SignalsOf("http://example.com/invoice%E2%80%AEgpj.exe"),
              ElementsAre(UrlSignal::kInvisibleCharacters));
  // U+00AD SOFT HYPHEN vanishes in IDNA, so the host looks clean.
  absl::StatusOr<UrlAnalysis> a = AnalyzeUrl("http://pay\xc2\xadpal.com/");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->host, "paypal.com");
  EXPECT_THAT(a->signals, Contains(UrlSignal::kInvisibleCharacters));
  EXPECT_THAT(SignalsOf("http://caf\xc3\xa9.example/"),
              Not(Contains(UrlSignal::kInvisibleCharacters)));
}

TEST(UrlSignals, NestedUrl) {
  EXPECT_THAT(SignalsOf("http://t.example/r?url=https://paypal.com/"),
              ElementsAre(UrlSignal::kNestedUrl));
  EXPECT_THAT(SignalsOf("http://t.example/r?u=HTTP%253A%252F%252Fx.com"),
              ElementsAre(UrlSignal::kNestedUrl));
  EXPECT_THAT(SignalsOf("http://t.example/http://x.com/"), IsEmpty());
}

TEST(UrlSignals, ParserDifferential) {
  EXPECT_THAT(SignalsOf("http://evil.example\\@paypal.com/"),
              ElementsAre(UrlSignal::kParserDifferential));
  EXPECT_THAT(SignalsOf("http://paypal.com/\\@evil.example"), IsEmpty());
}

TEST(UrlSignals, NamesAreStable) {
  EXPECT_EQ(SignalName(UrlSignal::kIpHost), "ip-host");
  EXPECT_EQ(SignalName(UrlSignal::kUserinfo), "userinfo");
  EXPECT_EQ(SignalName(UrlSignal::kManyAt), "many-at");
  EXPECT_EQ(SignalName(UrlSignal::kEncodedHost), "encoded-host");
  EXPECT_EQ(SignalName(UrlSignal::kLong), "long-url");
  EXPECT_EQ(SignalName(UrlSignal::kManySubdomains), "many-subdomains");
  EXPECT_EQ(SignalName(UrlSignal::kPunycode), "punycode");
  EXPECT_EQ(SignalName(UrlSignal::kInvisibleCharacters),
            "invisible-characters");
  EXPECT_EQ(SignalName(UrlSignal::kNestedUrl), "nested-url");
  EXPECT_EQ(SignalName(UrlSignal::kParserDifferential), "parser-differential");
}

}  // namespace
}  // namespace lureguard::url
