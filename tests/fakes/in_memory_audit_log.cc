#include "tests/fakes/in_memory_audit_log.h"

#include "server/common/status_macros.h"
#include "server/store/audit_scope.h"
#include "server/store/internal/validation.h"
#include "tests/fakes/stored_time.h"

namespace lureguard {

absl::StatusOr<store::AuditPage> InMemoryAuditLog::ListAuditRecords(
    const store::AuditQuery& query) {
  RETURN_IF_ERROR(store::internal::ValidatePageSize(query.page_size));
  absl::MutexLock lock(&mu_);
  store::AuditPage page;
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    const store::AuditRecord& record = it->second;
    if (query.before_id > 0 && record.id >= query.before_id) continue;
    if (!query.actor.empty() && record.actor != query.actor) continue;
    if (!query.method.empty() && record.method != query.method) continue;
    if (page.records.size() == static_cast<size_t>(query.page_size)) {
      page.has_more = true;
      break;
    }
    page.records.push_back(record);
  }
  return page;
}

void InMemoryAuditLog::WritePendingRecord() {
  store::AuditScope* scope = store::AuditScope::Pending();
  if (scope == nullptr) return;
  absl::MutexLock lock(&mu_);
  store::AuditRecord& record = scope->record();
  record.id = ++last_id_;
  store::AuditRecord& stored = records_[record.id] = record;
  stored.time = AsStored(record.time);
  scope->MarkWritten();
}

}  // namespace lureguard
