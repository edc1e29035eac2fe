#include "server/lists/internal/entry_pipe.h"

#include <utility>

namespace lureguard::lists::internal {

void EntryPipe::Batch::Append(const store::ListEntryView& entry) {
  Row& row = rows_.emplace_back();
  row.id = entry.id;
  row.list = entry.list;
  row.kind = entry.kind;
  row.threat = entry.threat;
  bytes_.append(entry.value);
  row.value_end = static_cast<uint32_t>(bytes_.size());
  bytes_.append(entry.reason);
  row.reason_end = static_cast<uint32_t>(bytes_.size());
  bytes_.append(entry.source);
  row.source_end = static_cast<uint32_t>(bytes_.size());
  bytes_.append(entry.tenant);
  row.tenant_end = static_cast<uint32_t>(bytes_.size());
  row.create_time = entry.create_time;
  row.expire_time = entry.expire_time;
}

store::ListEntryView EntryPipe::Batch::Get(size_t i) const {
  const Row& row = rows_[i];
  const uint32_t begin = i == 0 ? 0 : rows_[i - 1].tenant_end;
  const std::string_view bytes = bytes_;
  store::ListEntryView entry;
  entry.id = row.id;
  entry.list = row.list;
  entry.kind = row.kind;
  entry.threat = row.threat;
  entry.value = bytes.substr(begin, row.value_end - begin);
  entry.reason = bytes.substr(row.value_end, row.reason_end - row.value_end);
  entry.source = bytes.substr(row.reason_end, row.source_end - row.reason_end);
  entry.tenant = bytes.substr(row.source_end, row.tenant_end - row.source_end);
  entry.create_time = row.create_time;
  entry.expire_time = row.expire_time;
  return entry;
}

void EntryPipe::Batch::Clear() {
  bytes_.clear();
  rows_.clear();
}

EntryPipe::EntryPipe(size_t batch_entries, size_t max_batches)
    : batch_entries_(batch_entries > 0 ? batch_entries : 1),
      max_batches_(max_batches > 0 ? max_batches : 1),
      filling_(std::make_unique<Batch>()) {}

void EntryPipe::Expect(int64_t entries) {
  absl::MutexLock lock(&mu_);
  expected_ = entries;
}

void EntryPipe::Push(const store::ListEntryView& entry) {
  filling_->Append(entry);
  if (filling_->size() < batch_entries_) return;
  absl::MutexLock lock(&mu_);
  Handover();
}

void EntryPipe::Close(absl::Status status) {
  absl::MutexLock lock(&mu_);
  if (filling_->size() > 0) Handover();
  status_ = std::move(status);
  closed_ = true;
}

void EntryPipe::Handover() {
  auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return cancelled_ || full_.size() < max_batches_;
  };
  mu_.Await(absl::Condition(&room));
  if (cancelled_) {
    filling_->Clear();
    return;
  }
  full_.push_back(std::move(filling_));
  if (free_.empty()) {
    filling_ = std::make_unique<Batch>();
  } else {
    filling_ = std::move(free_.back());
    free_.pop_back();
  }
}

const EntryPipe::Batch* EntryPipe::Next() {
  absl::MutexLock lock(&mu_);
  if (reading_ != nullptr) {
    reading_->Clear();
    free_.push_back(std::move(reading_));
  }
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return closed_ || !full_.empty();
  };
  mu_.Await(absl::Condition(&ready));
  if (full_.empty()) return nullptr;
  reading_ = std::move(full_.front());
  full_.pop_front();
  return reading_.get();
}

void EntryPipe::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  full_.clear();
}

int64_t EntryPipe::expected() const {
  absl::MutexLock lock(&mu_);
  return expected_;
}

absl::Status EntryPipe::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

}  // namespace lureguard::lists::internal
