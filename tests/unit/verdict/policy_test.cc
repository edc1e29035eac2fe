#include "server/verdict/policy.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::verdict {
namespace {

Reason Weighted(ReasonCode code, double weight) {
  Reason reason;
  reason.code = code;
  reason.weight = weight;
  return reason;
}

TEST(Policy, NoReasonsIsAllowWithFullCacheTime) {
  Policy policy;
  Verdict verdict = policy.Decide({}, absl::InfiniteDuration());
  EXPECT_EQ(verdict.action, Action::kAllow);
  EXPECT_EQ(verdict.score, 0);
  EXPECT_EQ(verdict.cache_ttl, absl::Minutes(5));
  EXPECT_TRUE(verdict.threat_types.empty());
}

TEST(Policy, WeightsCombineAsNoisyOr) {
  Policy policy;
  Verdict verdict = policy.Decide({Weighted(ReasonCode::kUrlUserinfo, 0.4),
                                   Weighted(ReasonCode::kUrlIpHost, 0.3)},
                                  absl::InfiniteDuration());
  EXPECT_DOUBLE_EQ(verdict.score, 1 - 0.6 * 0.7);  // 0.58
  EXPECT_EQ(verdict.action, Action::kWarn);
  EXPECT_THAT(verdict.threat_types,
              ::testing::ElementsAre(ThreatType::kSuspicious));
  // Strongest first.
  EXPECT_EQ(verdict.reasons[0].code, ReasonCode::kUrlUserinfo);
}

// Reasons come out heaviest first, ties in the order they were given,
// for a handful (sorted in place) and for many (std::stable_sort).
TEST(Policy, SortsReasonsHeaviestFirstKeepingTheOrderOfTies) {
  Policy policy;
  for (int count : {0, 1, 2, 5, 16, 17, 40}) {
    std::vector<Reason> reasons;
    for (int i = 0; i < count; ++i) {
      Reason reason = Weighted(ReasonCode::kUrlIpHost, (i * 7 % 5) * 0.05);
      reason.detail = std::to_string(i);  // the order given
      reasons.push_back(reason);
    }
    std::vector<Reason> expected = reasons;
    std::stable_sort(
        expected.begin(), expected.end(),
        [](const Reason& a, const Reason& b) { return a.weight > b.weight; });
    const Verdict verdict = policy.Decide(reasons, absl::InfiniteDuration());
    ASSERT_EQ(verdict.reasons.size(), expected.size()) << count;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(verdict.reasons[i].detail, expected[i].detail)
          << count << " reasons, position " << i;
    }
  }
}

TEST(Policy, ThresholdsAreInclusive) {
  Policy policy;
  EXPECT_EQ(policy
                .Decide({Weighted(ReasonCode::kUrlIpHost, 0.5)},
                        absl::InfiniteDuration())
                .action,
            Action::kWarn);
  EXPECT_EQ(policy
                .Decide({Weighted(ReasonCode::kUrlIpHost, 0.85)},
                        absl::InfiniteDuration())
                .action,
            Action::kBlock);
  EXPECT_EQ(policy
                .Decide({Weighted(ReasonCode::kUrlIpHost, 0.49)},
                        absl::InfiniteDuration())
                .action,
            Action::kAllow);
}

TEST(Policy, BlocklistMatchBlocksWhateverTheScore) {
  Policy policy;
  policy.block_threshold = 1.0;
  Verdict verdict = policy.Decide({Weighted(ReasonCode::kBlocklistMatch, 0.2)},
                                  absl::InfiniteDuration());
  EXPECT_EQ(verdict.action, Action::kBlock);
  EXPECT_THAT(verdict.threat_types,
              ::testing::ElementsAre(ThreatType::kPhishing));
}

Reason Listed(ThreatType threat) {
  Reason reason = Weighted(ReasonCode::kBlocklistMatch, 1.0);
  reason.threat = threat;
  return reason;
}

TEST(Policy, ThreatTypesFollowTheMatchedEntriesMostSevereFirst) {
  Policy policy;
  EXPECT_THAT(
      policy.Decide({Listed(ThreatType::kMalware)}, absl::InfiniteDuration())
          .threat_types,
      ::testing::ElementsAre(ThreatType::kMalware));
  EXPECT_THAT(
      policy.Decide({Listed(ThreatType::kUnwanted)}, absl::InfiniteDuration())
          .threat_types,
      ::testing::ElementsAre(ThreatType::kUnwanted));
  // Several entries (an admin's and two feeds'): each type once, malware
  // before phishing before unwanted whatever the order of the reasons.
  Verdict verdict = policy.Decide(
      {Listed(ThreatType::kUnwanted), Listed(ThreatType::kPhishing),
       Listed(ThreatType::kMalware), Listed(ThreatType::kUnwanted)},
      absl::InfiniteDuration());
  EXPECT_EQ(verdict.action, Action::kBlock);
  EXPECT_THAT(
      verdict.threat_types,
      ::testing::ElementsAre(ThreatType::kMalware, ThreatType::kPhishing,
                             ThreatType::kUnwanted));
}

TEST(Policy, ALookalikeOnAListedUrlAddsPhishingAfterMalware) {
  Policy policy;
  Verdict verdict = policy.Decide(
      {Listed(ThreatType::kUnwanted), Weighted(ReasonCode::kLookalikeTypo, 0.7),
       Listed(ThreatType::kMalware)},
      absl::InfiniteDuration());
  EXPECT_THAT(
      verdict.threat_types,
      ::testing::ElementsAre(ThreatType::kMalware, ThreatType::kPhishing,
                             ThreatType::kUnwanted));
}

TEST(Policy, AllowlistMatchOverridesEverythingAndKeepsOnlyItsReason) {
  Policy policy;
  Verdict verdict = policy.Decide({Weighted(ReasonCode::kBlocklistMatch, 1.0),
                                   Weighted(ReasonCode::kUrlUserinfo, 0.4),
                                   Weighted(ReasonCode::kAllowlistMatch, 0.0)},
                                  absl::InfiniteDuration());
  EXPECT_EQ(verdict.action, Action::kAllow);
  EXPECT_EQ(verdict.score, 0);
  ASSERT_EQ(verdict.reasons.size(), 1u);
  EXPECT_EQ(verdict.reasons[0].code, ReasonCode::kAllowlistMatch);
}

TEST(Policy, CacheTtlIsBoundedByTheCallerAndNeverNegative) {
  Policy policy;
  EXPECT_EQ(policy.Decide({}, absl::Seconds(42)).cache_ttl, absl::Seconds(42));
  EXPECT_EQ(policy.Decide({}, -absl::Seconds(3)).cache_ttl,
            absl::ZeroDuration());
}

TEST(Policy, ValidateNamesTheField) {
  Policy policy;
  EXPECT_TRUE(policy.Validate().ok());
  policy.warn_threshold = 0.9;
  EXPECT_EQ(policy.Validate().message(),
            "policy.warn_threshold: 0.9 is above policy.block_threshold 0.85");
  policy = Policy();
  policy.block_threshold = 1.5;
  EXPECT_EQ(policy.Validate().message(),
            "policy.block_threshold: 1.5 is outside [0, 1]");
}

TEST(Policy, LoginChecksChallengeWhereUrlChecksWarn) {
  Policy policy;
  Verdict middle = policy.DecideLogin(
      {Weighted(ReasonCode::kLoginIpListed, 0.6)}, absl::InfiniteDuration());
  EXPECT_EQ(middle.action, Action::kChallenge);
  EXPECT_THAT(middle.threat_types,
              ::testing::ElementsAre(ThreatType::kSuspicious));
  Verdict high =
      policy.DecideLogin({Weighted(ReasonCode::kLoginAitmOrigin, 0.6),
                          Weighted(ReasonCode::kLoginBreachedPassword, 0.6),
                          Weighted(ReasonCode::kLoginClientMismatch, 0.6)},
                         absl::InfiniteDuration());
  EXPECT_DOUBLE_EQ(high.score, 1 - 0.4 * 0.4 * 0.4);
  EXPECT_EQ(high.action, Action::kBlock);
  EXPECT_THAT(high.threat_types, ::testing::ElementsAre(ThreatType::kPhishing));
  EXPECT_EQ(policy.DecideLogin({}, absl::InfiniteDuration()).action,
            Action::kAllow);
}

TEST(NewVerdictId, IsThirtyTwoLowercaseHexDigitsAndNeverRepeats) {
  absl::flat_hash_set<std::string> seen;
  std::set<char> digits;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewVerdictId();
    ASSERT_THAT(id, ::testing::MatchesRegex("[0-9a-f]{32}"));
    EXPECT_TRUE(seen.insert(id).second) << id;
    digits.insert(id.begin(), id.end());
  }
  // All 16 digits turn up in 32,000 random ones: a digit table with a gap
  // would show here.
  EXPECT_EQ(digits.size(), 16u);
}

}  // namespace
}  // namespace lureguard::verdict
