#include "server/lookalike/internal/edits.h"

#include <string>

#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

TEST(BoundedEditDistance, CountsTranspositionsAsOne) {
  EXPECT_EQ(BoundedEditDistance("paypal", "paypal", 2), 0);
  EXPECT_EQ(BoundedEditDistance("paypla", "paypal", 2), 1);
  EXPECT_EQ(BoundedEditDistance("paypl", "paypal", 2), 1);
  EXPECT_EQ(BoundedEditDistance("ppyal", "paypal", 2), 2);
  EXPECT_EQ(BoundedEditDistance("google", "paypal", 2), 3);
  EXPECT_EQ(BoundedEditDistance("a", "abcdef", 1), 2);
}

TEST(Keyboard, AdjacencyFollowsEachLayout) {
  EXPECT_TRUE(KeysAdjacent('q', 'w', Keyboard::kQwerty));
  EXPECT_TRUE(KeysAdjacent('t', 'z', Keyboard::kQwertz));
  EXPECT_FALSE(KeysAdjacent('t', 'z', Keyboard::kQwerty));
  EXPECT_TRUE(KeysAdjacent('a', 'z', Keyboard::kAzerty));
  EXPECT_FALSE(KeysAdjacent('a', 'p', Keyboard::kQwerty));
}

struct EditCase {
  const char* candidate;
  const char* token;
  const char* technique;
};

TEST(ClassifyEdit, NamesDnstwistFuzzers) {
  const EditCase cases[] = {
      {"paypalx", "paypal", "addition"},
      {"paypals", "paypal", "plural"},
      {"paypall", "paypal", "repetition"},
      {"paypsal", "paypal", "insertion"},
      {"pay-pal", "paypal", "hyphenation"},
      {"paypl", "paypal", "omission"},
      {"papyal", "paypal", "transposition"},
      {"paypat", "paypal", "replacement"},  // 'l' ^ 't' flips two bits
      {"paypak", "paypal", "keyboard-replacement"},
      {"paypol", "paypal", "vowel-swap"},
      {"paypxl", "paypal", "replacement"},
  };
  for (const EditCase& c : cases) {
    std::string detail;
    const std::string technique = ClassifyEdit(c.candidate, c.token, &detail);
    EXPECT_EQ(technique, c.technique) << c.candidate;
    EXPECT_FALSE(detail.empty());
  }
  std::string detail;
  EXPECT_EQ(ClassifyEdit("paypam", "paypal", &detail), "bitsquatting");
  EXPECT_EQ(detail, "'l' replaced by 'm'");
}

TEST(DiffersOnlyInDigits, VersionsAreNotTypos) {
  EXPECT_TRUE(DiffersOnlyInDigits("office366", "office365"));
  EXPECT_FALSE(DiffersOnlyInDigits("offlce365", "office365"));
  EXPECT_FALSE(DiffersOnlyInDigits("same", "same"));
}

}  // namespace
}  // namespace lureguard::lookalike::internal
