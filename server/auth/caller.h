// Who asks for an admin change, as the audit log records it: the key that
// was let through and the request id that ties the change to the server's
// logs. Owners of admin state (lists::ListAdmin, verdict::BrandRegistry)
// take a Caller and write the audit record of a change themselves, in the
// same store transaction as the change (store/audit_scope.h).
//
// Example:
//   Caller caller{.principal = who, .request_id = "r-42"};
//   store::AuditScope audit(
//       AuditRecordOf(caller, "CreateBrand", "brand:acme", "", clock.Now()));

#ifndef LUREGUARD_SERVER_AUTH_CALLER_H_
#define LUREGUARD_SERVER_AUTH_CALLER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/auth/api_keys.h"
#include "server/store/store.h"

namespace lureguard::auth {

// An authorized caller of an admin method.
struct Caller {
  Principal principal;
  std::string request_id;  // the caller's x-request-id, or a generated one
};

// The audit record of `method` by `caller` on `target` (e.g.
// "blocklist:evil.example") of `tenant` at `now`; the owner making the
// change completes `before`/`after` and opens a store::AuditScope with it.
store::AuditRecord AuditRecordOf(const Caller& caller, absl::string_view method,
                                 std::string target, std::string tenant,
                                 absl::Time now);

}  // namespace lureguard::auth

#endif  // LUREGUARD_SERVER_AUTH_CALLER_H_
