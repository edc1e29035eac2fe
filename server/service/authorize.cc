#include "server/service/authorize.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lureguard::service {
namespace {

bool Allows(auth::Role role, Permission permission) {
  switch (permission) {
    case Permission::kCheck:
      return role == auth::Role::kVerdict || role == auth::Role::kAdmin;
    case Permission::kAdminRead:
      return role == auth::Role::kAdmin || role == auth::Role::kReadonlyAdmin;
    case Permission::kAdminWrite:
      return role == auth::Role::kAdmin;
  }
  return false;
}

}  // namespace

absl::StatusOr<auth::Principal> AuthorizeBearer(
    const auth::KeyRing& keys, std::optional<absl::string_view> authorization,
    Permission permission) {
  if (!authorization.has_value()) {
    return absl::UnauthenticatedError(
        "no API key: send 'authorization: Bearer <key>'");
  }
  absl::string_view value = *authorization;
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError("authorization is not 'Bearer <key>'");
  }
  value.remove_prefix(kBearer.size());
  absl::StatusOr<auth::Principal> principal = keys.Authenticate(value);
  if (!principal.ok()) return principal.status();
  if (!Allows(principal->role, permission)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "key '", principal->key_name, "' has role ",
        auth::RoleName(principal->role), ", which may not call this method"));
  }
  return principal;
}

absl::StatusOr<auth::Principal> Authorize(
    const auth::KeyRing& keys,
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    Permission permission) {
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return AuthorizeBearer(keys, std::nullopt, permission);
  }
  return AuthorizeBearer(
      keys, absl::string_view(it->second.data(), it->second.size()),
      permission);
}

absl::StatusOr<std::string> ResolveTenant(const auth::Principal& principal,
                                          absl::string_view requested) {
  if (principal.tenant.empty()) return std::string(requested);
  if (requested.empty() || requested == principal.tenant) {
    return principal.tenant;
  }
  return absl::PermissionDeniedError(
      absl::StrCat("tenant: key '", principal.key_name,
                   "' is bound to tenant '", principal.tenant, "'"));
}

}  // namespace lureguard::service
