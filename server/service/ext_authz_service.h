// Envoy's external authorization API, `envoy.service.auth.v3.Authorization`,
// served on the gRPC port beside Lureguard's own services: Envoy's
// ext_authz filter (and Istio, Contour, Emissary, Gloo, which configure it)
// asks `Check` before each request goes upstream.
//
// Check authorizes the caller as every verdict caller (a verdict or admin
// key in the `authorization: Bearer <key>` metadata, which Envoy's
// `grpc_service.initial_metadata` sends, or a client certificate); takes
// the tenant from `attributes.context_extensions[<envoy_tenant_key>]`
// (default "tenant"); builds the URL from `attributes.request.http`
// (EnvoyRequestUrl) and judges it with the GatewayJudge that `/authz` uses.
// Then:
//
//   allowed   status OK, ok_response with `x-lureguard-action`,
//             `x-lureguard-verdict-id` and `x-lureguard-reasons` set on the
//             upstream request (overwriting any the client sent)
//   denied    status PERMISSION_DENIED, denied_response 403 with the block
//             page as body
//   bad URL   status INVALID_ARGUMENT, denied_response 400
//   not ready status UNAVAILABLE, denied_response 503 (or allowed with
//             `x-lureguard-fail-open` under `http.fail_open`)
//
// `dynamic_metadata` carries action, score, reasons, verdict_id and
// cache_max_age for Envoy's access log (`%DYNAMIC_METADATA(
// envoy.filters.http.ext_authz:action)%`). The gRPC answer's initial
// metadata carries `cache-control`. A caller without a usable key gets the
// gRPC error (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED), which
// Envoy treats per its own `failure_mode_allow`.
//
// Thread safety: the service is const after construction; calls run
// concurrently.

#ifndef LUREGUARD_SERVER_SERVICE_EXT_AUTHZ_SERVICE_H_
#define LUREGUARD_SERVER_SERVICE_EXT_AUTHZ_SERVICE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "lureguard/v1/config.pb.h"
#include "server/service/authorize.h"
#include "server/service/gateway_verdict.h"

namespace lureguard::service {

// The URL of the request Envoy asks about: `scheme` (Envoy fills it from
// `x-forwarded-proto`; else that header; else "http") + `host` (else the
// `:authority` header) + `path` (the request target with its query; else
// `:path`). InvalidArgument naming the field when the scheme is not
// http(s) or the host is missing.
absl::StatusOr<std::string> EnvoyRequestUrl(
    const envoy::service::auth::v3::AttributeContext::HttpRequest& http);

// envoy.service.auth.v3.Authorization on gRPC's callback API.
class ExtAuthzServiceImpl final
    : public envoy::service::auth::v3::Authorization::CallbackService {
 public:
  // `judge` and `authorizer` must outlive the service. A null `authorizer`
  // admits every call (in-process benchmarks only).
  ExtAuthzServiceImpl(const GatewayJudge& judge, const Authorizer* authorizer,
                      const v1::HttpFrontConfig& config);

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const envoy::service::auth::v3::CheckRequest* request,
      envoy::service::auth::v3::CheckResponse* response) override;

  // The CheckResponse for a request admitted for `tenant`; the gRPC-free
  // half of Check. `max_age_seconds`, when not null, receives how long the
  // answer may be reused (0 for errors and fail-open answers).
  envoy::service::auth::v3::CheckResponse Decide(
      const envoy::service::auth::v3::CheckRequest& request,
      const std::string& tenant, int64_t* max_age_seconds = nullptr) const;

 private:
  const GatewayJudge& judge_;
  const Authorizer* const authorizer_;
  const std::string tenant_key_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_EXT_AUTHZ_SERVICE_H_
