#include "tests/fakes/in_memory_click_store.h"

#include "server/common/status_macros.h"
#include "server/store/internal/validation.h"
#include "tests/fakes/newest_first.h"
#include "tests/fakes/stored_time.h"

namespace lureguard {

store::ClickRecord InMemoryClickStore::Insert(const store::ClickRecord& click) {
  store::ClickRecord row = click;
  row.id = ++last_id_;
  row.time = AsStored(click.time);
  row.last_time = row.time;
  row.count = 1;
  rows_[row.id] = row;
  return row;
}

absl::StatusOr<store::ClickRecord> InMemoryClickStore::AddClick(
    const store::ClickRecord& click) {
  RETURN_IF_ERROR(store::internal::ValidateClick(click));
  absl::MutexLock lock(&mu_);
  return Insert(click);
}

absl::StatusOr<store::ClickPage> InMemoryClickStore::ListClicks(
    const store::ClickQuery& query) {
  RETURN_IF_ERROR(store::internal::ValidatePageSize(query.page_size));
  absl::MutexLock lock(&mu_);
  store::ClickPage page;
  page.has_more = NewestFirst(
      rows_, query.before_id, query.page_size,
      [&query](const store::ClickRecord& row) {
        return !query.tenant.has_value() || row.tenant == *query.tenant;
      },
      page.clicks);
  return page;
}

absl::StatusOr<store::ClickRecord> InMemoryClickStore::RecordClick(
    const store::ClickRecord& click, absl::Duration window) {
  RETURN_IF_ERROR(store::internal::ValidateClick(click));
  RETURN_IF_ERROR(store::internal::ValidateClickWindow(window));
  absl::MutexLock lock(&mu_);
  // The newest open row of this recipient, tenant and link: its first
  // click after click.time - window.
  const absl::Time opens_after = AsStored(click.time - window);
  store::ClickRecord* open_row = nullptr;
  for (auto& [id, row] : rows_) {
    if (row.recipient_id == click.recipient_id && row.tenant == click.tenant &&
        row.url == click.url && row.time > opens_after &&
        (open_row == nullptr || row.time >= open_row->time)) {
      open_row = &row;
    }
  }
  if (open_row == nullptr) return Insert(click);
  ++open_row->count;
  open_row->last_time = AsStored(click.time);
  open_row->action = click.action;
  open_row->verdict_action = click.verdict_action;
  open_row->verdict_id = click.verdict_id;
  return *open_row;
}

absl::StatusOr<int64_t> InMemoryClickStore::DeleteClicksBefore(
    absl::Time cutoff) {
  RETURN_IF_ERROR(store::internal::ValidateCutoff(cutoff));
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(std::erase_if(rows_, [&](const auto& entry) {
    return entry.second.last_time < AsStored(cutoff);
  }));
}

}  // namespace lureguard
