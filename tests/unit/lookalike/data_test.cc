// The lookalike engine on the shared evaluation data, in ctest: false
// positives on the Tranco top 100k and the ANSSI lists, and recall on the
// real phishing hosts. Skips where ../shared/data is absent. The full
// reports (offender lists, per-brand misses) are tests/bench/lookalike_eval.

#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "server/lookalike/brand_index.h"

namespace lureguard::lookalike {
namespace {

std::vector<std::string> ReadLines(const std::string& relative) {
  std::ifstream in(std::string(LUREGUARD_DATA_DIR) + "/" + relative);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

const BrandIndex& Defaults() {
  static const BrandIndex* const index =
      new BrandIndex(*BrandIndex::Build(DefaultBrands()));
  return *index;
}

double Best(const std::vector<LookalikeMatch>& ms, const std::string& brand) {
  double best = 0;
  for (const auto& m : ms) {
    if (brand.empty() || m.brand == brand) best = std::max(best, m.weight);
  }
  return best;
}

TEST(EvalData, TopDomainsFalsePositivesWithinBudget) {
  std::vector<std::string> hosts = ReadLines("top-domains-100k.txt");
  if (hosts.empty())
    GTEST_SKIP() << "top-domains-100k.txt not in " LUREGUARD_DATA_DIR;
  int warn = 0, block = 0;
  for (std::string& host : hosts) {
    for (char& c : host) c = static_cast<char>(std::tolower(c));
    const double w = Best(Defaults().MatchHost(host, ""), "");
    if (w >= 0.5) ++warn;
    if (w >= 0.85) ++block;
  }
  const double n = static_cast<double>(hosts.size());
  std::printf("top-100k: BLOCK %d (%.3f%%), WARN+ %d (%.3f%%)\n", block,
              100 * block / n, warn, 100 * warn / n);
  EXPECT_LE(block / n, 0.0005);  // issue 5: BLOCK on <= 0.05 %
  EXPECT_LE(warn / n, 0.005);    // WARN or BLOCK on <= 0.5 %
}

TEST(EvalData, AnssiNegativesNeverWarn) {
  std::vector<std::string> hosts =
      ReadLines("typosquatting/anssi-do-not-flag.txt");
  if (hosts.empty()) GTEST_SKIP() << "ANSSI lists not in " LUREGUARD_DATA_DIR;
  for (const char* more : {"typosquatting/anssi-legit-but-flagged.txt"}) {
    for (auto& h : ReadLines(more)) hosts.push_back(h);
  }
  for (const std::string& host : hosts) {
    if (host[0] == '#') continue;
    EXPECT_LT(Best(Defaults().MatchHost(host, ""), ""), 0.5) << host;
  }
}

TEST(EvalData, RealPhishingRecall) {
  std::vector<std::string> lines =
      ReadLines("eval/brand-lookalikes-phishing.tsv");
  if (lines.size() < 2)
    GTEST_SKIP() << "phishing eval set not in " LUREGUARD_DATA_DIR;
  int right = 0, total = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], '\t');
    if (f.size() < 4) continue;
    ++total;
    if (Best(Defaults().MatchHost(f[0], ""), f[2]) >= 0.5) ++right;
  }
  const double recall = static_cast<double>(right) / total;
  std::printf("phishing recall (same brand, WARN+): %d/%d %.2f%%\n", right,
              total, 100 * recall);
  // Labels are a simple matcher's, noisy; the floor guards regressions.
  EXPECT_GE(recall, 0.95);
}

}  // namespace
}  // namespace lureguard::lookalike
