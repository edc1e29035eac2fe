// A RecordStore in memory, for tests of code that keeps records (brands,
// feeds, keys, CT logs' cursors) and needs no database. It keeps the
// contract of server/store/record_store.h as SQLite and PostgreSQL do: the
// same key checks and conditional-write errors (the store's own
// functions), versions that start at 1 and grow with every write, one
// revision step per snapshot-affecting write, times kept to the
// microsecond. Given an InMemoryAuditLog, each write that changes
// something carries the thread's open AuditScope record into it, as a
// store's transaction does. record_store_test.cc and audit_log_test.cc run
// the same assertions on it and on both stores.
//
// It holds no list entries: DeleteRecord's `delete_source` has nothing to
// delete here.
//
// Thread safety: safe for concurrent use by multiple threads.
//
// Example:
//   InMemoryRecordStore records;
//   records.PutRecord({.collection = "feed", .name = "phish"}, false);
//   // records.GetRecord("feed", "", "phish")->value().version == 1

#ifndef LUREGUARD_TESTS_FAKES_IN_MEMORY_RECORD_STORE_H_
#define LUREGUARD_TESTS_FAKES_IN_MEMORY_RECORD_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/store/record_store.h"
#include "tests/fakes/in_memory_audit_log.h"

namespace lureguard {

// See the file comment.
class InMemoryRecordStore final : public store::RecordStore {
 public:
  // `audit` (may be null: nothing is audited) must outlive the store.
  explicit InMemoryRecordStore(InMemoryAuditLog* audit = nullptr)
      : audit_(audit) {}

  absl::Status PutRecord(const store::StoredRecord& record,
                         bool affects_snapshot) override;
  absl::StatusOr<bool> DeleteRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name, std::optional<std::string> delete_source) override;
  absl::StatusOr<std::optional<store::StoredRecord>> GetRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name) override;
  absl::Status PutRecords(const std::vector<store::StoredRecord>& records,
                          bool affects_snapshot) override;
  absl::Status UpdateRecord(const store::StoredRecord& record) override;
  absl::StatusOr<std::vector<store::StoredRecord>> ListRecords(
      std::string_view collection) override;
  absl::StatusOr<int64_t> Revision() override;

 private:
  // (collection, tenant, name): ordered as ListRecords returns them.
  using Key = std::tuple<std::string, std::string, std::string>;

  // Inserts or replaces `record`, one version past the stored one.
  void Write(const store::StoredRecord& record)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends a write that changed something, as a store's commit does: the
  // revision grows when `affects_snapshot`, the pending audit record is
  // written.
  void Commit(bool affects_snapshot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  InMemoryAuditLog* const audit_;
  absl::Mutex mu_;
  std::map<Key, store::StoredRecord> records_ ABSL_GUARDED_BY(mu_);
  int64_t revision_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_IN_MEMORY_RECORD_STORE_H_
