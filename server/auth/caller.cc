#include "server/auth/caller.h"

#include <utility>

namespace lureguard::auth {

store::AuditRecord AuditRecordOf(const Caller& caller, absl::string_view method,
                                 std::string target, std::string tenant,
                                 absl::Time now) {
  store::AuditRecord record;
  record.time = now;
  record.actor = caller.principal.key_name;
  record.actor_role = std::string(RoleName(caller.principal.role));
  record.method = std::string(method);
  record.target = std::move(target);
  record.tenant = std::move(tenant);
  record.request_id = caller.request_id;
  return record;
}

}  // namespace lureguard::auth
