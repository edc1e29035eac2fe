#include "server/verdict/engine.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "server/verdict/cert_reasons.h"
#include "server/verdict/ct_alert_reason.h"
#include "server/verdict/url_reasons.h"

namespace lureguard::verdict {
namespace {

// Non-web URLs cannot be looked up, but `javascript:` and `data:` links
// run or render attacker content in place of a page, so they are worth a
// warning on their own.
double NonWebSchemeWeight(absl::string_view scheme) {
  if (scheme == "javascript" || scheme == "data" || scheme == "vbscript") {
    return 0.6;
  }
  return 0;
}

bool HasListMatch(const std::vector<Reason>& reasons) {
  return std::any_of(reasons.begin(), reasons.end(), [](const Reason& r) {
    return r.code == ReasonCode::kAllowlistMatch ||
           r.code == ReasonCode::kBlocklistMatch;
  });
}

bool HasEvidence(const std::vector<Reason>& reasons) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [](const Reason& r) { return r.weight > 0; });
}

}  // namespace

// A list match decides on its own, so its certificate is never worth a
// probe; otherwise a host is probed when something already points at it.
bool Engine::WantsCertificate(const url::UrlAnalysis& url,
                              const std::vector<Reason>& reasons) const {
  if (certs_.probes == nullptr || !url.is_web || url.scheme != "https" ||
      HasListMatch(reasons)) {
    return false;
  }
  return certs_.probe_unknown_hosts || HasEvidence(reasons);
}

Engine::Engine(const Clock& clock, CertSignals certs)
    : clock_(clock), certs_(certs) {}

void Engine::Publish(std::shared_ptr<const EngineSnapshot> snapshot) {
  snapshot_.store(std::move(snapshot), std::memory_order_release);
}

absl::StatusOr<UrlCheck> Engine::CheckUrl(absl::string_view url,
                                          absl::string_view tenant) const {
  std::shared_ptr<const EngineSnapshot> snapshot = this->snapshot();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the verdict snapshot is still loading");
  }
  absl::StatusOr<url::UrlAnalysis> analysis =
      url::AnalyzeUrl(std::string_view(url.data(), url.size()));
  if (!analysis.ok()) return analysis.status();

  UrlCheck check;
  check.url = *std::move(analysis);
  std::vector<Reason> reasons;
  absl::Duration ttl_bound = absl::InfiniteDuration();
  if (!check.url.is_web) {
    Reason reason;
    reason.code = ReasonCode::kUrlNonWebScheme;
    reason.technique = check.url.scheme;
    reason.weight = NonWebSchemeWeight(check.url.scheme);
    reason.detail = absl::StrFormat(
        "'%s:' links do not lead to a web page, so no host was checked.",
        check.url.scheme);
    reasons.push_back(std::move(reason));
  } else {
    const absl::Time now = clock_.Now();
    for (const lists::ListMatch& match :
         snapshot->lists.Match(check.url, tenant, now)) {
      reasons.push_back(ListMatchReason(match));
      ttl_bound = std::min(ttl_bound, match.expire_time - now);
    }
    if (snapshot->brands != nullptr &&
        check.url.host_kind == url::HostKind::kDomain) {
      for (const lookalike::LookalikeMatch& match :
           snapshot->brands->Match(check.url, tenant)) {
        reasons.push_back(LookalikeReason(match));
      }
    }
    if (snapshot->ct_alerts != nullptr &&
        check.url.host_kind == url::HostKind::kDomain) {
      if (const store::AlertRecord* alert =
              snapshot->ct_alerts->Find(check.url.host)) {
        reasons.push_back(CtAlertReason(*alert));
      }
    }
    std::vector<Reason> structural = StructuralReasons(check.url);
    reasons.insert(reasons.end(), std::make_move_iterator(structural.begin()),
                   std::make_move_iterator(structural.end()));
  }
  bool degraded = false;
  if (WantsCertificate(check.url, reasons)) {
    certs::ProbeTarget target;
    target.host = check.url.host;
    if (absl::StartsWith(target.host, "[")) {
      target.host = target.host.substr(1, target.host.size() - 2);
    }
    target.port = check.url.parsed.port > 0 ? check.url.parsed.port : 443;
    certs::ProbeLookup lookup = certs_.probes->Lookup(target);
    if (lookup.state == certs::ProbeState::kReady) {
      // A failed probe (no TLS, refused, timed out) adds nothing: a dead
      // host is not evidence, and the guard's refusals are by design.
      if (lookup.result->ok()) {
        std::vector<Reason> cert = CertReasons(
            **lookup.result, snapshot->brands.get(), tenant, clock_.Now());
        reasons.insert(reasons.end(), std::make_move_iterator(cert.begin()),
                       std::make_move_iterator(cert.end()));
      }
    } else {
      degraded = true;
      ttl_bound = std::min(ttl_bound, kDegradedCacheTtl);
    }
  }
  check.verdict = snapshot->policy.Decide(std::move(reasons), ttl_bound);
  check.verdict.degraded = degraded;
  check.verdict.verdict_id = NewVerdictId();
  return check;
}

}  // namespace lureguard::verdict
