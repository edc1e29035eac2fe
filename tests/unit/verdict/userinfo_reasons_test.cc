#include "server/verdict/userinfo_reasons.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lookalike/brand.h"
#include "server/verdict/policy.h"
#include "server/verdict/url_reasons.h"

namespace lureguard::verdict {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const lookalike::BrandIndex& Brands() {
  static const lookalike::BrandIndex* index = new lookalike::BrandIndex(
      *lookalike::BrandIndex::Build(lookalike::DefaultBrands()));
  return *index;
}

url::UrlAnalysis Analyze(const std::string& input) {
  absl::StatusOr<url::UrlAnalysis> url = url::AnalyzeUrl(input);
  EXPECT_TRUE(url.ok()) << input << ": " << url.status();
  return *std::move(url);
}

std::string Shown(const std::string& input) {
  return UserinfoHost(Analyze(input).parsed);
}

// The user info as a reader takes it: up to what cannot be in a host.
TEST(UserinfoHost, IsTheHostAReaderSeesBeforeTheAt) {
  EXPECT_EQ(Shown("https://paypal.com@evil.example/"), "paypal.com");
  EXPECT_EQ(Shown("https://WWW.PayPal.com@evil.example/"), "www.paypal.com");
  EXPECT_EQ(Shown("https://paypal.com:443@evil.example/"), "paypal.com");
  EXPECT_EQ(Shown("https://appleid.apple.com&session=1@evil.example/"),
            "appleid.apple.com");
  EXPECT_EQ(Shown("https://www.paypal.com%5c@evil.example/"), "www.paypal.com");
  EXPECT_EQ(Shown("https://paypal.com%E2%88%95login@evil.example/"),
            "paypal.com");
  // A user name that is no host.
  EXPECT_EQ(Shown("https://alice@evil.example/"), "");
  EXPECT_EQ(Shown("https://alice:secret@evil.example/"), "");
  EXPECT_EQ(Shown("https://a.b@evil.example/"), "");  // no public suffix
  EXPECT_EQ(Shown("https://evil.example/"), "");
}

TEST(UserinfoBrandReasons, ABrandsDomainBeforeTheAtBlocks) {
  for (const char* input :
       {"https://paypal.com@evil.example/", "https://paypal.com:443@evil.top/",
        "https://www.paypal.com%5c@evil-login.top/signin",
        "http://paypal.com@203.0.113.9/"}) {
    SCOPED_TRACE(input);
    const url::UrlAnalysis url = Analyze(input);
    std::vector<Reason> reasons = UserinfoBrandReasons(url, Brands(), "");
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0].code, ReasonCode::kLookalikeTargetEmbedding);
    EXPECT_EQ(reasons[0].technique, "userinfo");
    EXPECT_EQ(reasons[0].brand, "PayPal");
    EXPECT_THAT(reasons[0].matched, HasSubstr("paypal.com"));
    EXPECT_THAT(reasons[0].detail, HasSubstr("the link goes to " + url.host));
    // With the structural reason, the verdict is BLOCK and phishing.
    std::vector<Reason> all = StructuralReasons(url);
    all.insert(all.end(), reasons.begin(), reasons.end());
    const Verdict verdict =
        Policy().Decide(std::move(all), absl::InfiniteDuration());
    EXPECT_EQ(verdict.action, Action::kBlock);
    EXPECT_THAT(verdict.threat_types, ElementsAre(ThreatType::kPhishing));
  }
}

TEST(UserinfoBrandReasons, ALookalikeBeforeTheAtIsJudgedAsAHost) {
  const std::vector<Reason> reasons = UserinfoBrandReasons(
      Analyze("https://paypa1.com@evil.example/"), Brands(), "");
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons[0].brand, "PayPal");
  EXPECT_EQ(reasons[0].technique, "userinfo-ascii-homoglyph");
  EXPECT_GE(reasons[0].weight, 0.85);
}

TEST(UserinfoBrandReasons, NothingWhenTheLinkGoesWhereItSays) {
  EXPECT_THAT(UserinfoBrandReasons(
                  Analyze("https://paypal.com@www.paypal.com/"), Brands(), ""),
              IsEmpty());
  EXPECT_THAT(UserinfoBrandReasons(Analyze("https://alice@evil.example/"),
                                   Brands(), ""),
              IsEmpty());
  EXPECT_THAT(
      UserinfoBrandReasons(
          Analyze("https://ftp.example.org@mirror.example.net/"), Brands(), ""),
      IsEmpty());
}

}  // namespace
}  // namespace lureguard::verdict
