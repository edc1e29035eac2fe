// The click endpoint of the HTTP front, translating HTTP to the links
// engine (links::LinkProtector::ResolveClick):
//
//   GET  /c/<token>   a first look, never counted as a click (mail scanners
//                     prefetch links): ALLOW 302 to the URL, except for a
//                     destination that looks single-use (links/
//                     click_safety.h) or under the tenant's
//                     confirm_every_click: the one-click "Continue to
//                     <host>" page (200); WARN the warning page (200);
//                     BLOCK the block page (403). The pages' "continue"
//                     button, where offered, POSTs to the same path.
//   POST /c/<token>   a confirmed click, recorded: 303 to the URL when the
//                     verdict or the policy lets the person through, the
//                     page again otherwise. A link-preview or scanner
//                     user agent's POST counts as a first look: never
//                     recorded, never redirected to a single-use URL.
//
// A malformed or tampered token answers 400, an expired one 410, each with
// a page and no redirect. A POST over the per-client-IP limit of confirmed
// clicks (links.click_rate_per_ip) answers 429 and is not recorded;
// repeats of one recipient's click on one link within links.click_window
// are one stored row with a count. No API key: the browser of a mail reader
// calls this. Every answer is `Cache-Control: no-store` (a verdict can change),
// `Referrer-Policy: no-referrer` (the token must not leak to the
// destination) and a CSP that allows no script and no external resource.
//
// Thread safety: handlers are const and run concurrently.

#ifndef LUREGUARD_SERVER_SERVICE_LINK_HTTP_H_
#define LUREGUARD_SERVER_SERVICE_LINK_HTTP_H_

#include <atomic>

#include "server/links/link_protector.h"
#include "server/service/http_request.h"
#include "server/service/http_response.h"
#include "server/service/http_router.h"

namespace lureguard::service {

class LinkHttp {
 public:
  // `links` must outlive the routes.
  explicit LinkHttp(const links::LinkProtector& links) : links_(links) {}

  // Installs GET and POST /c/<token> on `router`.
  void Install(HttpRouter& router) const;

  // `confirmed`: the request is the page's POST.
  void Click(const HttpRequest& request, HttpResponse& response,
             bool confirmed) const;

 private:
  const links::LinkProtector& links_;
};

// The click routes for a server whose links engine starts after its HTTP
// front (the default click base URL is the front's bound address): answers
// 503 until `Ready` hands over the engine's routes.
class DeferredLinkHttp {
 public:
  void Install(HttpRouter& router) const;
  // REQUIRES: `http` outlives this object.
  void Ready(const LinkHttp* http) { http_.store(http); }

 private:
  std::atomic<const LinkHttp*> http_{nullptr};
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_LINK_HTTP_H_
