#include "server/lookalike/internal/aho_corasick.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

using ::testing::UnorderedElementsAre;

TEST(AhoCorasick, FindsOverlappingPatterns) {
  AhoCorasick ac;
  const uint32_t he = ac.Add("he");
  const uint32_t she = ac.Add("she");
  const uint32_t hers = ac.Add("hers");
  EXPECT_EQ(ac.Add("he"), he);
  ac.Finish();
  std::vector<std::pair<size_t, uint32_t>> found;
  ac.Scan("ushers", [&](size_t end, uint32_t p, uint32_t length) {
    found.emplace_back(end - length, p);
  });
  EXPECT_THAT(found,
              UnorderedElementsAre(std::pair<size_t, uint32_t>{1, she},
                                   std::pair<size_t, uint32_t>{2, he},
                                   std::pair<size_t, uint32_t>{2, hers}));
}

TEST(AhoCorasick, FindsBrandTokensInsideLabels) {
  AhoCorasick ac;
  const uint32_t amazon = ac.Add("arnazon");  // skeleton of "amazon"
  ac.Add("paypal");
  ac.Finish();
  std::vector<uint32_t> found;
  ac.Scan("tosetuparnazoncarcl",
          [&](size_t, uint32_t p, uint32_t) { found.push_back(p); });
  EXPECT_THAT(found, UnorderedElementsAre(amazon));
}

// Children are kept as consecutive runs after a breadth-first renumbering:
// with 30 letters and 2,000 patterns, nodes have many children.
TEST(AhoCorasick, AgreesWithANaiveSearchOnWideTries) {
  std::mt19937 random(3);
  std::uniform_int_distribution<int> letter(0, 29), length(1, 5);
  auto word = [&](int n) {
    std::string w;
    for (int i = 0; i < n; ++i)
      w.push_back(static_cast<char>('0' + letter(random)));
    return w;
  };
  AhoCorasick ac;
  std::vector<std::string> patterns;
  for (int i = 0; i < 2000; ++i) {
    std::string p = word(length(random));
    if (ac.Add(p) == patterns.size()) patterns.push_back(p);
  }
  ac.Finish();
  for (int round = 0; round < 200; ++round) {
    const std::string text = word(40);
    std::vector<std::pair<size_t, uint32_t>> found, expected;
    ac.Scan(text, [&](size_t end, uint32_t p, uint32_t n) {
      ASSERT_EQ(n, patterns[p].size());
      found.emplace_back(end - n, p);
    });
    for (uint32_t p = 0; p < patterns.size(); ++p) {
      for (size_t at = text.find(patterns[p]); at != std::string::npos;
           at = text.find(patterns[p], at + 1)) {
        expected.emplace_back(at, p);
      }
    }
    std::sort(found.begin(), found.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(found, expected) << text;
  }
}

}  // namespace
}  // namespace lureguard::lookalike::internal
