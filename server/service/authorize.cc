#include "server/service/authorize.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"
#include "server/common/status_macros.h"

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

// Role check shared by both identity sources: turns `who` into
// PermissionDenied when its role lacks `permission`. In place, so that a
// principal is moved no more than it must be on every call's path.
void Permit(absl::StatusOr<auth::Principal>& who, Permission permission) {
  if (!who.ok() || Allows(who->role, permission)) return;
  who = absl::PermissionDeniedError(absl::StrCat(
      "key '", who->key_name, "' has role ", auth::RoleName(who->role),
      ", which may not call this method"));
}

// The common name of a client certificate the TLS layer verified, or "".
std::string VerifiedClientCommonName(const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  // Authenticated means a certificate was presented and verified against
  // the configured client CA (gRPC's *_AND_VERIFY request modes).
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return "";
  std::vector<grpc::string_ref> names =
      auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  if (names.size() != 1) return "";
  return std::string(names[0].data(), names[0].size());
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
  absl::StatusOr<auth::Principal> who = keys.Authenticate(value);
  Permit(who, permission);
  return who;
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

Authorizer::Authorizer(const auth::KeyRing& keys, auth::RateLimiter* limiter)
    : keys_(keys), limiter_(limiter) {}

absl::StatusOr<auth::Principal> Authorizer::Authorize(
    grpc::ServerContextBase& context, Permission permission) const {
  Admission admitted;
  RETURN_IF_ERROR(Admit(context, permission, absl::ZeroDuration(), admitted));
  return std::move(admitted.principal);
}

absl::StatusOr<Authorizer::Admission> Authorizer::AuthorizePaced(
    grpc::ServerContextBase& context, Permission permission,
    absl::Duration max_wait) const {
  Admission admitted;
  RETURN_IF_ERROR(Admit(context, permission, max_wait, admitted));
  return admitted;
}

absl::Status Authorizer::Admit(grpc::ServerContextBase& context,
                               Permission permission, absl::Duration max_wait,
                               Admission& admitted) const {
  const auto& metadata = context.client_metadata();
  absl::StatusOr<auth::Principal> who =
      [&]() -> absl::StatusOr<auth::Principal> {
    if (auto it = metadata.find("authorization"); it != metadata.end()) {
      return AuthorizeBearer(
          keys_, absl::string_view(it->second.data(), it->second.size()),
          permission);
    }
    if (std::string cn = VerifiedClientCommonName(context); !cn.empty()) {
      absl::StatusOr<auth::Principal> subject =
          keys_.AuthenticateClientSubject(cn);
      Permit(subject, permission);
      return subject;
    }
    return service::Authorize(keys_, metadata,
                              permission);  // says what's missing
  }();
  if (!who.ok()) return who.status();
  admitted.principal = *std::move(who);
  if (limiter_ == nullptr) return absl::OkStatus();
  // Counted after authentication: unknown callers cannot drain a real
  // key's bucket.
  const auth::RateDecision decision =
      limiter_->Reserve(admitted.principal.key_name, max_wait);
  if (decision.admitted) {
    admitted.delay = decision.delay;
    return absl::OkStatus();
  }
  const int64_t retry_ms = absl::ToInt64Milliseconds(decision.retry_after);
  context.AddTrailingMetadata(kRetryPushbackKey, std::to_string(retry_ms));
  return absl::ResourceExhaustedError(
      absl::StrCat("key '", admitted.principal.key_name,
                   "' is over its rate limit; retry in ", retry_ms, " ms"));
}

absl::StatusOr<std::string> AdmitTenant(const Authorizer* authorizer,
                                        grpc::ServerContextBase& context,
                                        Permission permission,
                                        absl::string_view tenant) {
  if (authorizer == nullptr) return std::string(tenant);
  ASSIGN_OR_RETURN(auth::Principal who,
                   authorizer->Authorize(context, permission));
  return ResolveTenant(who, tenant);
}

}  // namespace lureguard::service
