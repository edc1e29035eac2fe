// Reading the audit log the admin owners write (caller.h): one page of
// records, newest first, filtered by actor and method, sized by the common
// page-size rule, with where the next page starts.
//
// Example:
//   absl::StatusOr<AuditLogPage> page =
//       ListAuditLog(store, {.before_id = 0, .page_size = 50, .actor = "ops"});

#ifndef LUREGUARD_SERVER_AUTH_AUDIT_LOG_H_
#define LUREGUARD_SERVER_AUTH_AUDIT_LOG_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace lureguard::auth {

// One page of the audit log, newest first.
struct AuditLogPage {
  std::vector<store::AuditRecord> records;
  // When older matching records exist: the id the next page reads before.
  std::optional<int64_t> next_before_id;
};

// The records of `query` (page_size as common/page_size.h resolves it: 0 is
// the default). InvalidArgument "page_size: is negative".
absl::StatusOr<AuditLogPage> ListAuditLog(store::Store& store,
                                          store::AuditQuery query);

}  // namespace lureguard::auth

#endif  // LUREGUARD_SERVER_AUTH_AUDIT_LOG_H_
