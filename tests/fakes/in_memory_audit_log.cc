#include "tests/fakes/in_memory_audit_log.h"

#include "server/common/status_macros.h"
#include "server/store/audit_scope.h"
#include "server/store/internal/validation.h"
#include "tests/fakes/newest_first.h"
#include "tests/fakes/stored_time.h"

namespace lureguard {

absl::StatusOr<store::AuditPage> InMemoryAuditLog::ListAuditRecords(
    const store::AuditQuery& query) {
  RETURN_IF_ERROR(store::internal::ValidatePageSize(query.page_size));
  absl::MutexLock lock(&mu_);
  store::AuditPage page;
  page.has_more = NewestFirst(
      records_, query.before_id, query.page_size,
      [&query](const store::AuditRecord& record) {
        return (query.actor.empty() || record.actor == query.actor) &&
               (query.method.empty() || record.method == query.method);
      },
      page.records);
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
