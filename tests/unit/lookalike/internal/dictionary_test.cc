#include "server/lookalike/internal/dictionary.h"

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

// The table is wamerican, compiled in at build time: the build fails
// without the word list, so an empty table cannot pass unnoticed.
TEST(Dictionary, HoldsTheWordList) {
  EXPECT_GT(DictionaryWordCount(), 50000u);
  for (const char* word : {"motion", "revolution", "canvas", "stripes",
                           "intuitive", "slacker", "promotions", "zoom"}) {
    EXPECT_TRUE(IsDictionaryWord(word)) << word;
  }
}

// Every lowercase word of four letters or more in wamerican is in the
// table, and nothing else is: the minimized trie loses and invents none.
TEST(Dictionary, HoldsExactlyTheKeptWordsOfTheList) {
  std::ifstream in(LUREGUARD_WORD_LIST);
  ASSERT_TRUE(in) << LUREGUARD_WORD_LIST << " (Debian package wamerican)";
  size_t kept = 0;
  for (std::string line; std::getline(in, line);) {
    const bool lowercase = std::all_of(
        line.begin(), line.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!lowercase || line.size() < 4) {
      EXPECT_FALSE(IsDictionaryWord(line)) << line;
      continue;
    }
    ++kept;
    EXPECT_TRUE(IsDictionaryWord(line)) << line;
    // One letter more is a word only when the list says so: "motionq".
    EXPECT_FALSE(IsDictionaryWord(line + "q")) << line;
  }
  EXPECT_EQ(kept, DictionaryWordCount());
}

// Three letters in a row of some word, checked against the list itself:
// every kept word's runs are in, and a run no word has is out.
TEST(Dictionary, KnowsWhichThreeLettersRunTogetherInSomeWord) {
  for (const char* letters : {"ups", "att", "irs", "ing", "aol"}) {
    EXPECT_TRUE(AnyDictionaryWordContains(letters)) << letters;
  }
  for (const char* letters : {"dhl", "bbc", "ibm", "qqq"}) {
    EXPECT_FALSE(AnyDictionaryWordContains(letters)) << letters;
  }
  // Not three lowercase letters: no answer but false.
  for (const char* text : {"", "up", "upsx", "UPS", "u-s", "3ps"}) {
    EXPECT_FALSE(AnyDictionaryWordContains(text)) << text;
  }
  std::ifstream in(LUREGUARD_WORD_LIST);
  ASSERT_TRUE(in) << LUREGUARD_WORD_LIST << " (Debian package wamerican)";
  std::vector<bool> seen(26 * 26 * 26, false);
  for (std::string line; std::getline(in, line);) {
    const bool lowercase = std::all_of(
        line.begin(), line.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!lowercase || line.size() < 4) continue;
    for (size_t i = 0; i + 3 <= line.size(); ++i) {
      seen[((line[i] - 'a') * 26 + (line[i + 1] - 'a')) * 26 +
           (line[i + 2] - 'a')] = true;
    }
  }
  for (size_t bit = 0; bit < seen.size(); ++bit) {
    const std::string letters = {static_cast<char>('a' + bit / 676),
                                 static_cast<char>('a' + bit / 26 % 26),
                                 static_cast<char>('a' + bit % 26)};
    EXPECT_EQ(AnyDictionaryWordContains(letters), seen[bit]) << letters;
  }
}

TEST(Dictionary, LeavesOutNamesShortEntriesAndNonWords) {
  // Brand names that are no English word, proper nouns (capitalised in
  // wamerican), entries under four letters, possessives, and prefixes or
  // extensions of words.
  for (const char* word :
       {"revolut", "canva", "klarna", "tokyo", "paris", "cat", "mfr", "a",
        "motio", "motionx", "motion's", "", "Motion"}) {
    EXPECT_FALSE(IsDictionaryWord(word)) << word;
  }
}

// Every covering word the scan reports for text[begin, end).
std::vector<std::pair<size_t, size_t>> Covering(absl::string_view text,
                                                size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> words;
  AnyLongerDictionaryWordCovers(text, begin, end, [&](size_t b, size_t e) {
    words.emplace_back(b, e);
    return false;
  });
  return words;
}

TEST(Dictionary, FindsLongerWordsAroundASpan) {
  // "revolut" in "revolutionparts": "revolution" covers it.
  EXPECT_EQ(Covering("revolutionparts", 0, 7),
            (std::vector<std::pair<size_t, size_t>>{{0, 10}}));
  // "stripe" in "3stripes": "stripes".
  EXPECT_EQ(Covering("3stripes", 1, 7),
            (std::vector<std::pair<size_t, size_t>>{{1, 8}}));
  // "motion" in "promotions": "promotion", "promotions", "motions".
  EXPECT_EQ(Covering("promotions", 3, 9),
            (std::vector<std::pair<size_t, size_t>>{{0, 9}, {0, 10}, {3, 10}}));
  // The span itself is no longer word, and words beside it do not count.
  EXPECT_TRUE(Covering("paypalstore", 0, 6).empty());
  EXPECT_TRUE(Covering("stripe", 0, 6).empty());
  EXPECT_TRUE(Covering("login-revolut", 6, 13).empty());
}

TEST(Dictionary, StopsAtTheFirstWordTheCallerAccepts) {
  int calls = 0;
  EXPECT_TRUE(
      AnyLongerDictionaryWordCovers("promotions", 3, 9, [&](size_t, size_t) {
        ++calls;
        return true;
      }));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace lureguard::lookalike::internal
