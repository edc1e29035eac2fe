// Who may call what: the caller's identity (an API key in
// `authorization: Bearer <key>` metadata, or a verified client certificate
// mapped to a key), checked against the permission a method needs, the
// tenant it names and the key's request rate. Health and reflection are
// separate services and need no key.

#ifndef LUREGUARD_SERVER_SERVICE_AUTHORIZE_H_
#define LUREGUARD_SERVER_SERVICE_AUTHORIZE_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/string_ref.h"
#include "server/auth/api_keys.h"
#include "server/auth/rate_limiter.h"

namespace lureguard::service {

// What a method needs.
enum class Permission {
  kCheck,       // URL checks: verdict or admin keys
  kAdminRead,   // admin reads: admin or readonly-admin keys
  kAdminWrite,  // admin changes: admin keys
};

// The trailing metadata gRPC clients read as "retry no sooner than this
// many milliseconds" (gRFC A6).
inline constexpr char kRetryPushbackKey[] = "grpc-retry-pushback-ms";

// The caller of an `authorization` value ("Bearer <key>"; nullopt when the
// request has none): Unauthenticated without a valid key, PermissionDenied
// when its role lacks `permission`. gRPC metadata and HTTP headers both
// come through here, so both front doors apply the same rules.
absl::StatusOr<auth::Principal> AuthorizeBearer(
    const auth::KeyRing& keys, std::optional<absl::string_view> authorization,
    Permission permission);

// AuthorizeBearer on the `authorization` metadata of a gRPC call.
absl::StatusOr<auth::Principal> Authorize(
    const auth::KeyRing& keys,
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    Permission permission);

// PermissionDenied when a tenant-bound key names another tenant. A bound
// key that names no tenant acts for its own: returns the tenant to use.
absl::StatusOr<std::string> ResolveTenant(const auth::Principal& principal,
                                          absl::string_view requested);

class Authorizer;

// The tenant the caller acts for, when `authorizer` lets it through
// (Authorize, then ResolveTenant). A null `authorizer` admits every call
// for `tenant` (in-process benchmarks only).
absl::StatusOr<std::string> AdmitTenant(const Authorizer* authorizer,
                                        grpc::ServerContextBase& context,
                                        Permission permission,
                                        absl::string_view tenant);

// The one gate every RPC passes: identity, role, rate.
//
// Identity: a bearer token when the call carries one (a wrong token is an
// error even over mTLS); otherwise the common name of the client
// certificate, when the TLS layer verified one, mapped to a key.
//
// Thread safety: safe for concurrent use.
//
// Example:
//   Authorizer gate(keys, &limiter);
//   absl::StatusOr<auth::Principal> who =
//       gate.Authorize(*context, Permission::kAdminWrite);
//   if (!who.ok()) return ToGrpcStatus(who.status());
class Authorizer {
 public:
  // `keys` and `limiter` must outlive the authorizer; a null `limiter`
  // sets no rate limit.
  Authorizer(const auth::KeyRing& keys, auth::RateLimiter* limiter);

  // The caller, or Unauthenticated, PermissionDenied, or ResourceExhausted
  // when the key is over its rate (the retry delay then goes into the
  // call's trailing metadata as `grpc-retry-pushback-ms`).
  absl::StatusOr<auth::Principal> Authorize(grpc::ServerContextBase& context,
                                            Permission permission) const;

  // A caller admitted by AuthorizePaced, and how long to wait before
  // serving it.
  struct Admission {
    auth::Principal principal;
    absl::Duration delay = absl::ZeroDuration();
  };

  // Authorize for a caller that can wait (a stream's next message): a key
  // over its rate is admitted when its next token comes within `max_wait`
  // (RateLimiter::Reserve), and must then be served no sooner than
  // `delay` from now. Beyond `max_wait`, ResourceExhausted with pushback
  // as Authorize.
  absl::StatusOr<Admission> AuthorizePaced(grpc::ServerContextBase& context,
                                           Permission permission,
                                           absl::Duration max_wait) const;

  const auth::KeyRing& keys() const { return keys_; }

 private:
  // Authorize and AuthorizePaced: fills `admitted` (each moves the
  // principal once more, into its result).
  absl::Status Admit(grpc::ServerContextBase& context, Permission permission,
                     absl::Duration max_wait, Admission& admitted) const;

  const auth::KeyRing& keys_;
  auth::RateLimiter* const limiter_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_AUTHORIZE_H_
