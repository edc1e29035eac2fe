// Hands list entries from the thread that reads them out of the store to
// the thread that indexes them, in batches, so that the two overlap: at
// 10 M entries each side takes seconds. Private to server/lists/.
//
// The producer copies each entry's strings into the current batch (the
// store's views die with its row) and passes full batches on; at most
// `max_batches` wait unread, so a slow consumer holds the producer back
// rather than buffering the whole store. Batches are recycled.
//
// Thread safety: one producer thread (Expect, Push, Close) and one consumer
// thread (Next, Cancel, expected, status) at a time.
//
// Example:
//   EntryPipe pipe;
//   std::thread producer([&] { pipe.Close(store.ScanEntries(now, visitor)); });
//   while (const EntryPipe::Batch* batch = pipe.Next()) {
//     for (size_t i = 0; i < batch->size(); ++i) Index(batch->Get(i));
//   }
//   producer.join();
//   if (!pipe.status().ok()) ...

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_ENTRY_PIPE_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_ENTRY_PIPE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/store/store.h"

namespace lureguard::lists::internal {

class EntryPipe {
 public:
  // Entries with their strings copied into one buffer.
  class Batch {
   public:
    void Append(const store::ListEntryView& entry);
    size_t size() const { return rows_.size(); }
    // Entry `i`, with views into this batch.
    store::ListEntryView Get(size_t i) const;
    void Clear();

   private:
    // An entry without its strings, which lie back to back in `bytes_`
    // from the previous row's tenant_end: value, reason, source, tenant.
    struct Row {
      int64_t id;
      store::ListType list;
      store::EntryKind kind;
      store::ThreatType threat;
      uint32_t value_end;
      uint32_t reason_end;
      uint32_t source_end;
      uint32_t tenant_end;
      absl::Time create_time;
      absl::Time expire_time;
    };

    std::string bytes_;
    std::vector<Row> rows_;
  };

  // A batch is handed over after `batch_entries` entries.
  explicit EntryPipe(size_t batch_entries = 2048, size_t max_batches = 4);
  EntryPipe(const EntryPipe&) = delete;
  EntryPipe& operator=(const EntryPipe&) = delete;

  // Producer: passes on the store's size hint (see store::EntryVisitor).
  void Expect(int64_t entries);
  // Producer: adds `entry`, waiting while `max_batches` batches are unread.
  // Entries pushed after Cancel() are dropped.
  void Push(const store::ListEntryView& entry);
  // Producer: hands over the last batch and ends the stream with `status`
  // (the scan's outcome).
  void Close(absl::Status status);

  // Consumer: the next batch, valid until the next call, or nullptr once
  // the producer has closed and every batch was read.
  const Batch* Next();
  // Consumer: reads no more; the producer's remaining pushes are dropped
  // and never wait.
  void Cancel();
  // Consumer: the size hint, or 0 when none came. Known from the first
  // batch on.
  int64_t expected() const;
  // Consumer: the status given to Close(). REQUIRES: Next() returned
  // nullptr, or Cancel() was called and the producer has closed.
  absl::Status status() const;

 private:
  void Handover() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t batch_entries_;
  const size_t max_batches_;
  std::unique_ptr<Batch> filling_;  // the producer's
  std::unique_ptr<Batch> reading_;  // the consumer's

  mutable absl::Mutex mu_;
  std::deque<std::unique_ptr<Batch>> full_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Batch>> free_ ABSL_GUARDED_BY(mu_);
  int64_t expected_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_ENTRY_PIPE_H_
