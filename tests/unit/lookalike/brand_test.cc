#include "server/lookalike/brand.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lookalike/brand_index.h"

namespace lureguard::lookalike {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseBrandList, ReadsTabSeparatedBrands) {
  absl::StatusOr<std::vector<Brand>> brands = ParseBrandList(
      "brand\ttokens\tdomains\n"
      "# comment\n"
      "PayPal\tpaypal\tpaypal.com, PAYPAL.me\n"
      "\n"
      "Acme\tacme,acmecorp\tacme.example\ttenant-1\n",
      BrandListFormat::kBrands);
  ASSERT_TRUE(brands.ok()) << brands.status();
  ASSERT_EQ(brands->size(), 2u);
  EXPECT_EQ((*brands)[0].name, "PayPal");
  EXPECT_THAT((*brands)[0].domains, ElementsAre("paypal.com", "paypal.me"));
  EXPECT_THAT((*brands)[1].tokens, ElementsAre("acme", "acmecorp"));
  EXPECT_EQ((*brands)[1].tenant, "tenant-1");
}

TEST(ParseBrandList, ErrorsNameTheLineAndField) {
  auto missing = ParseBrandList("PayPal\tpaypal\n", BrandListFormat::kBrands);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("line 1"));
  auto bad = ParseBrandList("X\tx\tok.com\nY\ty\tpay pal.com\n",
                            BrandListFormat::kBrands);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("line 2: domain 'pay pal.com'"));
}

TEST(ParseBrandList, RankedDomainsGroupSameLabelAndStopAtTopN) {
  absl::StatusOr<std::vector<Brand>> brands = ParseBrandList(
      "1,google.com\n2,facebook.com\n3,google.de\n4,Example.ORG\n",
      BrandListFormat::kRankedDomains, 3);
  ASSERT_TRUE(brands.ok()) << brands.status();
  ASSERT_EQ(brands->size(), 2u);
  EXPECT_EQ((*brands)[0].name, "google.com");
  EXPECT_THAT((*brands)[0].domains, ElementsAre("google.com", "google.de"));
  EXPECT_THAT((*brands)[0].tokens, ElementsAre("google"));
  auto plain =
      ParseBrandList("amazon.co.uk\n", BrandListFormat::kRankedDomains);
  ASSERT_TRUE(plain.ok());
  EXPECT_THAT((*plain)[0].tokens, ElementsAre("amazon"));
}

TEST(ParseBrandListFormat, KnowsBothNames) {
  EXPECT_EQ(*ParseBrandListFormat("brands"), BrandListFormat::kBrands);
  EXPECT_EQ(*ParseBrandListFormat("ranked-domains"),
            BrandListFormat::kRankedDomains);
  EXPECT_FALSE(ParseBrandListFormat("csv").ok());
}

TEST(DefaultBrands, AreValidAndIndexable) {
  const std::vector<Brand>& brands = DefaultBrands();
  EXPECT_GE(brands.size(), 50u);
  for (const Brand& b : brands) {
    EXPECT_FALSE(b.domains.empty()) << b.name;
    EXPECT_FALSE(b.tokens.empty()) << b.name;
  }
  absl::StatusOr<BrandIndex> index = BrandIndex::Build(brands);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(index->stats().brands, brands.size());
}

TEST(BrandIndexBuild, RejectsBadBrandsNamingThem) {
  auto no_domain = BrandIndex::Build({Brand{"Acme", {}, {"acme"}, ""}});
  EXPECT_THAT(no_domain.status().message(), HasSubstr("brand 'Acme': domains"));
  auto bad_token =
      BrandIndex::Build({Brand{"Acme", {"acme.com"}, {"ac.me"}, ""}});
  EXPECT_THAT(bad_token.status().message(),
              HasSubstr("brand 'Acme': token 'ac.me'"));
  auto twice = BrandIndex::Build({Brand{"Acme", {"acme.com"}, {}, ""},
                                  Brand{"Acme", {"acme.net"}, {}, ""}});
  EXPECT_THAT(twice.status().message(), HasSubstr("defined twice"));
}

}  // namespace
}  // namespace lureguard::lookalike
