// The verdict engine: answers checks from one immutable snapshot of all
// read-side state, swapped atomically when the data changes.
//
// A check takes the current snapshot (an atomic shared_ptr load) and never
// waits for a writer or a rebuild. `SnapshotPublisher` builds new snapshots
// off the request path and calls Publish.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   Engine engine(SystemClock());
//   engine.Publish(std::make_shared<const EngineSnapshot>(...));
//   absl::StatusOr<UrlCheck> check = engine.CheckUrl("https://x.test/", "");

#ifndef LUREGUARD_SERVER_VERDICT_ENGINE_H_
#define LUREGUARD_SERVER_VERDICT_ENGINE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/certs/alert_hosts.h"
#include "server/certs/probe_cache.h"
#include "server/common/bounded_cache.h"
#include "server/common/clock.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand_index.h"
#include "server/redirects/redirect_resolver.h"
#include "server/redirects/unwrap.h"
#include "server/url/url.h"
#include "server/verdict/policy.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

// Everything a check reads, frozen at one store revision.
struct EngineSnapshot {
  lists::ListSnapshot lists;
  // Protected brands; null when none are configured. Shared between
  // snapshots while the brands do not change.
  std::shared_ptr<const lookalike::BrandIndex> brands;
  // Hosts named by recent certificate-transparency alerts; null when none.
  std::shared_ptr<const certs::AlertedHosts> ct_alerts;
  Policy policy;
  int64_t revision = 0;  // store revision it was built from
  absl::Time build_time = absl::UnixEpoch();
};

// The result of a URL check: the verdict and the names of the URL as it
// was understood (shared, immutable; the analysis's working parts are
// dropped once the verdict is made). Checks answered from the engine's
// cache of checks share `url` with the check that filled it and differ from
// it only in verdict_id and cache_ttl; no two other checks share it.
struct UrlCheck {
  Verdict verdict;
  std::shared_ptr<const url::UrlNames> url;
};

// Where certificate facts come from, and which hosts are worth a probe.
struct CertSignals {
  // Null: verdicts carry no certificate reasons. Must outlive the engine.
  certs::ProbeCache* probes = nullptr;
  // Probe every https host without a list match, not only those with
  // lookalike or URL evidence. Off by default: a gateway sees mostly
  // honest hosts, and probing each would make the server a scanner.
  bool probe_unknown_hosts = false;
};

// How long a caller may cache a verdict that lacked a pending probe's
// facts: short, so the next check soon sees them.
inline constexpr absl::Duration kDegradedCacheTtl = absl::Seconds(10);

// URL checks the engine keeps per snapshot. Full, with the service's
// encoded answers beside them, they hold 32.5 MiB of heap, about 2 KB a
// check (BM_FullCheckCachesHeap in tests/bench/check_url_bench.cc). Under
// grpc_ratio_load's Zipf-popular URLs 16,384 answered 70 % of calls where
// 8,192 answered 66 % (32,768: 74 %, for twice the memory), when every
// check lasted 10 s; 75 % since checks on the snapshot alone last longer
// (kMaxCachedSnapshotCheckAge).
inline constexpr size_t kCachedUrlChecks = 1 << 14;

// How long the engine answers a URL from its cache of checks at most when
// the check read certificate facts or a redirect chain. Short: those are
// looked up again after it, and what depends on the time of day (a
// certificate's age) moves by no more.
inline constexpr absl::Duration kMaxCachedCheckAge = absl::Seconds(10);

// The same for a check that rests on the snapshot alone (lists, brands, CT
// alerts, the URL itself): the snapshot's cache of checks ends with it, and
// an expiring list entry ends the checks resting on it, so this bounds only
// what no test foresaw. Under grpc_ratio_load's Zipf-popular URLs the
// popular ones then stay answered between rounds: 72 % of calls answered
// from the cache with 10 s for every check, 75 % with this.
inline constexpr absl::Duration kMaxCachedSnapshotCheckAge = absl::Minutes(5);

class Engine {
 public:
  // `redirects` (may be null: links are judged as themselves) must outlive
  // the engine.
  explicit Engine(const Clock& clock, CertSignals certs = {},
                  redirects::RedirectResolver* redirects = nullptr);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Makes `snapshot` the one all later checks read.
  void Publish(std::shared_ptr<const EngineSnapshot> snapshot);

  // The current snapshot; null until the first Publish.
  std::shared_ptr<const EngineSnapshot> snapshot() const {
    return snapshot_.load(std::memory_order_acquire);
  }

  // Checks one URL for `tenant` (empty: global data only). Returns
  // Unavailable before the first snapshot is published, InvalidArgument when
  // `url` cannot be parsed (the message says why).
  //
  // A URL the same tenant keeps asking about is answered from a cache of
  // checks (kept from its second check in a while, for at most
  // kMaxCachedCheckAge when it read certificate facts or a redirect chain and
  // kMaxCachedSnapshotCheckAge otherwise, until the next snapshot is
  // published): the same verdict
  // with a new verdict_id, its cache_ttl counted down to the expiry of the list
  // entries it rests on (an entry that expires ends the cached check with it).
  // Degraded verdicts are not cached: their pending probe or chain is looked
  // for on every check.
  //
  // For an https URL with lookalike or URL evidence (or any https URL when
  // probe_unknown_hosts) and no list match, the host's cached certificate
  // facts add CERT_* reasons; when none are cached yet a background probe
  // is started and the verdict is `degraded` (cache TTL at most
  // kDegradedCacheTtl). Never waits for a probe.
  //
  // A link the redirect resolver follows (a shortener, an open redirector,
  // or any link of a follow-all tenant) without a list match of its own is
  // judged with its destination: the final URL's reasons (each naming it
  // in `url`) join the link's, with a URL_REDIRECTS_TO reason naming the
  // chain. Until the chain is known (it is followed in the background) the
  // verdict is `degraded`, as for probes.
  //
  // A link in another mail gateway's wrapper (Microsoft Safe Links,
  // Proofpoint URL Defense and the others redirects/unwrap.h lists)
  // without a list match of its own is judged with the URL it carries, read
  // from the link itself (no network, never degraded): that URL's reasons,
  // its own redirects followed as above, join the link's, with a
  // URL_REDIRECTS_TO reason naming the wrappers.
  absl::StatusOr<UrlCheck> CheckUrl(absl::string_view url,
                                    absl::string_view tenant) const;
  // The same against a snapshot the caller holds, so that one decision
  // made of several URL checks (a login's origins) sees one state.
  absl::StatusOr<UrlCheck> CheckUrlIn(const EngineSnapshot& snapshot,
                                      absl::string_view url,
                                      absl::string_view tenant) const;

  // A check as CheckUrl makes it, with the verdict shared rather than
  // copied: `check` is the check as first made (its verdict_id empty; the
  // one the cache of checks holds, when it keeps it), and this call's
  // verdict_id and cache_ttl come beside it. For a caller that only
  // encodes the verdict: a cached verdict's reasons are not copied for it.
  struct SharedCheck {
    std::shared_ptr<const UrlCheck> check;
    VerdictId verdict_id;
    absl::Duration cache_ttl;
    // Whether the cache of checks holds `check` (this call was answered
    // from it, or kept it): what a caller may keep derived from it.
    bool kept = false;

    // The check as CheckUrl returns it.
    UrlCheck Copy() const;
  };
  absl::StatusOr<SharedCheck> CheckUrlShared(absl::string_view url,
                                             absl::string_view tenant) const;

  using LookalikeReasonCache = BoundedCache<std::vector<Reason>>;

  // What the cache of URL checks keeps of one: the verdict without its
  // id, and until when it holds.
  struct CachedCheck {
    std::shared_ptr<const UrlCheck> check;
    // When the first list entry the verdict rests on expires.
    absl::Time evidence_expiry = absl::InfiniteFuture();
    // No later than kMaxCachedCheckAge (certificate facts or a redirect
    // chain read) or kMaxCachedSnapshotCheckAge after it was made.
    absl::Time valid_until = absl::InfinitePast();
  };
  using CheckCache = BoundedCache<std::shared_ptr<const CachedCheck>>;

  // Hits and misses of the cache of URL checks since the last Publish.
  CheckCache::Stats CheckCacheStats() const;

  // Hits and misses of the cache of hosts' lookalike reasons since the
  // brands last changed.
  LookalikeReasonCache::Stats LookalikeCacheStats() const;

 private:
  absl::StatusOr<SharedCheck> CheckUrlSharedIn(const EngineSnapshot& snapshot,
                                               absl::string_view url,
                                               absl::string_view tenant) const;
  // The lookalike reasons of hosts, by tenant and host, valid for one
  // brand index: Publish starts a new one when the snapshot's brand index
  // is another, so changed brands are seen at once.
  struct LookalikeCache {
    LookalikeCache(std::shared_ptr<const lookalike::BrandIndex> index,
                   size_t capacity)
        : brands(std::move(index)), reasons(capacity) {}
    // Held so that the index's address, the cache's identity, cannot be
    // reused by a later index while the cache lives.
    const std::shared_ptr<const lookalike::BrandIndex> brands;
    LookalikeReasonCache reasons;
  };

  // URL checks by tenant and URL, for one snapshot: Publish starts an
  // empty one, so a changed list or brand is seen at once.
  struct SnapshotChecks {
    SnapshotChecks(std::shared_ptr<const EngineSnapshot> of, size_t capacity)
        : snapshot(std::move(of)), checks(capacity) {}
    // Held so that the snapshot's address, the cache's identity, cannot be
    // reused by a later snapshot while the cache lives.
    const std::shared_ptr<const EngineSnapshot> snapshot;
    CheckCache checks;
  };

  // What one URL shows on its own, before the policy weighs it.
  struct Evidence {
    std::vector<Reason> reasons;
    absl::Duration ttl_bound = absl::InfiniteDuration();
    bool degraded = false;  // a probe or a redirect chain is still pending
    // Certificate facts or a redirect chain were looked up: answers that
    // change with time, so a cached check is made again sooner.
    bool read_timed_facts = false;
  };

  // The reasons of `url` itself: lists, lookalikes, CT alerts, structure
  // and, when cached and `with_certificate`, its certificate.
  Evidence Gather(const url::UrlAnalysis& url, absl::string_view tenant,
                  const EngineSnapshot& snapshot,
                  bool with_certificate = true) const;
  // Adds the evidence of the URL a link leads to, `url`, to `evidence`:
  // its reasons, each naming the URL it is about, its TTL bound and
  // whether it is still pending.
  static void AddDestination(Evidence destination, absl::string_view url,
                             Evidence& evidence);
  // Adds where `url` redirects to, when known, to `evidence`.
  void FollowRedirects(const url::UrlAnalysis& url, absl::string_view tenant,
                       const EngineSnapshot& snapshot,
                       Evidence& evidence) const;
  // A link in other gateways' wrappers and the URL inside them.
  struct Wrapped {
    redirects::Unwrapped unwrapped;
    url::UrlAnalysis inner;
  };
  // The wrappers around `url` peeled off, or nullopt when it is not
  // wrapped (or the wrapper is malformed, or holds no URL we can parse).
  std::optional<Wrapped> PeelWrappers(const url::UrlAnalysis& url) const;
  // Adds the evidence of the URL inside `wrapped` to `evidence`.
  void JudgeWrapped(const Wrapped& wrapped, absl::string_view tenant,
                    const EngineSnapshot& snapshot, Evidence& evidence) const;
  bool WantsCertificate(const url::UrlAnalysis& url,
                        const std::vector<Reason>& reasons) const;
  // The lookalike reasons of `url`'s host, from the cache when it belongs
  // to `snapshot`'s brand index.
  std::vector<Reason> LookalikeReasons(const url::UrlAnalysis& url,
                                       absl::string_view tenant,
                                       const EngineSnapshot& snapshot) const;

  const Clock& clock_;
  const CertSignals certs_;
  redirects::RedirectResolver* const redirects_;
  const redirects::Unwrapper wrappers_;
  std::atomic<std::shared_ptr<const EngineSnapshot>> snapshot_;
  std::atomic<std::shared_ptr<LookalikeCache>> lookalike_cache_;
  std::atomic<std::shared_ptr<SnapshotChecks>> check_cache_;
};

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_ENGINE_H_
