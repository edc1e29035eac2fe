// BuildListSnapshot: the store read on one thread, indexed on another.

#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/common/status_macros.h"
#include "server/lists/internal/entry_pipe.h"
#include "server/lists/list_snapshot.h"
#include "server/store/store.h"

namespace lureguard::lists {
namespace {

// Feeds a store scan into a pipe, on the scanning thread.
class PipeVisitor final : public store::EntryVisitor {
 public:
  explicit PipeVisitor(internal::EntryPipe& pipe) : pipe_(pipe) {}
  void Expect(int64_t entries) override { pipe_.Expect(entries); }
  void Visit(const store::ListEntryView& entry) override { pipe_.Push(entry); }

 private:
  internal::EntryPipe& pipe_;
};

}  // namespace

absl::StatusOr<ListSnapshot> BuildListSnapshot(store::ListEntryStore& store,
                                               absl::Time now) {
  // Reading rows out of SQLite and indexing them cost about the same (at
  // 10 M entries, ~3 s of CPU each on the reference machine): this thread
  // indexes while a second one scans. A rebuild is off the request path,
  // so it may take both cores for those seconds.
  internal::EntryPipe pipe;
  std::thread scanner([&store, &pipe, now] {
    PipeVisitor visitor(pipe);
    pipe.Close(store.ScanEntries(now, visitor));
  });
  ListSnapshotBuilder builder;
  absl::Status added;
  bool reserved = false;
  while (const internal::EntryPipe::Batch* batch = pipe.Next()) {
    if (!reserved) {
      builder.Reserve(pipe.expected());
      reserved = true;
    }
    for (size_t i = 0; i < batch->size() && added.ok(); ++i) {
      added = builder.Add(batch->Get(i));
    }
    if (!added.ok()) {
      pipe.Cancel();
      break;
    }
  }
  scanner.join();
  RETURN_IF_ERROR(pipe.status());
  if (!added.ok()) return added;
  return std::move(builder).Build();
}

}  // namespace lureguard::lists
