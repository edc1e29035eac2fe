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

// Issue #19: two or three extended-Latin letters in one label (IPA,
// hooks, descenders, strokes, diacritics) fold to the ASCII they imitate,
// so the label still meets its brand exactly rather than at an edit
// distance the typo paths do not reach.
TEST(Skeleton, SeveralExtendedLatinLettersFoldTogether) {
  const SkeletonCase cases[] = {
      {"pa\u0177p\u0259l", "paypal"},         // paŷpəl: ŷ, schwa
      {"\u0254kt\u0250", "okta"},             // ɔktɐ: open o, turned a
      {"ve\ua791mo", "venrno"},               // veꞑmo: n with descender
      {"\u2c74i\ua7a9a", "visa"},             // ⱴiꞩa
      {"i\u2c6a\u0117a", "ikea"},             // iⱪėa: descender, dot
      {"st\u0279\u026ape", "stripe"},         // stɹɪpe
      {"o\u0199\u01aba", "okta"},             // oƙƫa
      {"t\u2c73i\u01adch", "tvvitch"},        // tⱳiƭch
      {"sk\u01b4\ua751e", "skype"},           // skƴꝑe
      {"ai\u027dbn\ua797", "airbnb"},         // aiɽbnꞗ
      {"\u0280\u0258vol\u028at", "revolut"},  // ʀɘvolʊt
      {"sh\u0254pi\ua799y", "shopify"},       // shɔpiꞙy
  };
  for (const SkeletonCase& c : cases) {
    EXPECT_EQ(Skeleton(c.label), c.skeleton) << c.label;
  }
}

// A glyph that imitates two letters gives both readings: schwa is an a to
// dnstwist and a turned e to the eye; ɔ is an o or a reversed c.
TEST(Skeleton, ExtendedLatinLettersWithTwoReadings) {
  std::vector<std::string> skeletons;
  LabelSkeletons("n\u0259tflix", &skeletons);
  EXPECT_THAT(skeletons, ElementsAre("natflix", "netflix"));
  LabelSkeletons("\u0254kta", &skeletons);
  EXPECT_THAT(skeletons, ElementsAre("okta", "ckta"));
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

// Spans of a skeleton read back in the label: 'm', 'w' and 'd' fold to two
// letters, so a brand found in the skeleton may start inside one.
TEST(Skeleton, SpansMapBackToTheLabelsLetters) {
  // "tokyomotion" -> "tokyornotion": "notion" at [6, 12) is "motion".
  LabelSpan span = AsciiSkeletonSpanInLabel("tokyomotion", 6, 12);
  EXPECT_EQ(span.begin, 5u);
  EXPECT_EQ(span.end, 11u);
  // "revolutionparts" has no fold of two letters.
  span = AsciiSkeletonSpanInLabel("revolutionparts", 0, 7);
  EXPECT_EQ(span.begin, 0u);
  EXPECT_EQ(span.end, 7u);
  // A span ending in the first half of a fold takes the whole letter:
  // "paypal" + "rn" of "m" in "paypalm" -> "paypalrn".
  span = AsciiSkeletonSpanInLabel("paypalm", 0, 7);
  EXPECT_EQ(span.begin, 0u);
  EXPECT_EQ(span.end, 7u);
  // Two-letter folds before the span shift it: "cloudflare" in
  // "dnscloudflare" -> "clnsclouclflare".
  span = AsciiSkeletonSpanInLabel("dnscloudflare", 4, 15);
  EXPECT_EQ(span.begin, 3u);
  EXPECT_EQ(span.end, 13u);
}

}  // namespace
}  // namespace lureguard::lookalike::internal
