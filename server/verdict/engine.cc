#include "server/verdict/engine.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "server/certs/probe_target.h"
#include "server/common/status_macros.h"
#include "server/common/tenant.h"
#include "server/verdict/cert_reasons.h"
#include "server/verdict/ct_alert_reason.h"
#include "server/verdict/url_reasons.h"
#include "server/verdict/userinfo_reasons.h"

namespace lureguard::verdict {
namespace {

// The UrlAnalysis one check works in: its thread's own, reused so that its
// parts (parsed components, labels, signals) keep their heap room from one
// URL to the next (the names a check keeps are moved out of it), or a
// fresh one for a check nested in another on the same thread.
class ThreadAnalysis {
 public:
  ThreadAnalysis() : nested_(taken_) { taken_ = true; }
  ~ThreadAnalysis() {
    if (!nested_) taken_ = false;
  }
  ThreadAnalysis(const ThreadAnalysis&) = delete;
  ThreadAnalysis& operator=(const ThreadAnalysis&) = delete;

  url::UrlAnalysis& get() { return nested_ ? own_ : reused_; }

 private:
  static thread_local url::UrlAnalysis reused_;
  static thread_local bool taken_;
  const bool nested_;
  url::UrlAnalysis own_;
};

thread_local url::UrlAnalysis ThreadAnalysis::reused_;
thread_local bool ThreadAnalysis::taken_ = false;

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

// Where a followed link leads, naming every hop. Weight 0: the
// destination's own reasons carry the evidence.
Reason RedirectReason(const redirects::RedirectChain& chain) {
  Reason reason;
  reason.code = ReasonCode::kUrlRedirectsTo;
  reason.matched = chain.final_url;
  reason.url = chain.final_url;
  reason.detail =
      absl::StrCat("The link redirects to ", chain.final_url,
                   chain.unreached.empty()
                       ? absl::StrCat(" (HTTP ", chain.final_status, ")")
                       : absl::StrCat(" (not reached: ", chain.unreached, ")"),
                   " via ", absl::StrJoin(chain.hops, " -> "), ".");
  return reason;
}

// Which wrappers a link came in and the URL inside them. Weight 0, as for
// redirects: the inner URL's own reasons carry the evidence.
Reason WrapperReason(const redirects::Unwrapped& unwrapped) {
  std::vector<absl::string_view> wrappers;
  for (const redirects::UnwrapStep& step : unwrapped.chain) {
    wrappers.push_back(step.wrapper);
  }
  Reason reason;
  reason.code = ReasonCode::kUrlRedirectsTo;
  reason.technique = absl::StrJoin(wrappers, ",");
  reason.matched = unwrapped.url;
  reason.url = unwrapped.url;
  reason.detail = absl::StrCat(
      "The link is a wrapper (", absl::StrJoin(wrappers, " -> "), ") around ",
      unwrapped.url, unwrapped.depth_exceeded ? ", itself wrapped further" : "",
      ".");
  return reason;
}

// Hosts whose lookalike reasons are kept per brand index. About 100 bytes
// each without reasons (most hosts have none), so a few MB at most; enough
// for the distinct hosts a busy gateway sees in minutes.
constexpr size_t kLookalikeCacheHosts = 1 << 16;

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

Engine::Engine(const Clock& clock, CertSignals certs,
               redirects::RedirectResolver* redirects)
    : clock_(clock),
      certs_(certs),
      redirects_(redirects),
      wrappers_(redirects::VendorDecoders()) {}

void Engine::Publish(std::shared_ptr<const EngineSnapshot> snapshot) {
  // Publish runs on the publisher's thread only; checks that still read
  // the previous snapshot see a cache of another index and bypass it.
  std::shared_ptr<LookalikeCache> cache =
      lookalike_cache_.load(std::memory_order_acquire);
  const std::shared_ptr<const lookalike::BrandIndex> brands =
      snapshot == nullptr ? nullptr : snapshot->brands;
  if (brands == nullptr) {
    lookalike_cache_.store(nullptr, std::memory_order_release);
  } else if (cache == nullptr || cache->brands != brands) {
    lookalike_cache_.store(
        std::make_shared<LookalikeCache>(brands, kLookalikeCacheHosts),
        std::memory_order_release);
  }
  check_cache_.store(snapshot == nullptr ? nullptr
                                         : std::make_shared<SnapshotChecks>(
                                               snapshot, kCachedUrlChecks),
                     std::memory_order_release);
  snapshot_.store(std::move(snapshot), std::memory_order_release);
}

absl::StatusOr<UrlCheck> Engine::CheckUrl(absl::string_view url,
                                          absl::string_view tenant) const {
  ASSIGN_OR_RETURN(SharedCheck shared, CheckUrlShared(url, tenant));
  return shared.Copy();
}

UrlCheck Engine::SharedCheck::Copy() const {
  UrlCheck copy = *check;
  copy.verdict.verdict_id = verdict_id.ToString();
  copy.verdict.cache_ttl = cache_ttl;
  return copy;
}

absl::StatusOr<UrlCheck> Engine::CheckUrlIn(const EngineSnapshot& snapshot,
                                            absl::string_view url,
                                            absl::string_view tenant) const {
  ASSIGN_OR_RETURN(SharedCheck shared, CheckUrlSharedIn(snapshot, url, tenant));
  return shared.Copy();
}

absl::StatusOr<Engine::SharedCheck> Engine::CheckUrlShared(
    absl::string_view url, absl::string_view tenant) const {
  std::shared_ptr<const EngineSnapshot> snapshot = this->snapshot();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the verdict snapshot is still loading");
  }
  return CheckUrlSharedIn(*snapshot, url, tenant);
}

absl::StatusOr<Engine::SharedCheck> Engine::CheckUrlSharedIn(
    const EngineSnapshot& snapshot, absl::string_view url,
    absl::string_view tenant) const {
  std::shared_ptr<SnapshotChecks> cache =
      check_cache_.load(std::memory_order_acquire);
  // A check against another snapshot (one a caller holds) neither reads
  // nor fills the cache of the current one.
  if (cache != nullptr && cache->snapshot.get() != &snapshot) cache = nullptr;
  thread_local std::string key;
  if (cache != nullptr) {
    AssignTenantKey(tenant, url, key);
    const absl::Time now = clock_.Now();
    std::optional<std::shared_ptr<const CachedCheck>> cached =
        cache->checks.Find(
            key, [now](const auto& entry) { return now < entry->valid_until; });
    if (cached.has_value()) {
      const CachedCheck& entry = **cached;
      return SharedCheck{.check = entry.check,
                         .verdict_id = VerdictId::New(),
                         .cache_ttl = std::min(entry.check->verdict.cache_ttl,
                                               entry.evidence_expiry - now),
                         .kept = true};
    }
  }

  ThreadAnalysis thread_analysis;
  url::UrlAnalysis& analysis = thread_analysis.get();
  RETURN_IF_ERROR(
      url::AnalyzeUrl(std::string_view(url.data(), url.size()), analysis));
  const absl::Time now = clock_.Now();
  const std::optional<Wrapped> wrapped = PeelWrappers(analysis);
  // A wrapper's own certificate (Microsoft's, Proofpoint's) says nothing
  // of the link.
  Evidence evidence = Gather(analysis, tenant, snapshot,
                             /*with_certificate=*/!wrapped.has_value());
  if (!HasListMatch(evidence.reasons)) {
    if (wrapped.has_value()) {
      JudgeWrapped(*wrapped, tenant, snapshot, evidence);
    } else if (redirects_ != nullptr && redirects_->Follows(analysis, tenant)) {
      FollowRedirects(analysis, tenant, snapshot, evidence);
    }
  }
  auto check = std::make_shared<UrlCheck>();
  check->url = std::make_shared<const url::UrlNames>(
      url::TakeNames(std::move(analysis)));
  const absl::Duration ttl_bound = evidence.ttl_bound;
  check->verdict =
      snapshot.policy.Decide(std::move(evidence.reasons), ttl_bound);
  check->verdict.degraded = evidence.degraded;
  // Kept from the second time a URL is asked about in a while: most URLs
  // are asked about once, and would push out those that come back.
  const bool keep =
      cache != nullptr && !evidence.degraded && cache->checks.Admits(key);
  if (keep) {
    // Held for seconds to minutes: without the spare room the reasons'
    // push_backs left (~0.25 KB of a kept check's 2.3 KB).
    check->verdict.reasons.shrink_to_fit();
    auto cached = std::make_shared<CachedCheck>();
    cached->check = check;
    cached->evidence_expiry = now + ttl_bound;
    cached->valid_until = std::min(
        cached->evidence_expiry,
        now + (evidence.read_timed_facts ? kMaxCachedCheckAge
                                         : kMaxCachedSnapshotCheckAge));
    // `key` still holds this check's: Gather does not check URLs.
    cache->checks.Put(key, std::move(cached));
  }
  const absl::Duration cache_ttl = check->verdict.cache_ttl;
  return SharedCheck{.check = std::move(check),
                     .verdict_id = VerdictId::New(),
                     .cache_ttl = cache_ttl,
                     .kept = keep};
}

Engine::Evidence Engine::Gather(const url::UrlAnalysis& url,
                                absl::string_view tenant,
                                const EngineSnapshot& snapshot,
                                bool with_certificate) const {
  Evidence evidence;
  std::vector<Reason>& reasons = evidence.reasons;
  if (!url.is_web) {
    Reason reason;
    reason.code = ReasonCode::kUrlNonWebScheme;
    reason.technique = url.scheme;
    reason.weight = NonWebSchemeWeight(url.scheme);
    reason.detail = absl::StrFormat(
        "'%s:' links do not lead to a web page, so no host was checked.",
        url.scheme);
    reasons.push_back(std::move(reason));
  } else {
    const absl::Time now = clock_.Now();
    for (const lists::ListMatch& match :
         snapshot.lists.Match(url, tenant, now)) {
      reasons.push_back(ListMatchReason(match));
      evidence.ttl_bound =
          std::min(evidence.ttl_bound, match.expire_time - now);
    }
    if (snapshot.brands != nullptr && url.host_kind == url::HostKind::kDomain) {
      std::vector<Reason> lookalikes = LookalikeReasons(url, tenant, snapshot);
      reasons.insert(reasons.end(), std::make_move_iterator(lookalikes.begin()),
                     std::make_move_iterator(lookalikes.end()));
    }
    // Any host, IP literals included: "http://paypal.com@203.0.113.9/".
    if (snapshot.brands != nullptr && !url.parsed.username.empty()) {
      std::vector<Reason> userinfo =
          UserinfoBrandReasons(url, *snapshot.brands, tenant);
      reasons.insert(reasons.end(), std::make_move_iterator(userinfo.begin()),
                     std::make_move_iterator(userinfo.end()));
    }
    if (snapshot.ct_alerts != nullptr &&
        url.host_kind == url::HostKind::kDomain) {
      if (const store::AlertRecord* alert =
              snapshot.ct_alerts->Find(url.host)) {
        reasons.push_back(CtAlertReason(*alert));
      }
    }
    std::vector<Reason> structural = StructuralReasons(url);
    reasons.insert(reasons.end(), std::make_move_iterator(structural.begin()),
                   std::make_move_iterator(structural.end()));
  }
  if (with_certificate && WantsCertificate(url, reasons)) {
    evidence.read_timed_facts = true;
    const certs::ProbeTarget target =
        certs::ProbeTargetOf(url.host, url.parsed.port);
    certs::ProbeLookup lookup = certs_.probes->Lookup(target);
    if (lookup.state == certs::ProbeState::kReady) {
      // A failed probe (no TLS, refused, timed out) adds nothing: a dead
      // host is not evidence, and the guard's refusals are by design.
      if (lookup.result->ok()) {
        const certs::CertProbe& probe = **lookup.result;
        const absl::Time now = clock_.Now();
        std::vector<Reason> cert =
            CertReasons(probe, snapshot.brands.get(), tenant, now);
        reasons.insert(reasons.end(), std::make_move_iterator(cert.begin()),
                       std::make_move_iterator(cert.end()));
        if (snapshot.brands != nullptr) {
          DropBrandsOwningCertificate(probe, *snapshot.brands, tenant, now,
                                      reasons);
        }
      }
    } else {
      evidence.degraded = true;
      evidence.ttl_bound = std::min(evidence.ttl_bound, kDegradedCacheTtl);
    }
  }
  return evidence;
}

std::vector<Reason> Engine::LookalikeReasons(
    const url::UrlAnalysis& url, absl::string_view tenant,
    const EngineSnapshot& snapshot) const {
  // A brand index's answer depends on the host and the tenant alone.
  auto match = [&] {
    std::vector<Reason> reasons;
    for (const lookalike::LookalikeMatch& m :
         snapshot.brands->Match(url, tenant)) {
      reasons.push_back(LookalikeReason(m));
    }
    return reasons;
  };
  std::shared_ptr<LookalikeCache> cache =
      lookalike_cache_.load(std::memory_order_acquire);
  if (cache == nullptr || cache->brands != snapshot.brands) return match();
  // Reused per thread: most lookups hit, and then no key is allocated.
  thread_local std::string key;
  AssignTenantKey(tenant, url.host, key);
  return cache->reasons.GetOrCompute(key, match);
}

Engine::CheckCache::Stats Engine::CheckCacheStats() const {
  std::shared_ptr<SnapshotChecks> cache =
      check_cache_.load(std::memory_order_acquire);
  return cache == nullptr ? CheckCache::Stats{} : cache->checks.stats();
}

Engine::LookalikeReasonCache::Stats Engine::LookalikeCacheStats() const {
  std::shared_ptr<LookalikeCache> cache =
      lookalike_cache_.load(std::memory_order_acquire);
  return cache == nullptr ? LookalikeReasonCache::Stats{}
                          : cache->reasons.stats();
}

std::optional<Engine::Wrapped> Engine::PeelWrappers(
    const url::UrlAnalysis& url) const {
  if (!url.is_web || !wrappers_.MayUnwrapHost(url.parsed.host)) {
    return std::nullopt;
  }
  // A malformed wrapper (no target) is judged as itself.
  absl::StatusOr<redirects::Unwrapped> unwrapped =
      wrappers_.Unwrap(url.parsed.Href());
  if (!unwrapped.ok() || unwrapped->chain.empty()) return std::nullopt;
  absl::StatusOr<url::UrlAnalysis> inner = url::AnalyzeUrl(
      std::string_view(unwrapped->url.data(), unwrapped->url.size()));
  if (!inner.ok()) return std::nullopt;
  return Wrapped{*std::move(unwrapped), *std::move(inner)};
}

void Engine::JudgeWrapped(const Wrapped& wrapped, absl::string_view tenant,
                          const EngineSnapshot& snapshot,
                          Evidence& evidence) const {
  // The inner URL is judged as CheckUrl judges any URL, its redirects too;
  // its reasons say which URL they are about.
  Evidence destination = Gather(wrapped.inner, tenant, snapshot);
  if (redirects_ != nullptr && !HasListMatch(destination.reasons) &&
      redirects_->Follows(wrapped.inner, tenant)) {
    FollowRedirects(wrapped.inner, tenant, snapshot, destination);
  }
  AddDestination(std::move(destination), wrapped.unwrapped.url, evidence);
  evidence.reasons.push_back(WrapperReason(wrapped.unwrapped));
}

void Engine::AddDestination(Evidence destination, absl::string_view url,
                            Evidence& evidence) {
  for (Reason& reason : destination.reasons) {
    // Reasons of a redirect followed from there name its own final URL.
    if (reason.url.empty()) reason.url = std::string(url);
    evidence.reasons.push_back(std::move(reason));
  }
  evidence.ttl_bound = std::min(evidence.ttl_bound, destination.ttl_bound);
  evidence.degraded = evidence.degraded || destination.degraded;
  evidence.read_timed_facts =
      evidence.read_timed_facts || destination.read_timed_facts;
}

void Engine::FollowRedirects(const url::UrlAnalysis& url,
                             absl::string_view tenant,
                             const EngineSnapshot& snapshot,
                             Evidence& evidence) const {
  evidence.read_timed_facts = true;
  redirects::RedirectLookup lookup = redirects_->Lookup(url.parsed.Href());
  if (lookup.state != CacheState::kReady) {
    evidence.degraded = true;
    evidence.ttl_bound = std::min(evidence.ttl_bound, kDegradedCacheTtl);
    return;
  }
  // A link whose first hop failed (refused by the SSRF guard, dead) is
  // judged as itself: not following is not evidence. A chain that stopped
  // later still names where the link leads (RedirectChain::unreached).
  if (!lookup.result->ok()) return;
  const redirects::RedirectChain& chain = **lookup.result;
  if (chain.hops.empty()) return;  // no redirect: the link is the page
  absl::StatusOr<url::UrlAnalysis> final_url = url::AnalyzeUrl(
      std::string_view(chain.final_url.data(), chain.final_url.size()));
  if (!final_url.ok()) return;
  // The destination is judged as any URL is (its redirects are the chain
  // already followed), and its reasons say which URL they are about.
  AddDestination(Gather(*final_url, tenant, snapshot), chain.final_url,
                 evidence);
  evidence.reasons.push_back(RedirectReason(chain));
}

}  // namespace lureguard::verdict
