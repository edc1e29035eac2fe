// Who may call what: the API key in `authorization: Bearer <key>` metadata,
// checked against the permission a method needs and the tenant it names.
// Health and reflection are separate services and need no key.

#ifndef LUREGUARD_SERVER_SERVICE_AUTHORIZE_H_
#define LUREGUARD_SERVER_SERVICE_AUTHORIZE_H_

#include <map>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/string_ref.h"
#include "server/auth/api_keys.h"

namespace lureguard::service {

// What a method needs.
enum class Permission {
  kCheck,       // URL checks: verdict or admin keys
  kAdminRead,   // admin reads: admin or readonly-admin keys
  kAdminWrite,  // admin changes: admin keys
};

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

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_AUTHORIZE_H_
