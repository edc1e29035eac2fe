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

// Runs of children are compared 16 edge bytes at a time: nodes of every
// width from 1 to 256 children, with bytes above 127 (signed chars) and
// 0, and runs that end next to other nodes' bytes or the array's end.
TEST(AhoCorasick, FindsEveryChildOfNodesOfAnyWidth) {
  AhoCorasick ac;
  std::vector<std::string> patterns;
  for (int width = 1; width <= 256; width += (width < 40 ? 1 : 27)) {
    // Node "w" + byte(width) has `width` children, bytes 255 downwards.
    const std::string parent = {'w', static_cast<char>(width)};
    for (int c = 0; c < width; ++c) {
      std::string p = parent;
      p.push_back(static_cast<char>(255 - c));
      if (ac.Add(p) == patterns.size()) patterns.push_back(p);
    }
  }
  ac.Finish();
  for (uint32_t p = 0; p < patterns.size(); ++p) {
    std::vector<uint32_t> found;
    ac.Scan(patterns[p],
            [&](size_t, uint32_t q, uint32_t) { found.push_back(q); });
    ASSERT_EQ(found, std::vector<uint32_t>{p}) << p;
    // One byte off: no pattern ends there (the children are 255 - c for
    // c < width, so the byte below the smallest is absent, unless all 256
    // are children).
    if (static_cast<uint8_t>(patterns[p][1]) == 0) continue;  // 256 wraps
    std::string other = patterns[p].substr(0, 2);
    other.push_back(static_cast<char>(255 - static_cast<uint8_t>(other[1])));
    found.clear();
    ac.Scan(other, [&](size_t, uint32_t q, uint32_t) { found.push_back(q); });
    EXPECT_TRUE(found.empty()) << p;
  }
}

}  // namespace
}  // namespace lureguard::lookalike::internal
