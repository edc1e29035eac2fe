// What a gateway is told about the URL it is about to serve: the one
// decision behind the HTTP front's `/authz` (nginx, Traefik, Envoy's HTTP
// ext_authz) and Envoy's gRPC ext_authz (`envoy.service.auth.v3`), so that
// every door answers alike. The door only translates: headers or
// CheckRequest in, GatewayAnswer out.
//
// The decision: the URL judged as CheckUrl judges it (UrlChecker); BLOCK
// denies; WARN and CHALLENGE deny with `block_on_warn`, else pass with
// their action; an engine that is not ready yet passes with `fail_open`,
// else is Unavailable.
//
// Thread safety: const and safe for concurrent use.
//
// Example:
//   GatewayJudge judge(checker, config.http());
//   absl::StatusOr<GatewayAnswer> answer =
//       judge.Judge("X-Original-URL", "https://x.test/", tenant);
//   if (answer.ok() && !answer->allow) { /* 403 */ }

#ifndef LUREGUARD_SERVER_SERVICE_GATEWAY_VERDICT_H_
#define LUREGUARD_SERVER_SERVICE_GATEWAY_VERDICT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lureguard/v1/config.pb.h"
#include "server/service/url_checker.h"
#include "server/verdict/engine.h"

namespace lureguard::service {

// One gateway decision.
struct GatewayAnswer {
  // Let the request through.
  bool allow = false;
  // The engine could not answer and `fail_open` let the request through;
  // `check` is then empty.
  bool fail_open = false;
  // "ALLOW", "WARN", "CHALLENGE" or "BLOCK"; empty when `fail_open`.
  std::string action;
  // Reason codes ("BLOCKLIST_MATCH"), strongest first.
  std::vector<std::string> reason_codes;
  // How long a gateway may reuse this answer for the same URL, whole
  // seconds; 0 when it must not (fail-open answers).
  int64_t max_age_seconds = 0;
  // The verdict and the parsed URL; empty when `fail_open`.
  std::optional<verdict::UrlCheck> check;
};

// The `Cache-Control` value for `answer`: "private, max-age=N" (the
// verdict's cache_ttl), or "no-store" when it must not be reused.
std::string CacheControl(const GatewayAnswer& answer);

// Judges URLs for gateways.
class GatewayJudge {
 public:
  // `checker` must outlive the judge; `config` gives fail_open and
  // block_on_warn.
  GatewayJudge(const UrlChecker& checker, const v1::HttpFrontConfig& config);

  // The decision on `url` for `tenant` (already authorized). Errors are
  // the checker's: InvalidArgument "FIELD: why" for a bad URL, Unavailable
  // while the first snapshot loads and `fail_open` is off.
  absl::StatusOr<GatewayAnswer> Judge(absl::string_view field,
                                      absl::string_view url,
                                      absl::string_view tenant) const;

 private:
  const UrlChecker& checker_;
  const bool fail_open_;
  const bool block_on_warn_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_GATEWAY_VERDICT_H_
