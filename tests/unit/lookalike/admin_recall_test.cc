// Recall on brands an admin adds (issue #19 item 1), in ctest: held-out
// dnstwist and extended-Latin lookalikes of 50 brands that are not among
// the defaults (tests/data/lookalike, made by
// tests/bench/make_admin_lookalikes.py), and false positives on the Tranco
// top 100k with those brands protected. The per-fuzzer report
// and the misses: `lookalike_eval admin -v`.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/lookalike/brand_index.h"
#include "tests/unit/lookalike/admin_eval_set.h"

namespace lureguard::lookalike {
namespace {

const std::string kSetDir =
    std::string(LUREGUARD_SOURCE_DIR) + "/tests/data/lookalike";

const std::vector<Brand>& AdminBrands() {
  static const auto* const brands =
      new std::vector<Brand>(*testing::LoadAdminBrands(kSetDir));
  return *brands;
}

const BrandIndex& AdminIndex() {
  static const BrandIndex* const index =
      new BrandIndex(*BrandIndex::Build(AdminBrands()));
  return *index;
}

TEST(AdminBrands, SetLoadsAsTheAdminRpcStoresIt) {
  absl::StatusOr<std::vector<Brand>> brands = testing::LoadAdminBrands(kSetDir);
  ASSERT_TRUE(brands.ok()) << brands.status();
  // 50 admin brands on top of the defaults, each with one domain and no
  // token words, as `brands add NAME --domain D` leaves them.
  ASSERT_EQ(brands->size(), DefaultBrands().size() + 50);
  const Brand& last = brands->back();
  EXPECT_EQ(last.name, "Societe Generale");
  EXPECT_EQ(last.domains, std::vector<std::string>{"societegenerale.fr"});
  EXPECT_TRUE(last.tokens.empty());
}

TEST(AdminBrands, RecallOnHeldOutLookalikesIsAtLeast98Percent) {
  absl::StatusOr<std::vector<testing::AdminLookalike>> rows =
      testing::LoadAdminLookalikes(kSetDir);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_GT(rows->size(), 10000u);
  const testing::AdminRecall recall =
      testing::ScoreAdminLookalikes(AdminIndex(), AdminBrands(), *rows);
  for (const auto& [name, t] : recall.split) {
    std::printf("%s: %d/%d %.2f%%\n", name.c_str(), t.hits, t.total,
                100 * t.Recall());
    EXPECT_GE(t.Recall(), 0.98) << name;
  }
  EXPECT_GE(recall.in_scope.Recall(), 0.98);
  // Every technique holds its own, not only the total.
  for (const auto& [name, t] : recall.fuzzer) {
    EXPECT_GE(t.Recall(), 0.9) << name << " " << t.hits << "/" << t.total;
  }
}

// The budgets (WARN+ <= 0.5 %, BLOCK <= 0.05 % of the top 100k)
// are the default brands' (EvalData.TopDomainsFalsePositivesWithinBudget,
// `lookalike_eval fp`). With these 50 brands added as one domain each, the
// BLOCK budget holds; WARN+ was 0.70 % after the issue #19 rules, 0.62 %
// with the dictionary and infrastructure-word guards, 0.583 % with the
// four-letter, stem-edit and beacon guards, 0.584 % with hyphens read as
// separators (ntt-west.co.jp for NatWest), 0.563 % once another letter
// before the word of a product name (qcloud for iCloud) and names under
// vetted suffixes (okta.mil) were no lookalikes, and is 0.545 % since a
// domain label that is an English word counts inside a longer label only
// beside lure words ("trybooking", "legalzoom")
// (`LOOKALIKE_ADMIN_BRANDS=1 lookalike_eval fp`): of the 277 hosts these
// brands add, 136 are their labels under other suffixes (airbnb.fr,
// zalando.nl) and about 60 more their own hosts (zalando-lounge.de,
// cloudflarestatus.com), which an admin protects with one --domain per
// domain; see server/lookalike/README.md. The guard holds the measured
// rate, not yet the budget.
TEST(AdminBrands, TopDomainsBlockWithinBudget) {
  std::ifstream in(std::string(LUREGUARD_DATA_DIR) + "/top-domains-100k.txt");
  std::vector<std::string> hosts;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) hosts.push_back(line);
  }
  if (hosts.empty())
    GTEST_SKIP() << "top-domains-100k.txt not in " LUREGUARD_DATA_DIR;
  int warn = 0, block = 0;
  for (std::string& host : hosts) {
    for (char& c : host) c = static_cast<char>(std::tolower(c));
    double best = 0;
    for (const LookalikeMatch& m : AdminIndex().MatchHost(host, "")) {
      best = std::max(best, m.weight);
    }
    if (best >= 0.5) ++warn;
    if (best >= 0.85) ++block;
  }
  const double n = static_cast<double>(hosts.size());
  std::printf(
      "top-100k with admin brands: BLOCK %d (%.3f%%), WARN+ %d (%.3f%%)\n",
      block, 100 * block / n, warn, 100 * warn / n);
  EXPECT_LE(block / n, 0.0005);  // BLOCK on <= 0.05 %
  EXPECT_LE(warn / n, 0.0055);   // see above: 0.545 % measured
}

}  // namespace
}  // namespace lureguard::lookalike
