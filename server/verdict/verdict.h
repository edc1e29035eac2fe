// The engine's verdict types: what every check returns, independent of the
// wire format. The service layer maps them one to one onto
// lureguard.v1.Verdict.
//
// Each signal source emits Reasons with its own calibrated weight and never
// picks the action; the policy (policy.h) combines them.

#ifndef LUREGUARD_SERVER_VERDICT_VERDICT_H_
#define LUREGUARD_SERVER_VERDICT_VERDICT_H_

#include <array>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::verdict {

// Mirrors lureguard.v1.Action.
enum class Action { kAllow = 1, kWarn = 2, kChallenge = 3, kBlock = 4 };

// Mirrors lureguard.v1.ThreatType (same numbers).
enum class ThreatType {
  kUnspecified = 0,
  kPhishing = 1,
  kMalware = 2,
  kSuspicious = 3,
  kUnwanted = 4,
};

// Mirrors lureguard.v1.ReasonCode (same numbers).
enum class ReasonCode {
  kBlocklistMatch = 1,
  kAllowlistMatch = 2,
  kUrlIpHost = 20,
  kUrlUserinfo = 21,
  kUrlManyAt = 22,
  kUrlEncodedHost = 23,
  kUrlLong = 24,
  kUrlManySubdomains = 25,
  kUrlPunycode = 26,
  kUrlInvisibleCharacters = 27,
  kUrlNestedUrl = 28,
  kUrlParserDifferential = 29,
  kUrlNonWebScheme = 30,
  kUrlRedirectsTo = 31,
  kLookalikeHomoglyph = 40,
  kLookalikeTypo = 41,
  kLookalikeSeparator = 42,
  kLookalikeCombosquat = 43,
  kLookalikeTargetEmbedding = 44,
  kLookalikeTldSwap = 45,
  kIdnSpoof = 46,
  kLookalikeHostingPlatform = 47,
  kCertNew = 50,
  kCertSelfSigned = 51,
  kCertNameMismatch = 52,
  kCertUntrusted = 53,
  kCertBrandSans = 54,
  kCertExpired = 55,
  kCertBrandOwned = 56,
  kLoginAitmOrigin = 60,
  kLoginIpListed = 61,
  kLoginBruteForce = 62,
  kLoginPasswordSpray = 63,
  kLoginIpDailyFailures = 64,
  kLoginAccountUnderAttack = 65,
  kLoginBreachedPassword = 66,
  kLoginClientMismatch = 67,
  kLoginOriginBeacon = 68,
  kLoginCountersUnavailable = 69,
  kCertCtLookalike = 57,
  kLinkTextMismatch = 70,
  kLinkWrapped = 71,
  kLinkWrapTooDeep = 72,
  kLinkWrapperMalformed = 73,
  kMailSenderLookalike = 80,
  kMailDisplayNameSpoof = 81,
  kMailReplyToDiverges = 82,
  kMailAuthFailed = 83,
  kMailCredentialForm = 84,
  kMailAttachmentRedirect = 85,
  kMailObfuscatedContent = 86,
  kMailRecipientPrefilled = 87,
  kMailBrandInPage = 88,
  kMailExfiltrationApi = 89,
};

// The codes that say a host imitates a protected brand (40-47): the
// lookalike techniques and IDN spoofs.
inline bool IsLookalikeCode(ReasonCode code) {
  const int value = static_cast<int>(code);
  return value >= static_cast<int>(ReasonCode::kLookalikeHomoglyph) &&
         value <= static_cast<int>(ReasonCode::kLookalikeHostingPlatform);
}

// One piece of evidence.
struct Reason {
  ReasonCode code = ReasonCode::kBlocklistMatch;
  std::string technique;
  std::string brand;
  std::string matched;
  double weight = 0;  // the source's confidence, in [0, 1]
  std::string detail;
  std::string source;
  // What the block-list entry lists (block-list matches only;
  // kUnspecified otherwise); the policy puts it in the verdict's types.
  ThreatType threat = ThreatType::kUnspecified;
  // Message verdicts: where in the message (a MIME part path or a header
  // name), the attachment's file name, and the URL the reason is about.
  std::string part;
  std::string filename;
  std::string url;
};

// The decision and its evidence.
struct Verdict {
  Action action = Action::kAllow;
  // Each type once, most severe first: malware, phishing, unwanted,
  // suspicious. Empty when the action is ALLOW.
  std::vector<ThreatType> threat_types;
  double score = 0;
  std::vector<Reason> reasons;
  absl::Duration cache_ttl = absl::ZeroDuration();
  std::string verdict_id;
  bool degraded = false;
};

// A random verdict id, for logs and support: 32 lowercase hex digits held
// in place. Every URL check makes one, most only to write it to the wire
// once, where a std::string of 32 bytes would cost a heap allocation.
class VerdictId {
 public:
  static constexpr size_t kDigits = 32;

  // A fresh id from a per-thread generator (not for secrets).
  static VerdictId New();

  absl::string_view view() const { return {digits_.data(), digits_.size()}; }
  std::string ToString() const { return std::string(view()); }

  friend bool operator==(const VerdictId&, const VerdictId&) = default;

 private:
  VerdictId() = default;

  std::array<char, kDigits> digits_;
};

// VerdictId::New() as a string.
std::string NewVerdictId();

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_VERDICT_H_
