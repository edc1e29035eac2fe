// Unwrapping: one table of real-shaped vectors per vendor format. The
// decoders of each format live in their own file; they are tested here
// through the Unwrapper, as callers use them. Nesting and the depth limit,
// with our own click URLs outermost:
// tests/unit/links/click_url_decoder_test.cc.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/redirects/unwrap.h"
#include "server/url/url.h"

namespace lureguard::redirects {
namespace {

using ::testing::IsEmpty;

struct Vector {
  std::string name;
  std::string wrapped;
  std::string wrapper;  // the expected single step's name
  std::string inner;
};

// The innermost URL and the single step that unwrapping `v.wrapped` gives.
void ExpectUnwraps(const Unwrapper& unwrapper, const Vector& v) {
  absl::StatusOr<Unwrapped> u = unwrapper.Unwrap(v.wrapped);
  ASSERT_TRUE(u.ok()) << v.name << ": " << u.status();
  EXPECT_EQ(u->url, v.inner) << v.name;
  ASSERT_EQ(u->chain.size(), 1u) << v.name;
  EXPECT_EQ(u->chain[0].wrapper, v.wrapper) << v.name;
  EXPECT_EQ(u->chain[0].url, v.wrapped) << v.name;
  EXPECT_FALSE(u->depth_exceeded) << v.name;
  // The engine's cheap test on the parsed host lets every wrapper through.
  absl::StatusOr<url::ParsedUrl> parsed = url::ParseUrl(v.wrapped);
  ASSERT_TRUE(parsed.ok()) << v.name;
  EXPECT_TRUE(unwrapper.MayUnwrapHost(parsed->host)) << v.name;
}

void ExpectUntouched(const Unwrapper& unwrapper, const std::string& url) {
  absl::StatusOr<Unwrapped> u = unwrapper.Unwrap(url);
  ASSERT_TRUE(u.ok()) << url << ": " << u.status();
  EXPECT_EQ(u->url, url);
  EXPECT_THAT(u->chain, IsEmpty()) << url;
}

void ExpectMalformed(const Unwrapper& unwrapper, const std::string& url,
                     const std::string& message) {
  absl::StatusOr<Unwrapped> u = unwrapper.Unwrap(url);
  EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument) << url;
  EXPECT_EQ(u.status().message(), message) << url;
}

TEST(SafeLinks, RegionalHostsAnyCaseAndEncodedHostsUnwrap) {
  const Unwrapper unwrapper(VendorDecoders());
  const std::string tail =
      "&data=05%7C02%7Cjane.doe%40contoso.com%7C5f2c0a1e9b7d4c2e8f0a08dc%7C72f"
      "988bf86f141af91ab2d7cd011db47%7C1%7C0%7C638412345678901234%7CUnknown%7C"
      "TWFpbGZsb3d8eyJWIjoiMC4wLjAwMDAifQ%3D%3D%7C0%7C%7C%7C&sdata=Jx9%2Bq0Zk"
      "Yc2n3hQ%3D&reserved=0";
  const std::string inner = "https://www.example.com/login?a=1&b=2";
  const std::string encoded =
      "https%3A%2F%2Fwww.example.com%2Flogin%3Fa%3D1%26b%3D2";
  for (const char* host :
       {"nam12.safelinks.protection.outlook.com",
        "EUR01.SafeLinks.Protection.Outlook.COM",
        "gcc02.safelinks.protection.outlook.com.",
        "safelinks.protection.outlook.com",
        // The parser decodes the host as a browser does: no way around.
        "nam12.safelinks.protection.outlook.co%6D",
        "/nam12.safelinks.protection.outlook.com",  // https:/// skips a '/'
        "nam12.safelinks.protection.outlook.com:443"}) {
    ExpectUnwraps(
        unwrapper,
        {host, std::string("https://") + host + "/?url=" + encoded + tail,
         "safelinks", inner});
  }
}

TEST(SafeLinks, LookalikesAndMentionsAreNotSafeLinks) {
  const Unwrapper unwrapper(VendorDecoders());
  ExpectUntouched(unwrapper,
                  "https://safelinks.protection.outlook.com.evil.top/"
                  "?url=https%3A%2F%2Fx.example%2F");
  ExpectUntouched(unwrapper,
                  "https://evil.top/?url=https%3A%2F%2Fnam12.safelinks."
                  "protection.outlook.com%2F");
  ExpectUntouched(unwrapper,
                  "https://nam12.safelinks.protection.outlook.com@evil.top/"
                  "?url=https%3A%2F%2Fx.example%2F");
  ExpectUntouched(unwrapper,
                  "https://notsafelinks.protection.outlook.com/"
                  "?url=https%3A%2F%2Fx.example%2F");
}

TEST(SafeLinks, MissingOrEmptyUrlIsMalformed) {
  const Unwrapper unwrapper(VendorDecoders());
  ExpectMalformed(unwrapper,
                  "https://nam12.safelinks.protection.outlook.com/"
                  "?data=05%7C02&reserved=0",
                  "url: at depth 1: safelinks: no url parameter");
  ExpectMalformed(unwrapper,
                  "https://nam12.safelinks.protection.outlook.com/?url=&data=1",
                  "url: at depth 1: safelinks: url is empty");
}

TEST(Proofpoint, V1AndV2Unwrap) {
  const Unwrapper unwrapper(VendorDecoders());
  const Vector vectors[] = {
      {"v1 with a raw URL",
       "https://urldefense.proofpoint.com/v1/url?u=http://www.bouncycastle.org/"
       "&k=oIvRg1%2BdGAgOoM1BIlLLqw%3D%3D%0A&r=IKM5u8%2B%2F%2Fi8EBhWOS%2BqGbTqC"
       "C%2BrMqWI%2FVfEAEsQO%2F0Y%3D%0A&m=Ww6iaHO73mDQpPQwOwfLfN8WMapqHyvtu8jM8"
       "SjqmVQ%3D%0A&s=d3583cfa53dade97025bc6274c6c8951dc29fe0f38830cf8e5a4477",
       "proofpoint-v1", "http://www.bouncycastle.org/"},
      {"v1 percent-encoded",
       "https://urldefense.proofpoint.com/v1/url?u=https%3A%2F%2Fexample.com%2F"
       "a%3Fb%3Dc%26d%3De&k=oIvRg1%2BdGAgOoM1BIlLLqw%3D%3D%0A&r=x&m=y&s=z",
       "proofpoint-v1", "https://example.com/a?b=c&d=e"},
      {"v2",
       "https://urldefense.proofpoint.com/v2/url?u=https-3A__www.example.com_"
       "account_login-3Fid-3D42-26lang-3Den&d=DwMFaQ&c=euGZstcaTDllvimEN8b7jXrw"
       "qOf-v5A_CdpgnVfiiMM&r=4B0t8uQ2Fh_iQlPWbxB3sA&m=Kq1cZ3l0&s=Zx9&e=",
       "proofpoint-v2", "https://www.example.com/account/login?id=42&lang=en"},
      {"v2 with '_' and '-' in the original URL",
       "https://urldefense.proofpoint.com/v2/url?u=https-3A__files.example.org"
       "_my-5Freport-2D2024.pdf&d=DwMFaQ&c=abc&r=def&m=ghi&s=jkl&e=",
       "proofpoint-v2", "https://files.example.org/my_report-2024.pdf"},
      {"v2 of an href written with HTML character references",
       "https://urldefense.proofpoint.com/v2/url?u=https-3A__shop.example_cart"
       "-3Fa-3D1-26amp-3Bb-3D2-26-2339-3Bc-26-23x2F-3Bd-26nbsp-3B&d=DwMFaQ&c=a",
       "proofpoint-v2", "https://shop.example/cart?a=1&b=2'c/d&nbsp;"},
      {"v1 likewise",
       "https://urldefense.proofpoint.com/v1/url?u=https%3A%2F%2Fx.example%2F"
       "%3Fa%3D1%26amp%3Bb%3D2%26lt%3B&k=1",
       "proofpoint-v1", "https://x.example/?a=1&b=2<"},
      {"v2 on urldefense.com",
       "https://urldefense.com/v2/url?u=http-3A__example.net_&d=DwMFaQ&c=a",
       "proofpoint-v2", "http://example.net/"},
  };
  for (const Vector& v : vectors) ExpectUnwraps(unwrapper, v);
}

TEST(Proofpoint, V3ReplacesStarsWithTheEncodedCharacters) {
  const Unwrapper unwrapper(VendorDecoders());
  const Vector vectors[] = {
      {"v3 with '%' and '#' replaced (Proofpoint TAP's documented example)",
       "https://urldefense.com/v3/__https://firebasestorage.googleapis.com/v0/"
       "b/gund-50757.appspot.com/o/owa*2Findex2gun.html?alt=media&token="
       "02497332-ff04*vicky@rsrchxchange.com__;JSM!!Fjc1LPEtn8I!Qm9vZA$",
       "proofpoint-v3",
       "https://firebasestorage.googleapis.com/v0/b/gund-50757.appspot.com/o/"
       "owa%2Findex2gun.html?alt=media&token=02497332-ff04#"
       "vicky@rsrchxchange.com"},
      {"v3 with nothing replaced",
       "https://urldefense.com/v3/__https://example.com/a/../b?c=d__;!!G6Ts!"
       "AbCd$",
       "proofpoint-v3", "https://example.com/a/../b?c=d"},
      {"v3 multi-byte UTF-8: a run of 3 and a single character",
       "https://urldefense.com/v3/__https://example.com/wiki/**B?lang=*__;"
       "5pel5pys6Kqew7w!!G6Ts!x$",
       "proofpoint-v3",
       "https://example.com/wiki/\u65e5\u672c\u8a9e?lang=\u00fc"},
      {"v3 run of 10 ('I')",
       "https://urldefense.proofpoint.com/v3/__https://example.com/p**Iq__;"
       "JSUlJSUlJSUlJQ!!x",
       "proofpoint-v3", "https://example.com/p%%%%%%%%%%q"},
  };
  for (const Vector& v : vectors) ExpectUnwraps(unwrapper, v);
}

TEST(Proofpoint, MalformedV3SaysWhy) {
  const Unwrapper unwrapper(VendorDecoders());
  const std::string prefix = "https://urldefense.com/v3/__https://example.com/";
  ExpectMalformed(unwrapper, prefix + "a*b__;!!x",
                  "url: at depth 1: proofpoint-v3: the URL replaces more "
                  "characters than the 0 given");
  ExpectMalformed(unwrapper, prefix + "ab__;JQ!!x",
                  "url: at depth 1: proofpoint-v3: 1 of the 1 replaced "
                  "characters are not used");
  ExpectMalformed(unwrapper, prefix + "ab",
                  "url: at depth 1: proofpoint-v3: no __; after the URL");
  ExpectMalformed(unwrapper, prefix + "a*__;JQ",
                  "url: at depth 1: proofpoint-v3: no ! after the replaced "
                  "characters");
  ExpectMalformed(unwrapper, prefix + "a*__;J$Q!!x",
                  "url: at depth 1: proofpoint-v3: the replaced characters "
                  "are not base64url");
  ExpectMalformed(unwrapper, prefix + "a*__;_w!!x",
                  "url: at depth 1: proofpoint-v3: the replaced characters "
                  "are not UTF-8");
  ExpectMalformed(unwrapper, prefix + "a**.__;JQ!!x",
                  "url: at depth 1: proofpoint-v3: bad run length character "
                  "'.'");
  ExpectMalformed(unwrapper, "https://urldefense.com/v3/____;!!x",
                  "url: at depth 1: proofpoint-v3: the URL is empty");
}

TEST(Proofpoint, MalformedV1V2AndOtherPaths) {
  const Unwrapper unwrapper(VendorDecoders());
  ExpectMalformed(unwrapper, "https://urldefense.proofpoint.com/v2/url?d=x",
                  "url: at depth 1: proofpoint-v2: no u parameter");
  ExpectMalformed(unwrapper, "https://urldefense.proofpoint.com/v1/url?u=&k=1",
                  "url: at depth 1: proofpoint-v1: u is empty");
  ExpectUntouched(unwrapper, "https://urldefense.proofpoint.com/");
  ExpectUntouched(unwrapper,
                  "https://urldefense.proofpoint.com.evil.top/v2/url?u=http-3A"
                  "__x.example_&d=1");
}

TEST(GoogleRedirect, QAndUrlParametersOnAnyGoogleDomain) {
  const Unwrapper unwrapper(VendorDecoders());
  const Vector vectors[] = {
      {"q from Docs",
       "https://www.google.com/url?q=https://evil.example/login&sa=D&source="
       "editors&ust=1700000000000000&usg=AOvVaw3x",
       "google-redirect", "https://evil.example/login"},
      {"url from search results, q empty",
       "https://www.google.co.uk/url?sa=t&rct=j&q=&esrc=s&source=web&cd=1&url="
       "https%3A%2F%2Fwww.example.org%2Fpath%3Fx%3D1&ved=2ahUKEwj",
       "google-redirect", "https://www.example.org/path?x=1"},
      {"bare google.com.br",
       "http://google.com.br/url?q=http%3A%2F%2Fexample.com.br%2F",
       "google-redirect", "http://example.com.br/"},
  };
  for (const Vector& v : vectors) ExpectUnwraps(unwrapper, v);
  ExpectUntouched(unwrapper,
                  "https://google.evil.com/url?q=https://x.example/");
  ExpectUntouched(unwrapper,
                  "https://www.google.com/search?q=https://x.example/");
  ExpectUntouched(unwrapper,
                  "https://mail.google.com/url?q=https://x.example/");
  ExpectMalformed(unwrapper, "https://www.google.com/url?sa=t&q=",
                  "url: at depth 1: google-redirect: no q or url parameter");
  ExpectMalformed(unwrapper, "https://www.google.com/url?q=javascript:alert(1)",
                  "url: at depth 1: google-redirect: the target is not an "
                  "http(s) URL");
}

TEST(Barracuda, LinkProtectionUnwraps) {
  const Unwrapper unwrapper(VendorDecoders());
  const Vector vectors[] = {
      {"lowercase hex, as Barracuda writes it",
       "https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fevil.example%2f"
       "login%3fu%3d1&c=E,1,AbCdEf,&typo=1",
       "barracuda", "https://evil.example/login?u=1"},
      {"plain http target",
       "https://linkprotect.cudasvc.com/url?a=http%3A%2F%2Fexample.com%2F&c=E",
       "barracuda", "http://example.com/"},
  };
  for (const Vector& v : vectors) ExpectUnwraps(unwrapper, v);
  ExpectUntouched(
      unwrapper,
      "https://linkprotect.cudasvc.com.evil.top/url?a=https%3a%2f%2f"
      "x.example%2f");
  ExpectUntouched(unwrapper, "https://linkprotect.cudasvc.com/help");
  ExpectMalformed(unwrapper, "https://linkprotect.cudasvc.com/url?c=E,1",
                  "url: at depth 1: barracuda: no a parameter");
  ExpectMalformed(unwrapper,
                  "https://linkprotect.cudasvc.com/url?a=javascript%3aalert(1)",
                  "url: at depth 1: barracuda: the target is not an http(s) "
                  "URL");
}

TEST(Sophos, TimeOfClickUnwraps) {
  const Unwrapper unwrapper(VendorDecoders());
  const Vector vectors[] = {
      {"standard base64, the d parameter naming another domain",
       "https://eu-west-1.protection.sophos.com/?d=example.com&u="
       "aHR0cHM6Ly9ldmlsLmV4YW1wbGUvbG9naW4/dT0x&i=NWY&t=abc&h=def&s=1",
       "sophos", "https://evil.example/login?u=1"},
      {"URL-safe alphabet",
       "https://us-west-2.protection.sophos.com/?d=evil.example&u="
       "aHR0cHM6Ly9ldmlsLmV4YW1wbGUvbG9naW4_dT0x&i=x",
       "sophos", "https://evil.example/login?u=1"},
      {"percent-encoded padding",
       "https://protection.sophos.com/?d=example.com&u="
       "aHR0cHM6Ly93d3cuZXhhbXBsZS5jb20vYS9i%3D%3D",
       "sophos", "https://www.example.com/a/b"},
  };
  for (const Vector& v : vectors) ExpectUnwraps(unwrapper, v);
  ExpectUntouched(unwrapper,
                  "https://protection.sophos.com.evil.top/?u="
                  "aHR0cHM6Ly93d3cuZXhhbXBsZS5jb20vYS9i");
  ExpectUntouched(unwrapper, "https://www.sophos.com/?u=aHR0cHM6Ly93d3c");
  ExpectMalformed(unwrapper, "https://eu-west-1.protection.sophos.com/?d=x",
                  "url: at depth 1: sophos: no u parameter");
  ExpectMalformed(unwrapper,
                  "https://eu-west-1.protection.sophos.com/?u=!!notbase64!!",
                  "url: at depth 1: sophos: u is not base64");
}

TEST(TrendMicro, TimeOfClickUnwraps) {
  const Unwrapper unwrapper(VendorDecoders());
  const Vector vectors[] = {
      {"lowercase hex, an explicit port",
       "https://ddec1-0-en-ctp.trendmicro.com:443/wis/clicktime/v1/query?url="
       "https%3a%2f%2fevil.example%2flogin%3fu%3d1&umid=67080c1c-b5d1-4d20-"
       "a9eb-ab7f9a062932&auth=53c7c7de28b92dfd-9ae22f0c",
       "trend-micro", "https://evil.example/login?u=1"},
      {"another node",
       "https://cas5-0-urlprotect.trendmicro.com/wis/clicktime/v1/query?url="
       "http%3a%2f%2fexample.com%2fa%2db&umid=x&auth=y",
       "trend-micro", "http://example.com/a-b"},
  };
  for (const Vector& v : vectors) ExpectUnwraps(unwrapper, v);
  ExpectUntouched(unwrapper,
                  "https://www.trendmicro.com/en_us/business.html?url="
                  "https%3a%2f%2fx.example%2f");
  ExpectUntouched(unwrapper,
                  "https://ctp.trendmicro.com.evil.top/wis/clicktime/v1/"
                  "query?url=https%3a%2f%2fx.example%2f");
  ExpectMalformed(unwrapper,
                  "https://ddec1-0-en-ctp.trendmicro.com/wis/clicktime/v1/"
                  "query?umid=x",
                  "url: at depth 1: trend-micro: no url parameter");
}

TEST(Unwrapper, PlainUrlsComeBackAsTheyAre) {
  const Unwrapper unwrapper(VendorDecoders());
  ExpectUntouched(unwrapper, "https://www.example.com/?url=https://x.example/");
  ExpectUntouched(unwrapper, "mailto:someone@example.com");
  ExpectUntouched(unwrapper, "not a url at all");
  EXPECT_EQ(unwrapper.Unwrap("").status().message(), "url: empty");
  EXPECT_FALSE(unwrapper.MayUnwrapHost("www.example.com"));
  EXPECT_FALSE(unwrapper.MayUnwrapHost("outlook.com"));
}

}  // namespace
}  // namespace lureguard::redirects
