// A ClickStore in memory, for tests of click code (links/ClickRecorder, the
// click page) that need no database. It keeps the contract of
// server/store/click_store.h as SQLite does: the same validation (the
// store's own functions), ids that increase and are never reused, times
// kept to the microsecond, the dedup window starting at a row's first
// click. click_store_test.cc runs the same assertions on it, SQLite and
// PostgreSQL.
//
// Thread safety: safe for concurrent use by multiple threads.
//
// Example:
//   InMemoryClickStore clicks;
//   links::ClickRecorder recorder(clicks, clock, {});
//   recorder.Record(click);
//   // clicks.ListClicks({.page_size = 10})->clicks[0].count == 1

#ifndef LUREGUARD_TESTS_FAKES_IN_MEMORY_CLICK_STORE_H_
#define LUREGUARD_TESTS_FAKES_IN_MEMORY_CLICK_STORE_H_

#include <cstdint>
#include <map>

#include "absl/synchronization/mutex.h"
#include "server/store/click_store.h"

namespace lureguard {

// See the file comment.
class InMemoryClickStore final : public store::ClickStore {
 public:
  absl::StatusOr<store::ClickRecord> AddClick(
      const store::ClickRecord& click) override;
  absl::StatusOr<store::ClickPage> ListClicks(
      const store::ClickQuery& query) override;
  absl::StatusOr<store::ClickRecord> RecordClick(
      const store::ClickRecord& click, absl::Duration window) override;
  absl::StatusOr<int64_t> DeleteClicksBefore(absl::Time cutoff) override;

 private:
  // Inserts `click` as a new row of count 1.
  store::ClickRecord Insert(const store::ClickRecord& click)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::map<int64_t, store::ClickRecord> rows_ ABSL_GUARDED_BY(mu_);  // by id
  int64_t last_id_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_IN_MEMORY_CLICK_STORE_H_
