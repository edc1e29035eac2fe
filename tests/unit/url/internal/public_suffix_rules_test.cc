// The rule tables answer as libpsl does: on a small list for each kind of
// rule, and on the installed list against libpsl loaded from the same file,
// for names built from every rule and for real domains.

#include "server/url/internal/public_suffix_rules.h"

#include <libpsl.h>

#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/url/internal/idna.h"

namespace lureguard::url::internal {
namespace {

constexpr char kList[] = R"(// comment line
com
co.uk
*.ck
!www.ck
// ===BEGIN PRIVATE DOMAINS===
github.io
forgot.his.name
name
公司.cn
cn
)";

size_t SuffixLength(const PublicSuffixRules& rules, std::string_view host) {
  return rules.PublicSuffixLength(host);
}

TEST(PublicSuffixRules, ExactRulesAndTheLongestTail) {
  const PublicSuffixRules rules = PublicSuffixRules::Parse(kList);
  EXPECT_EQ(SuffixLength(rules, "www.example.co.uk"), 5u);  // co.uk
  EXPECT_EQ(SuffixLength(rules, "a.b.example.com"), 3u);
  EXPECT_EQ(SuffixLength(rules, "ealjim.github.io"), 9u);  // github.io
  EXPECT_EQ(SuffixLength(rules, "co.uk"), 5u);
}

TEST(PublicSuffixRules, WildcardsAndTheirExceptions) {
  const PublicSuffixRules rules = PublicSuffixRules::Parse(kList);
  EXPECT_TRUE(rules.IsPublicSuffix("anything.ck"));
  EXPECT_EQ(SuffixLength(rules, "shop.anything.ck"), 11u);
  EXPECT_FALSE(rules.IsPublicSuffix("www.ck"));
  EXPECT_EQ(SuffixLength(rules, "www.ck"), 2u);  // ck: www.ck is a site
}

TEST(PublicSuffixRules, AWildcardsParentIsAPublicSuffixAsInLibpsl) {
  const PublicSuffixRules rules =
      PublicSuffixRules::Parse("jp\n*.kawasaki.jp\n!city.kawasaki.jp\n");
  EXPECT_TRUE(rules.IsPublicSuffix("kawasaki.jp"));
  EXPECT_EQ(SuffixLength(rules, "kawasaki.jp"), 11u);
  EXPECT_EQ(SuffixLength(rules, "x.city.kawasaki.jp"), 11u);
  EXPECT_EQ(SuffixLength(rules, "shop.x.kawasaki.jp"), 13u);
}

TEST(PublicSuffixRules, UnlistedNamesFallToTheImplicitStarRule) {
  const PublicSuffixRules rules = PublicSuffixRules::Parse(kList);
  EXPECT_EQ(SuffixLength(rules, "example.unlisted"), 8u);
  EXPECT_TRUE(rules.IsPublicSuffix("unlisted"));
  EXPECT_FALSE(rules.IsPublicSuffix("his.name"));
  // Left to right: a listed tail wins though its parent is not listed.
  EXPECT_EQ(SuffixLength(rules, "me.forgot.his.name"), 15u);
  EXPECT_EQ(SuffixLength(rules, ""), 0u);
}

TEST(PublicSuffixRules, UnicodeRulesMatchPunycodeHosts) {
  const PublicSuffixRules rules = PublicSuffixRules::Parse(kList);
  std::string ascii;
  ASSERT_TRUE(DomainToAscii("公司.cn", &ascii));
  EXPECT_TRUE(rules.IsPublicSuffix(ascii));
  EXPECT_EQ(SuffixLength(rules, "shop." + ascii), ascii.size());
}

TEST(PublicSuffixRules, AMissingFileIsNoRules) {
  EXPECT_FALSE(PublicSuffixRules::Load("/nonexistent/list.dat").has_value());
}

// Names that probe each rule of the installed list: the rule's own name,
// one and two labels under it, and its parent; wildcard and exception rules
// in the forms that exercise them.
std::vector<std::string> NamesFromRules(const std::string& path) {
  std::vector<std::string> names;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    std::string_view rule = line;
    rule = rule.substr(0, rule.find_first_of(" \t\r"));
    if (rule.empty() || rule.starts_with("//")) continue;
    if (rule.starts_with("!")) rule.remove_prefix(1);
    if (rule.starts_with("*.")) rule.remove_prefix(2);
    std::string ascii;
    if (!DomainToAscii(rule, &ascii)) continue;
    names.push_back(ascii);
    names.push_back("x." + ascii);
    names.push_back("www.x." + ascii);
    names.push_back("www." + ascii);
    const size_t dot = ascii.find('.');
    if (dot != std::string::npos) names.push_back(ascii.substr(dot + 1));
  }
  return names;
}

std::vector<std::string> DataDomains() {
  std::vector<std::string> names;
  for (const char* file : {"top-domains-100k.txt", "phishing-domains.txt"}) {
    std::ifstream in(absl::StrCat(LUREGUARD_DATA_DIR, "/", file));
    std::string line;
    while (std::getline(in, line)) {
      std::string ascii;
      if (!line.empty() && DomainToAscii(line, &ascii)) {
        names.push_back(ascii);
        names.push_back("login." + ascii);
      }
    }
  }
  return names;
}

class InstalledList : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<PublicSuffixRules> loaded =
        PublicSuffixRules::Load(kPublicSuffixListPath);
    // scripts/setup installs the publicsuffix package: its absence is a
    // broken install, not a reason to skip.
    ASSERT_TRUE(loaded.has_value()) << kPublicSuffixListPath;
    rules_ = std::move(*loaded);
    psl_ = psl_load_file(kPublicSuffixListPath);
    ASSERT_NE(psl_, nullptr);
  }
  void TearDown() override { psl_free(psl_); }

  // The number of `names` on which the tables and libpsl differ, with the
  // first few listed.
  int Disagreements(const std::vector<std::string>& names) {
    int differ = 0;
    for (const std::string& name : names) {
      const char* found = psl_unregistrable_domain(psl_, name.c_str());
      const size_t expected = found == nullptr ? 0 : std::strlen(found);
      const size_t got = rules_->PublicSuffixLength(name);
      if (got != expected && ++differ <= 10) {
        ADD_FAILURE() << name << ": libpsl " << expected << ", tables " << got;
      }
    }
    return differ;
  }

  std::optional<PublicSuffixRules> rules_;
  psl_ctx_t* psl_ = nullptr;
};

TEST_F(InstalledList, AgreesWithLibpslOnNamesFromEveryRule) {
  const std::vector<std::string> names = NamesFromRules(kPublicSuffixListPath);
  ASSERT_GT(names.size(), 30000u);
  EXPECT_EQ(Disagreements(names), 0) << "of " << names.size();
}

TEST_F(InstalledList, AgreesWithLibpslOnRealDomains) {
  const std::vector<std::string> names = DataDomains();
  if (names.empty()) {
    GTEST_SKIP() << "no data set in " << LUREGUARD_DATA_DIR;
  }
  EXPECT_EQ(Disagreements(names), 0) << "of " << names.size();
}

}  // namespace
}  // namespace lureguard::url::internal
