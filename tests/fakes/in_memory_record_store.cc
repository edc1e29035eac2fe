#include "tests/fakes/in_memory_record_store.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/internal/validation.h"
#include "tests/fakes/stored_time.h"

namespace lureguard {

void InMemoryRecordStore::Write(const store::StoredRecord& record) {
  store::StoredRecord& stored =
      records_[{record.collection, record.tenant, record.name}];
  const int64_t version = stored.version + 1;
  stored = record;
  stored.update_time = AsStored(record.update_time);
  stored.version = version;
}

void InMemoryRecordStore::Commit(bool affects_snapshot) {
  if (affects_snapshot) ++revision_;
  if (audit_ != nullptr) audit_->WritePendingRecord();
}

absl::Status InMemoryRecordStore::PutRecord(const store::StoredRecord& record,
                                            bool affects_snapshot) {
  RETURN_IF_ERROR(store::internal::ValidateRecordKey(
      record.collection, record.tenant, record.name));
  absl::MutexLock lock(&mu_);
  Write(record);
  Commit(affects_snapshot);
  return absl::OkStatus();
}

absl::StatusOr<bool> InMemoryRecordStore::DeleteRecord(
    std::string_view collection, std::string_view tenant, std::string_view name,
    [[maybe_unused]] std::optional<std::string> delete_source) {
  RETURN_IF_ERROR(store::internal::ValidateRecordKey(collection, tenant, name));
  absl::MutexLock lock(&mu_);
  const bool existed = records_.erase(Key(collection, tenant, name)) > 0;
  if (existed) Commit(/*affects_snapshot=*/true);
  return existed;
}

absl::StatusOr<std::optional<store::StoredRecord>>
InMemoryRecordStore::GetRecord(std::string_view collection,
                               std::string_view tenant, std::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = records_.find(Key(collection, tenant, name));
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

absl::Status InMemoryRecordStore::PutRecords(
    const std::vector<store::StoredRecord>& records, bool affects_snapshot) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (absl::Status s = store::internal::ValidateRecordKey(
            records[i].collection, records[i].tenant, records[i].name);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("records[", i, "].", s.message()));
    }
  }
  absl::MutexLock lock(&mu_);
  for (const store::StoredRecord& record : records) Write(record);
  if (!records.empty()) Commit(affects_snapshot);
  return absl::OkStatus();
}

absl::Status InMemoryRecordStore::UpdateRecord(
    const store::StoredRecord& record) {
  RETURN_IF_ERROR(store::internal::ValidateRecordKey(
      record.collection, record.tenant, record.name));
  absl::MutexLock lock(&mu_);
  auto it = records_.find({record.collection, record.tenant, record.name});
  if (it == records_.end() && record.version != 0) {
    return store::internal::RecordGone(record);
  }
  if (it != records_.end() && it->second.version != record.version) {
    return store::internal::RecordChanged(record, it->second.version);
  }
  Write(record);
  Commit(/*affects_snapshot=*/false);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<store::StoredRecord>>
InMemoryRecordStore::ListRecords(std::string_view collection) {
  absl::MutexLock lock(&mu_);
  std::vector<store::StoredRecord> records;
  for (auto it = records_.lower_bound({std::string(collection), "", ""});
       it != records_.end() && std::get<0>(it->first) == collection; ++it) {
    records.push_back(it->second);
  }
  return records;
}

absl::StatusOr<int64_t> InMemoryRecordStore::Revision() {
  absl::MutexLock lock(&mu_);
  return revision_;
}

}  // namespace lureguard
