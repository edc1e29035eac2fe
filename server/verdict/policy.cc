#include "server/verdict/policy.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "server/verdict/cert_reasons.h"

namespace lureguard::verdict {
namespace {

// Heaviest first, ties in the order given. A check has a handful of
// reasons: an insertion sort moves them in place, where std::stable_sort
// takes a heap buffer each call.
void SortByWeight(std::vector<Reason>& reasons) {
  const auto heavier = [](const Reason& a, const Reason& b) {
    return a.weight > b.weight;
  };
  constexpr size_t kInsertionSortMax = 16;
  if (reasons.size() > kInsertionSortMax) {
    std::stable_sort(reasons.begin(), reasons.end(), heavier);
    return;
  }
  for (auto it = reasons.begin(); it != reasons.end(); ++it) {
    auto to = std::upper_bound(reasons.begin(), it, *it, heavier);
    std::rotate(to, it, it + 1);
  }
}

// "00".."ff": one two-digit entry per byte, so an id is written 16 bytes
// at a time rather than 32 nibbles.
constexpr std::array<char, 512> HexPairs() {
  constexpr char kHexDigits[] = "0123456789abcdef";
  std::array<char, 512> pairs{};
  for (int byte = 0; byte < 256; ++byte) {
    pairs[2 * byte] = kHexDigits[byte >> 4];
    pairs[2 * byte + 1] = kHexDigits[byte & 0xF];
  }
  return pairs;
}

// Lower is more severe. Malware harms the device whatever the user does
// next; phishing needs the user to hand over a secret; unwanted software
// and suspicious structure are the grey area.
int Severity(ThreatType type) {
  switch (type) {
    case ThreatType::kMalware:
      return 0;
    case ThreatType::kPhishing:
      return 1;
    case ThreatType::kUnwanted:
      return 2;
    case ThreatType::kSuspicious:
      return 3;
    case ThreatType::kUnspecified:
      break;
  }
  return 4;
}

void AddThreat(ThreatType type, std::vector<ThreatType>& types) {
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    types.push_back(type);
  }
}

}  // namespace

absl::Status Policy::Validate() const {
  if (!(warn_threshold >= 0 && warn_threshold <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "policy.warn_threshold: ", warn_threshold, " is outside [0, 1]"));
  }
  if (!(block_threshold >= 0 && block_threshold <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "policy.block_threshold: ", block_threshold, " is outside [0, 1]"));
  }
  if (warn_threshold > block_threshold) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy.warn_threshold: ", warn_threshold,
                     " is above policy.block_threshold ", block_threshold));
  }
  if (max_cache_ttl < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("policy.max_cache_ttl: is negative");
  }
  return absl::OkStatus();
}

Verdict Policy::Decide(std::vector<Reason> reasons,
                       absl::Duration cache_ttl_bound) const {
  Verdict verdict;
  verdict.cache_ttl =
      std::max(absl::ZeroDuration(), std::min(max_cache_ttl, cache_ttl_bound));
  SortByWeight(reasons);

  auto has = [&](ReasonCode code) {
    return std::any_of(reasons.begin(), reasons.end(),
                       [code](const Reason& r) { return r.code == code; });
  };
  if (has(ReasonCode::kAllowlistMatch)) {
    // An admin's explicit allow overrides every signal; the other reasons
    // are dropped so the verdict reads as what decided it.
    std::erase_if(reasons, [](const Reason& r) {
      return r.code != ReasonCode::kAllowlistMatch;
    });
    verdict.action = Action::kAllow;
    verdict.score = 0;
    verdict.reasons = std::move(reasons);
    return verdict;
  }

  // Certificate reasons are boosters. New, free, self-made or mismatched
  // certificates are common on honest small sites, so alone they would
  // warn about many of them; on a host that already imitates a brand or
  // looks wrong they are strong evidence. They count only alongside a
  // non-certificate reason that counts, and otherwise stay in the verdict
  // with weight 0 to explain what was looked at.
  const bool has_other_evidence = std::any_of(
      reasons.begin(), reasons.end(),
      [](const Reason& r) { return !IsCertReason(r.code) && r.weight > 0; });
  if (!has_other_evidence) {
    for (Reason& reason : reasons) {
      if (IsCertReason(reason.code)) reason.weight = 0;
    }
  }

  double clean = 1;
  for (const Reason& reason : reasons) {
    clean *= 1 - std::clamp(reason.weight, 0.0, 1.0);
  }
  verdict.score = 1 - clean;
  // Imitating a protected brand is what credential phishing does; other
  // signals only make a URL suspicious.
  const bool imitates_brand =
      std::any_of(reasons.begin(), reasons.end(), [](const Reason& r) {
        return IsLookalikeCode(r.code) && r.weight >= 0.5;
      });
  const ThreatType score_threat =
      imitates_brand ? ThreatType::kPhishing : ThreatType::kSuspicious;
  if (has(ReasonCode::kBlocklistMatch)) {
    // Each matched entry's own type; a lookalike on top adds phishing.
    verdict.action = Action::kBlock;
    for (const Reason& reason : reasons) {
      if (reason.code != ReasonCode::kBlocklistMatch) continue;
      AddThreat(reason.threat == ThreatType::kUnspecified
                    ? ThreatType::kPhishing
                    : reason.threat,
                verdict.threat_types);
    }
    if (imitates_brand) AddThreat(ThreatType::kPhishing, verdict.threat_types);
    std::stable_sort(
        verdict.threat_types.begin(), verdict.threat_types.end(),
        [](ThreatType a, ThreatType b) { return Severity(a) < Severity(b); });
  } else if (verdict.score >= block_threshold) {
    verdict.action = Action::kBlock;
    verdict.threat_types.push_back(score_threat);
  } else if (verdict.score >= warn_threshold) {
    verdict.action = Action::kWarn;
    verdict.threat_types.push_back(score_threat);
  }
  verdict.reasons = std::move(reasons);
  return verdict;
}

Verdict Policy::DecideLogin(std::vector<Reason> reasons,
                            absl::Duration cache_ttl_bound) const {
  Verdict verdict = Decide(std::move(reasons), cache_ttl_bound);
  if (verdict.action == Action::kWarn) verdict.action = Action::kChallenge;
  // A login through a relaying origin is credential phishing in progress;
  // other login signals (counters, listed IPs) only make it suspicious.
  const bool relayed = std::any_of(
      verdict.reasons.begin(), verdict.reasons.end(), [](const Reason& r) {
        return (r.code == ReasonCode::kLoginAitmOrigin ||
                r.code == ReasonCode::kLoginOriginBeacon) &&
               r.weight >= 0.5;
      });
  if (relayed && !verdict.threat_types.empty()) {
    verdict.threat_types = {ThreatType::kPhishing};
  }
  return verdict;
}

VerdictId VerdictId::New() {
  thread_local absl::InsecureBitGen generator;
  static constexpr std::array<char, 512> kHexPairs = HexPairs();
  VerdictId id;
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = absl::Uniform<uint64_t>(generator);
    for (int byte = 7; byte >= 0; --byte) {
      std::memcpy(&id.digits_[half * 16 + byte * 2],
                  &kHexPairs[2 * (bits & 0xFF)], 2);
      bits >>= 8;
    }
  }
  return id;
}

std::string NewVerdictId() { return VerdictId::New().ToString(); }

}  // namespace lureguard::verdict
