#include "server/verdict/url_reasons.h"

#include "absl/strings/str_cat.h"
#include "server/lists/entry_value.h"

namespace lureguard::verdict {
namespace {

struct SignalRule {
  url::UrlSignal signal;
  ReasonCode code;
  // Confidence that a URL with only this signal is malicious. These are
  // priors to be calibrated on labelled data: alone, none of them reaches
  // the WARN threshold except the parser differential (an attempt to make
  // two parsers disagree has no benign use); together, several do.
  double weight;
  const char* detail;
};

constexpr SignalRule kSignalRules[] = {
    {url::UrlSignal::kIpHost, ReasonCode::kUrlIpHost, 0.3,
     "The link points to a bare IP address instead of a domain name."},
    {url::UrlSignal::kUserinfo, ReasonCode::kUrlUserinfo, 0.4,
     "The link puts a user name before the host, which can make another "
     "site's name appear first."},
    {url::UrlSignal::kManyAt, ReasonCode::kUrlManyAt, 0.3,
     "The link contains several '@' characters."},
    {url::UrlSignal::kEncodedHost, ReasonCode::kUrlEncodedHost, 0.45,
     "The host is written in an encoded form that hides where the link "
     "goes."},
    {url::UrlSignal::kLong, ReasonCode::kUrlLong, 0.05,
     "The link is unusually long."},
    {url::UrlSignal::kManySubdomains, ReasonCode::kUrlManySubdomains, 0.1,
     "The host has an unusual number of subdomains."},
    {url::UrlSignal::kPunycode, ReasonCode::kUrlPunycode, 0.1,
     "The host contains internationalized (punycode) labels."},
    {url::UrlSignal::kInvisibleCharacters, ReasonCode::kUrlInvisibleCharacters,
     0.4, "The link contains invisible or text-direction characters."},
    {url::UrlSignal::kNestedUrl, ReasonCode::kUrlNestedUrl, 0.1,
     "The link carries another link in its query, as redirectors do."},
    {url::UrlSignal::kParserDifferential, ReasonCode::kUrlParserDifferential,
     0.6,
     "Different URL parsers see different hosts in this link, a known "
     "evasion."},
};

}  // namespace

std::vector<Reason> StructuralReasons(const url::UrlAnalysis& url) {
  std::vector<Reason> reasons;
  for (url::UrlSignal signal : url.signals) {
    for (const SignalRule& rule : kSignalRules) {
      if (rule.signal != signal) continue;
      Reason reason;
      reason.code = rule.code;
      reason.technique = std::string(url::SignalName(signal));
      reason.weight = rule.weight;
      reason.detail = rule.detail;
      if (signal == url::UrlSignal::kParserDifferential &&
          !url.alternate_hosts.empty()) {
        reason.matched = url.alternate_hosts.front();
      }
      reasons.push_back(std::move(reason));
    }
  }
  return reasons;
}

namespace {

ThreatType ToVerdictThreat(store::ThreatType threat) {
  switch (threat) {
    case store::ThreatType::kPhishing:
      return ThreatType::kPhishing;
    case store::ThreatType::kMalware:
      return ThreatType::kMalware;
    case store::ThreatType::kUnwanted:
      return ThreatType::kUnwanted;
  }
  return ThreatType::kPhishing;
}

}  // namespace

Reason ListMatchReason(const lists::ListMatch& match) {
  const bool block = match.list == store::ListType::kBlock;
  Reason reason;
  reason.code =
      block ? ReasonCode::kBlocklistMatch : ReasonCode::kAllowlistMatch;
  reason.technique = std::string(match.technique);
  reason.matched = match.value;
  reason.source = std::string(match.source);
  // An allow entry's type says nothing about the URL it lets through.
  if (block) reason.threat = ToVerdictThreat(match.threat);
  reason.weight = block ? 1.0 : 0.0;
  reason.detail = absl::StrCat(
      block ? "On the block list" : "On the allow list", " as ",
      lists::EntryKindName(match.kind), " entry '", match.value, "' (",
      match.source, match.reason.empty() ? "" : ": ", match.reason, ").");
  return reason;
}

Reason LookalikeReason(const lookalike::LookalikeMatch& match) {
  Reason reason;
  switch (match.technique) {
    case lookalike::Technique::kHomoglyph:
      reason.code = ReasonCode::kLookalikeHomoglyph;
      break;
    case lookalike::Technique::kTypo:
      reason.code = ReasonCode::kLookalikeTypo;
      break;
    case lookalike::Technique::kSeparator:
      reason.code = ReasonCode::kLookalikeSeparator;
      break;
    case lookalike::Technique::kCombosquat:
      reason.code = ReasonCode::kLookalikeCombosquat;
      break;
    case lookalike::Technique::kTargetEmbedding:
      reason.code = ReasonCode::kLookalikeTargetEmbedding;
      break;
    case lookalike::Technique::kTldSwap:
      reason.code = ReasonCode::kLookalikeTldSwap;
      break;
    case lookalike::Technique::kIdnSpoof:
      reason.code = ReasonCode::kIdnSpoof;
      break;
    case lookalike::Technique::kHostingPlatform:
      reason.code = ReasonCode::kLookalikeHostingPlatform;
      break;
  }
  reason.technique = match.technique_name;
  reason.brand = match.brand;
  reason.matched = match.official_domain;
  reason.weight = match.weight;
  reason.detail =
      absl::StrCat("Imitates ", match.brand, " (", match.official_domain,
                   "): ", match.evidence, ".");
  return reason;
}

}  // namespace lureguard::verdict
