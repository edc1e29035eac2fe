// The HTTP front's gateway routes, served by an HttpListener on
// `--http_listen`:
//
//   GET /healthz  200 "SERVING" once the verdict snapshot is loaded and
//                 until shutdown starts, 503 "NOT_SERVING" otherwise. No key.
//   /authz        nginx `auth_request`, Traefik ForwardAuth and Envoy's HTTP
//                 ext_authz. Any method (Envoy forwards the original one).
//
// /authz takes the URL to judge from, in this order: `X-Original-URL`
// (nginx); `X-Forwarded-Proto`/`-Host`/`-Uri` (Traefik); or the path after
// `/authz` with `Host` and `X-Forwarded-Proto` (Envoy with
// `path_prefix: /authz`). It needs `Authorization: Bearer <key>` of a
// verdict or admin key (401 without a valid key, 403 for another role),
// takes an optional `X-Lureguard-Tenant`, and judges the URL exactly as
// CheckUrl does (UrlChecker). Then:
//
//   ALLOW, WARN  200 (WARN is 403 with `http.block_on_warn`)
//   BLOCK        403
//   bad URL      400, the body names the header and the reason
//   not ready    503, or 200 with `http.fail_open`
//
// with `X-Lureguard-Action`, `X-Lureguard-Verdict-Id` and
// `X-Lureguard-Reasons` (reason codes, comma-separated) on every verdict,
// and `Cache-Control: private, max-age=<cache_ttl>` plus nginx's
// `X-Accel-Expires` on every answer a gateway may reuse. The decision is
// GatewayJudge's, shared with Envoy's gRPC ext_authz.
//
// Thread safety: handlers are const and run concurrently.

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_FRONT_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_FRONT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "lureguard/v1/config.pb.h"
#include "server/auth/api_keys.h"
#include "server/auth/rate_limiter.h"
#include "server/service/gateway_verdict.h"
#include "server/service/http_request.h"
#include "server/service/http_response.h"
#include "server/service/url_checker.h"

namespace lureguard::service {

// The URL a gateway asks about, from the request's headers (see above).
// InvalidArgument naming the header when none is usable.
absl::StatusOr<std::string> OriginalUrl(const HttpRequest& request);

// The /healthz and /authz handlers, bound to the engine and the keys.
class HttpFront {
 public:
  // `checker`, `keys` and `limiter` must outlive the front; `serving` says
  // whether the process serves (snapshot loaded, not shutting down).
  // `limiter` is the per-key limiter the gRPC calls share, so a key's budget
  // is one whichever door it uses; null means no limit.
  HttpFront(const UrlChecker& checker, const auth::KeyRing& keys,
            const v1::HttpFrontConfig& config, std::function<bool()> serving,
            auth::RateLimiter* limiter = nullptr);

  void Healthz(const HttpRequest& request, HttpResponse& response) const;
  void Authz(const HttpRequest& request, HttpResponse& response) const;

 private:
  const GatewayJudge judge_;
  const auth::KeyRing& keys_;
  const std::function<bool()> serving_;
  auth::RateLimiter* const limiter_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_FRONT_H_
