#include "server/lookalike/internal/aho_corasick.h"

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

}  // namespace
}  // namespace lureguard::lookalike::internal
