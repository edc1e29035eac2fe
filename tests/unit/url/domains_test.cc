// Registrable domains and public suffixes (libpsl), display form and label
// scripts (ICU).

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/url/url.h"

namespace lureguard::url {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Domains, RegistrableDomainUsesIcannSection) {
  EXPECT_EQ(RegistrableDomain("www.example.co.uk"), "example.co.uk");
  EXPECT_EQ(PublicSuffix("www.example.co.uk"), "co.uk");
  EXPECT_EQ(RegistrableDomain("a.b.paypal.com"), "paypal.com");
}

TEST(Domains, RegistrableDomainUsesPrivateSection) {
  // blogspot.com and github.io are in the private section: each site is
  // its own registrable domain, as phishing kits hosted there exploit.
  EXPECT_EQ(RegistrableDomain("apps35-facebook.blogspot.com"),
            "apps35-facebook.blogspot.com");
  EXPECT_EQ(PublicSuffix("ealjim.github.io"), "github.io");
  EXPECT_EQ(RegistrableDomain("ealjim.github.io"), "ealjim.github.io");
}

TEST(Domains, PublicSuffixItselfHasNoRegistrableDomain) {
  EXPECT_EQ(RegistrableDomain("co.uk"), "");
  EXPECT_EQ(PublicSuffix("co.uk"), "co.uk");
}

TEST(Domains, PublicSuffixSectionTellsListedFromDefaultRule) {
  EXPECT_EQ(PublicSuffixSection("www.paypal.com"), SuffixSection::kIcann);
  EXPECT_EQ(PublicSuffixSection("example.co.uk"), SuffixSection::kIcann);
  EXPECT_EQ(PublicSuffixSection("xn--80ak6aa92e.xn--p1ai"),  // .рф
            SuffixSection::kIcann);
  EXPECT_EQ(PublicSuffixSection("ealjim.github.io"), SuffixSection::kPrivate);
  EXPECT_EQ(PublicSuffixSection("google.blogspot.com"),
            SuffixSection::kPrivate);
  // "*" would make any last label a suffix: file names read as hosts.
  EXPECT_EQ(PublicSuffixSection("notes.txt"), SuffixSection::kUnlisted);
  EXPECT_EQ(PublicSuffixSection("server.local"), SuffixSection::kUnlisted);
  EXPECT_EQ(PublicSuffixSection("paypal"), SuffixSection::kUnlisted);
  EXPECT_EQ(PublicSuffixSection("192.0.2.1"), SuffixSection::kUnlisted);
  EXPECT_EQ(PublicSuffixSection(""), SuffixSection::kUnlisted);
}

// The second round is answered from the cache of public suffixes.
TEST(Domains, RepeatedHostsGetTheSameAnswers) {
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(RegistrableDomain("www.example.co.uk"), "example.co.uk");
    EXPECT_EQ(PublicSuffix("www.example.co.uk"), "co.uk");
    EXPECT_EQ(RegistrableDomain("ealjim.github.io"), "ealjim.github.io");
    EXPECT_EQ(PublicSuffix("ealjim.github.io"), "github.io");
    EXPECT_EQ(RegistrableDomain("co.uk"), "");
    EXPECT_EQ(PublicSuffix("co.uk"), "co.uk");
  }
}

TEST(Domains, IpHostsHaveNoDomains) {
  EXPECT_EQ(RegistrableDomain("1.2.3.4"), "");
  EXPECT_EQ(PublicSuffix("1.2.3.4"), "");
  EXPECT_EQ(RegistrableDomain("[::1]"), "");
}

TEST(Domains, PunycodeHostsResolveAgainstIdnSuffixes) {
  // 公司.cn ("company.cn") is an ICANN suffix, listed in Unicode.
  EXPECT_EQ(RegistrableDomain("shop.xn--55qx5d.cn"), "shop.xn--55qx5d.cn");
}

TEST(Domains, AnalyzeFillsDomainsUnicodeHostAndScripts) {
  absl::StatusOr<UrlAnalysis> a = AnalyzeUrl("https://login.xn--pple-43d.com/");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->registrable_domain, "xn--pple-43d.com");
  EXPECT_EQ(a->public_suffix, "com");
  EXPECT_EQ(a->unicode_host, "login.\xd0\xb0pple.com");
  ASSERT_EQ(a->labels.size(), 3u);
  EXPECT_EQ(a->labels[0].text, "login");
  EXPECT_THAT(a->labels[0].scripts, ElementsAre("Latn"));
  EXPECT_EQ(a->labels[1].text, "\xd0\xb0pple");
  EXPECT_THAT(a->labels[1].scripts, ElementsAre("Cyrl", "Latn"));
  EXPECT_THAT(a->labels[2].scripts, ElementsAre("Latn"));
}

TEST(Domains, DigitsAndHyphensHaveNoScript) {
  absl::StatusOr<UrlAnalysis> a = AnalyzeUrl("http://123-4.example/");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->labels.size(), 2u);
  EXPECT_THAT(a->labels[0].scripts, IsEmpty());
}

TEST(Domains, IpHostsHaveNoLabels) {
  absl::StatusOr<UrlAnalysis> a = AnalyzeUrl("http://10.0.0.1/");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_THAT(a->labels, IsEmpty());
  EXPECT_EQ(a->unicode_host, "10.0.0.1");
  EXPECT_EQ(a->registrable_domain, "");
}

}  // namespace
}  // namespace lureguard::url
