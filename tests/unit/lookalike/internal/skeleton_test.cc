#include "server/lookalike/internal/skeleton.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

struct SkeletonCase {
  const char* label;
  const char* skeleton;
};

// Real confusables: ASCII tricks, Cyrillic and Greek letters, small
// capitals, Latin letters with strokes and diacritics.
TEST(Skeleton, SpoofsMeetTheirBrand) {
  const SkeletonCase cases[] = {
      {"paypal", "paypal"},
      {"paypa1", "paypal"},
      {"g00gle", "google"},
      {"rnicrosoft", "rnicrosoft"},
      {"microsoft", "rnicrosoft"},
      {"vvhatsapp", "vvhatsapp"},
      {"whatsapp", "vvhatsapp"},
      {"clropbox", "clropbox"},
      {"dropbox", "clropbox"},
      {"\u0430\u0440\u0440\u04cf\u0435", "apple"},  // all-Cyrillic аррӏе
      {"p\u0430ypal", "paypal"},                    // Cyrillic а
      {"\u1d18\u1d00\u028f\u1d18\u1d00\u029f", "paypal"},  // small capitals
      {"p\u00e0yp\u00e4l", "paypal"},                      // diacritics
      {"\u0142edger",
       "lecl"
       "ger"},                           // ł
      {"g\u03bf\u03bfgle", "google"},    // Greek omicron
      {"\u0261oogle", "google"},         // script g
      {"n\u0435tfl\u0456x", "netflix"},  // Cyrillic е, і
  };
  for (const SkeletonCase& c : cases) {
    EXPECT_EQ(Skeleton(c.label), c.skeleton) << c.label;
  }
}

TEST(Skeleton, DigitOneHasBothReadings) {
  std::vector<std::string> skeletons;
  LabelSkeletons("m1crosoft", &skeletons);
  EXPECT_THAT(skeletons, ElementsAre("rnlcrosoft", "rnicrosoft"));
  LabelSkeletons("app\u04cfe", &skeletons);  // palochka: l or i
  EXPECT_THAT(skeletons, Contains("apple"));
}

TEST(Skeleton, DistinctWordsStayDistinct) {
  EXPECT_NE(Skeleton("paypal"), Skeleton("paypai"));
  EXPECT_NE(Skeleton("apple"), Skeleton("apply"));
  EXPECT_EQ(Skeleton(""), "");
}

}  // namespace
}  // namespace lureguard::lookalike::internal
