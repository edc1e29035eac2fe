// Where a shortened or redirecting link leads, for the verdict: a link to
// bit.ly/x is judged as the page it sends the reader to, not as bit.ly.
//
// Which URLs are followed: those on a known link shortener or open
// redirector (a list in the configuration, KnownRedirectors() by default),
// and for tenants that ask for it, every link. A hop is a HEAD (a GET when
// HEAD is refused), at most `max_hops`, within `timeout`, each through the
// fetcher's SSRF guard. Where the chain ends on an HTML page and a
// `page_redirect` reader is given, the page (up to `max_page_bytes`) is
// read once for a redirect of its own, a meta refresh: interstitials of
// large sites and the hop pages of phishing kits send the reader on that
// way, and a browser follows it as it follows a 302.
// Once a link has redirected, the chain is kept however the following ends:
// a destination that does not resolve, refuses the connection, is refused
// by the guard, times out or keeps redirecting is still where the link
// leads (kits drop connections from scanners, pages are taken down), and
// its URL is judged. Only a link whose own first answer fails has no chain.
// It runs in the background like certificate probes (BackgroundCache): the
// first check of a link answers without it (degraded) and starts it, and
// later checks within the TTL carry the chain.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
// REQUIRES: the executor is stopped before the resolver is destroyed.
//
// Example:
//   RedirectResolver resolver(fetcher, executor, SystemClock(), {});
//   if (resolver.Follows(url, tenant)) {
//     RedirectLookup lookup = resolver.Lookup(url.parsed.Href());
//     if (lookup.state == CacheState::kReady && lookup.result->ok()) ...
//   }

#ifndef LUREGUARD_SERVER_REDIRECTS_REDIRECT_RESOLVER_H_
#define LUREGUARD_SERVER_REDIRECTS_REDIRECT_RESOLVER_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/common/background_cache.h"
#include "server/common/bounded_executor.h"
#include "server/common/clock.h"
#include "server/lists/http_fetcher.h"
#include "server/url/url.h"

namespace lureguard::redirects {

// Where an HTML page sends the reader by itself (a meta refresh), as the
// page has it (may be relative), or "" when it does not. The server's is
// mail::InspectHtml's meta-refresh sink: one reading of HTML for mail
// attachments and for links.
using PageRedirect = std::function<std::string(std::string_view html)>;

struct RedirectOptions {
  // Hosts whose links are followed, with their subdomains ("bit.ly",
  // "t.co"). Empty: KnownRedirectors().
  std::vector<std::string> redirectors;
  // Tenants for which every link is followed.
  std::vector<std::string> follow_all_tenants;
  // Redirects followed from one link.
  int max_hops = 5;
  // For the whole chain, every hop included.
  absl::Duration timeout = absl::Seconds(5);
  // What a GET (when HEAD is refused) may read before it is cut off.
  int64_t max_body_bytes = int64_t{256} << 10;
  // Reads a page at the end of the chain for its own redirect; empty: no
  // page is read.
  PageRedirect page_redirect;
  // The most of a page read for page_redirect: a page that sends the
  // reader on is small, and a larger one is not read at all.
  int64_t max_page_bytes = int64_t{64} << 10;
  absl::Duration success_ttl = absl::Hours(1);
  absl::Duration failure_ttl = absl::Minutes(10);
  size_t max_entries = 100000;
};

// Where one link led.
struct RedirectChain {
  // The URLs passed through, the link first; `final_url` not included.
  std::vector<std::string> hops;
  std::string final_url;
  int final_status = 0;  // the final answer's HTTP status; 0 when unreached
  // Why `final_url` gave no answer ("fetch failed: Connection refused
  // (...)", "more than 5 redirects"); empty when it answered.
  std::string unreached;
};

using RedirectLookup = CacheLookup<RedirectChain>;

// Shorteners and open redirectors whose links are worth following: a
// maintained list (known_redirectors.cc).
const std::vector<std::string>& KnownRedirectors();

class RedirectResolver {
 public:
  // `fetcher`, `executor` and `clock` must outlive the resolver. Each hop
  // is one fetch that does not follow redirects: the fetcher's own
  // redirect limit does not apply.
  RedirectResolver(lists::HttpFetcher& fetcher, BoundedExecutor& executor,
                   const Clock& clock, RedirectOptions options);

  RedirectResolver(const RedirectResolver&) = delete;
  RedirectResolver& operator=(const RedirectResolver&) = delete;

  // Whether `url`'s redirects are followed for `tenant`: a web URL on a
  // listed redirector or one of its subdomains, or any web URL for a
  // follow-all tenant.
  bool Follows(const url::UrlAnalysis& url, absl::string_view tenant) const;

  // The cached chain of `url`; starts following it when there is none or
  // it has expired. Never blocks on the network.
  RedirectLookup Lookup(const std::string& url);

  // Follows `url` on the calling thread (not cached), a hop at a time:
  // HEAD, then GET when the server refuses HEAD (405, 501). An error only
  // when the first hop fails (the fetcher's: the SSRF guard's refusal,
  // DNS, connect, timeouts); a later hop's failure ends the chain at the
  // URL it was sent to, with `unreached` saying why.
  absl::StatusOr<RedirectChain> Follow(const std::string& url) const;

  BackgroundCacheStats stats() const { return cache_.stats(); }

 private:
  // One hop: HEAD, or GET when HEAD is refused; redirects not followed.
  absl::StatusOr<lists::HttpResponse> Ask(const std::string& url,
                                          absl::Duration remaining) const;
  // Where the HTML page at `url`, which answered `answer`, sends the reader
  // by itself (absolute), or "".
  std::string PageTarget(const std::string& url,
                         const lists::HttpResponse& answer,
                         absl::Duration remaining) const;

  lists::HttpFetcher& fetcher_;
  const RedirectOptions options_;
  absl::flat_hash_set<std::string> redirectors_;
  absl::flat_hash_set<std::string> follow_all_tenants_;
  BackgroundCache<RedirectChain> cache_;
};

}  // namespace lureguard::redirects

#endif  // LUREGUARD_SERVER_REDIRECTS_REDIRECT_RESOLVER_H_
