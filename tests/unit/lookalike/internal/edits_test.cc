#include "server/lookalike/internal/edits.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

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

// The full optimal-string-alignment matrix, no band and no early exit.
int FullOsaDistance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

TEST(BoundedEditDistance, AgreesWithTheFullMatrix) {
  // Limits 0-2 take the branching path, 3 the banded matrix. A small
  // alphabet makes repeats, transpositions and near misses common.
  std::mt19937 random(5);
  std::uniform_int_distribution<int> letter(0, 3), length(0, 14);
  for (int round = 0; round < 20000; ++round) {
    std::string a, b;
    for (int i = length(random); i > 0; --i) a.push_back('a' + letter(random));
    b = a;
    // Up to three random edits of `a`, or an unrelated string.
    for (int e = round % 4; e > 0 && !b.empty(); --e) {
      const size_t at = random() % b.size();
      switch (random() % 3) {
        case 0:
          b.erase(at, 1);
          break;
        case 1:
          b.insert(b.begin() + at, 'a' + letter(random));
          break;
        default:
          b[at] = 'a' + letter(random);
      }
    }
    if (round % 7 == 0) b = std::string(length(random), 'b');
    for (int limit = 0; limit <= 3; ++limit) {
      const int full = FullOsaDistance(a, b);
      ASSERT_EQ(BoundedEditDistance(a, b, limit), std::min(full, limit + 1))
          << "'" << a << "' vs '" << b << "' limit " << limit;
    }
  }
}

// Up to `max_length` bytes drawn from `alphabet`.
std::string RandomString(std::mt19937& random, const std::string& alphabet,
                         int max_length) {
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  std::string text;
  for (int i = std::uniform_int_distribution<int>(0, max_length)(random); i > 0;
       --i) {
    text.push_back(alphabet[letter(random)]);
  }
  return text;
}

// For edit budgets 0 to 2: fails the test if the filter `within` rejects
// `a` and `b` though they are within the budget; returns how many budgets
// it rightly rejected them for.
template <typename Within>
int CountRejections(const std::string& a, const std::string& b, Within within) {
  const int distance = FullOsaDistance(a, b);
  int rejected = 0;
  for (int limit = 0; limit <= 2; ++limit) {
    const bool kept = within(a, b, limit);
    if (distance <= limit) {
      EXPECT_TRUE(kept) << "'" << a << "' vs '" << b << "' limit " << limit;
    } else {
      rejected += !kept;
    }
  }
  return rejected;
}

// The filter in front of BoundedEditDistance may keep distant pairs but
// must never reject a pair within the limit.
TEST(CharacterSet, NeverRejectsStringsWithinTheLimit) {
  std::mt19937 random(7);
  const std::string alphabet = "abcxyz0159-.";
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  int rejected = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string a = RandomString(random, alphabet, 12);
    std::string b = RandomString(random, alphabet, 12);
    if (round % 2 == 0) {
      b = a;
      for (int e = round % 3; e > 0 && !b.empty(); --e) {
        b[random() % b.size()] = alphabet[letter(random)];
      }
    }
    rejected += CountRejections(
        a, b, [](const std::string& x, const std::string& y, int limit) {
          return CharacterSetsWithin(CharacterSet(x), CharacterSet(y), limit);
        });
  }
  EXPECT_GT(rejected, 1000);  // and it does reject
}

// Random pairs and pairs a few edits apart (substitutions, insertions,
// deletions and transpositions), over letters that share a class ("a" and
// "q") and bytes beyond ASCII.
TEST(CharacterCounts, NeverRejectStringsWithinTheLimit) {
  std::mt19937 random(5);
  const std::string alphabet = "aqbrcs0159-\xc3\xa9";
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  int rejected = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string a = RandomString(random, alphabet, 14);
    std::string b = RandomString(random, alphabet, 14);
    if (round % 2 == 0) {
      b = a;
      for (int e = round % 3; e > 0; --e) {
        const size_t at = b.empty() ? 0 : random() % b.size();
        switch (random() % 4) {
          case 0:
            if (!b.empty()) b.erase(at, 1);
            break;
          case 1:
            b.insert(b.begin() + at, alphabet[letter(random)]);
            break;
          case 2:
            if (at + 1 < b.size()) std::swap(b[at], b[at + 1]);
            break;
          default:
            if (!b.empty()) b[at] = alphabet[letter(random)];
        }
      }
    }
    rejected += CountRejections(
        a, b, [](const std::string& x, const std::string& y, int limit) {
          return CharacterCountsWithin(CountCharacters(x), CountCharacters(y),
                                       limit);
        });
  }
  EXPECT_GT(rejected, 1000);  // and it does reject
}

// The case it was made for: a part and a long token that share the
// segment "online" and whose letter sets are within two of each other,
// though their letter counts are not.
TEST(CharacterCounts, RejectWhatCharacterSetsLetThrough) {
  const std::string part = "redirectonline";
  const std::string token = "perfectonline";
  ASSERT_GT(BoundedEditDistance(part, token, 2), 2);
  EXPECT_TRUE(CharacterSetsWithin(CharacterSet(part), CharacterSet(token), 2));
  EXPECT_FALSE(
      CharacterCountsWithin(CountCharacters(part), CountCharacters(token), 2));
  EXPECT_TRUE(CharacterCountsWithin(CountCharacters("paypal"),
                                    CountCharacters("paypall"), 1));
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

// IsHyphenInsertion answers what ClassifyEdit would call "hyphenation",
// for every pair it names: the typo path weighs an edit before naming it.
TEST(IsHyphenInsertion, AgreesWithClassifyEdit) {
  const std::pair<const char*, const char*> pairs[] = {
      {"pay-pal", "paypal"},
      {"-paypal", "paypal"},
      {"paypal-", "paypal"},
      {"paypal", "pay-pal"},
      {"pay--pal", "pay-pal"},
      {"paypall", "paypal"},
      {"pay-pa", "paypal"},
      {"b-nance", "binance"},
      {"credit-agricole", "creditagricole"},
      {"pay-pals", "paypal"},
      {"", "-"},
      {"-", ""},
  };
  for (const auto& [candidate, token] : pairs) {
    std::string detail;
    EXPECT_EQ(IsHyphenInsertion(candidate, token),
              ClassifyEdit(candidate, token, &detail) == "hyphenation")
        << candidate << " / " << token;
  }
  EXPECT_TRUE(IsHyphenInsertion("pay-pal", "paypal"));
  EXPECT_TRUE(IsHyphenInsertion("pay--pal", "pay-pal"));
  EXPECT_FALSE(IsHyphenInsertion("b-nance", "binance"));  // a replacement
  EXPECT_FALSE(IsHyphenInsertion("paypal", "pay-pal"));   // an omission
}

TEST(DiffersOnlyInDigits, VersionsAreNotTypos) {
  EXPECT_TRUE(DiffersOnlyInDigits("office366", "office365"));
  EXPECT_FALSE(DiffersOnlyInDigits("offlce365", "office365"));
  EXPECT_FALSE(DiffersOnlyInDigits("same", "same"));
}

}  // namespace
}  // namespace lureguard::lookalike::internal
