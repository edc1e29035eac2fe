#include "server/auth/audit_log.h"

#include <utility>

#include "server/common/page_size.h"
#include "server/common/status_macros.h"

namespace lureguard::auth {

absl::StatusOr<AuditLogPage> ListAuditLog(store::Store& store,
                                          store::AuditQuery query) {
  ASSIGN_OR_RETURN(query.page_size, ResolvePageSize(query.page_size));
  ASSIGN_OR_RETURN(store::AuditPage page, store.ListAuditRecords(query));
  AuditLogPage out;
  if (page.has_more && !page.records.empty()) {
    out.next_before_id = page.records.back().id;
  }
  out.records = std::move(page.records);
  return out;
}

}  // namespace lureguard::auth
