#include "server/lookalike/brand_codec.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lookalike {
namespace {

using ::testing::ElementsAre;

TEST(BrandCodec, RoundTripsEveryFieldIncludingAwkwardCharacters) {
  Brand brand;
  brand.name = "Caf\xC3\xA9 = \"Bank\"\nTwo";
  brand.tenant = "acme";
  brand.domains = {"cafebank.fr", "cafebank.com"};
  brand.tokens = {"cafebank"};
  absl::StatusOr<Brand> decoded = DecodeBrand(EncodeBrand(brand));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->name, brand.name);
  EXPECT_EQ(decoded->tenant, "acme");
  EXPECT_THAT(decoded->domains, ElementsAre("cafebank.fr", "cafebank.com"));
  EXPECT_THAT(decoded->tokens, ElementsAre("cafebank"));
}

TEST(BrandCodec, IgnoresUnknownKeysAndRejectsGarbage) {
  absl::StatusOr<Brand> decoded =
      DecodeBrand("name=X\nfuture_field=1\ndomain=x.com\n");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->name, "X");
  EXPECT_EQ(DecodeBrand("no equals sign").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeBrand("domain=x.com\n").status().message(),
            "brand record: no name");
}

}  // namespace
}  // namespace lureguard::lookalike
