// An AuditLog in memory, for tests of admin code that need no database.
// It is written as the stores write theirs: an in-memory store that commits
// a change calls WritePendingRecord(), which appends the record of the
// thread's open AuditScope (audit_scope.h), if any, and marks it written.
// It keeps the contract of server/store/audit_log.h as the SQLite and
// PostgreSQL stores do: ids that increase, times kept to the microsecond,
// newest first, the same InvalidArgument for a bad page size.
// audit_log_test.cc runs the same assertions on it and on both stores.
//
// Thread safety: safe for concurrent use by multiple threads.
//
// Example:
//   InMemoryAuditLog audit;
//   InMemoryRecordStore records(&audit);
//   {
//     store::AuditScope scope(record);
//     records.PutRecord(brand, true);  // appends `record` to `audit`
//   }
//   // audit.ListAuditRecords({})->records.size() == 1

#ifndef LUREGUARD_TESTS_FAKES_IN_MEMORY_AUDIT_LOG_H_
#define LUREGUARD_TESTS_FAKES_IN_MEMORY_AUDIT_LOG_H_

#include <cstdint>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/store/audit_log.h"

namespace lureguard {

// See the file comment.
class InMemoryAuditLog final : public store::AuditLog {
 public:
  absl::StatusOr<store::AuditPage> ListAuditRecords(
      const store::AuditQuery& query) override;

  // For in-memory stores, once a write that changed something is done:
  // appends the record of this thread's pending AuditScope, if there is
  // one, with its id, and marks the scope written.
  void WritePendingRecord();

 private:
  absl::Mutex mu_;
  std::map<int64_t, store::AuditRecord> records_ ABSL_GUARDED_BY(mu_);  // by id
  int64_t last_id_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_IN_MEMORY_AUDIT_LOG_H_
