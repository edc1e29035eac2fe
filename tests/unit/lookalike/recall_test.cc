// Recall of the default brands against our own dnstwist-style permutation
// generator (permutations.h): issue 5 asks that >= 98 % of the permutations
// of brands with labels of 5+ characters get a match naming the right brand
// with a weight of at least 0.5 (the verdict's WARN).

#include <map>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "server/lookalike/brand_index.h"
#include "tests/unit/lookalike/permutations.h"

namespace lureguard::lookalike {
namespace {

TEST(Recall, PermutationsOfDefaultBrandsAreCaught) {
  absl::StatusOr<BrandIndex> index = BrandIndex::Build(DefaultBrands());
  ASSERT_TRUE(index.ok()) << index.status();
  std::map<std::string, std::pair<int, int>> per_fuzzer;  // caught, total
  int caught = 0, total = 0;
  for (const Brand& brand : DefaultBrands()) {
    for (const std::string& token : brand.tokens) {
      if (token.size() < 5) continue;
      std::string suffix = "com";
      for (const std::string& d : brand.domains) {
        if (d.rfind(token + ".", 0) == 0) {
          suffix = d.substr(token.size() + 1);
          break;
        }
      }
      for (const testing::Permutation& p :
           testing::Permutations(token, suffix)) {
        if (testing::OutOfReach(p.host)) continue;
        bool hit = false;
        for (const LookalikeMatch& m : index->MatchHost(p.host, "")) {
          if (m.brand == brand.name && m.weight >= 0.5) hit = true;
        }
        auto& counts = per_fuzzer[p.fuzzer];
        ++counts.second;
        ++total;
        if (hit) {
          ++counts.first;
          ++caught;
        }
      }
    }
  }
  ASSERT_GT(total, 10000);
  for (const auto& [fuzzer, counts] : per_fuzzer) {
    const double recall = static_cast<double>(counts.first) / counts.second;
    std::printf("recall %-18s %5d/%-5d %.2f%%\n", fuzzer.c_str(), counts.first,
                counts.second, 100 * recall);
    // Every fuzzer well caught; the few below 98 % lose to the dictionary
    // guard ("ledgers", "aple") or to tokens that are words ("outlook.net").
    EXPECT_GE(recall, 0.90) << fuzzer;
  }
  const double recall = static_cast<double>(caught) / total;
  std::printf("recall total %d/%d %.2f%%\n", caught, total, 100 * recall);
  EXPECT_GE(recall, 0.98);
}

TEST(Recall, EveryFuzzerProducesPermutations) {
  std::map<std::string, int> seen;
  for (const testing::Permutation& p : testing::Permutations("paypal", "com")) {
    ++seen[p.fuzzer];
  }
  for (const std::string& name : testing::FuzzerNames()) {
    if (name == "whole-script") continue;  // checked with "apple" below
    EXPECT_GT(seen[name], 0) << name;
  }
  const auto apple = testing::Permutations("apple", "com");
  bool whole = false;
  for (const auto& p : apple) whole |= p.fuzzer == "whole-script";
  EXPECT_TRUE(whole);
}

}  // namespace
}  // namespace lureguard::lookalike
