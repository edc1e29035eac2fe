#include "server/auth/key_admin.h"

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/common/tenant.h"
#include "server/store/audit_scope.h"

namespace lureguard::auth {
namespace {

// The audit log's one-line summary of a key.
std::string KeySummary(Role role, const std::string& tenant,
                       const std::string& client_subject) {
  std::string summary = absl::StrCat("role=", RoleName(role));
  if (!tenant.empty()) absl::StrAppend(&summary, " tenant=", tenant);
  if (!client_subject.empty()) {
    absl::StrAppend(&summary, " client_subject=", client_subject);
  }
  return summary;
}

std::optional<ApiKeyInfo> Find(const KeyRing& keys, const std::string& name) {
  for (ApiKeyInfo& key : keys.List()) {
    if (key.name == name) return std::move(key);
  }
  return std::nullopt;
}

}  // namespace

KeyAdmin::KeyAdmin(KeyRing& keys, const Clock& clock)
    : keys_(keys), clock_(clock) {}

absl::StatusOr<CreatedKey> KeyAdmin::Create(const Caller& caller,
                                            const NewApiKey& key) {
  RETURN_IF_ERROR(ValidateTenant(key.tenant));
  if (!key.tenant.empty() && key.role != Role::kVerdict) {
    return absl::InvalidArgumentError(
        "tenant: only VERDICT keys can be bound to a tenant");
  }
  store::AuditScope audit(AuditRecordOf(caller, "CreateApiKey",
                                        absl::StrCat("key:", key.name),
                                        key.tenant, clock_.Now()));
  audit.record().after = KeySummary(key.role, key.tenant, key.client_subject);
  CreatedKey created;
  ASSIGN_OR_RETURN(created.token, keys_.Create(key.name, key.role, key.tenant,
                                               key.client_subject));
  created.info = Find(keys_, key.name);
  LogInfo("API key created", {{"name", key.name},
                              {"role", RoleName(key.role)},
                              {"by", caller.principal.key_name}});
  return created;
}

absl::Status KeyAdmin::Revoke(const Caller& caller, const std::string& name) {
  const std::optional<ApiKeyInfo> old = Find(keys_, name);
  store::AuditScope audit(AuditRecordOf(caller, "RevokeApiKey",
                                        absl::StrCat("key:", name),
                                        old ? old->tenant : "", clock_.Now()));
  if (old) {
    audit.record().before =
        KeySummary(old->role, old->tenant, old->client_subject);
  }
  RETURN_IF_ERROR(keys_.Revoke(name));
  LogInfo("API key revoked",
          {{"name", name}, {"by", caller.principal.key_name}});
  return absl::OkStatus();
}

std::vector<ApiKeyInfo> KeyAdmin::List() const { return keys_.List(); }

}  // namespace lureguard::auth
