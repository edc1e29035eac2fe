// A fixed pool of worker threads with a bounded queue, for background work
// that must never block a request thread (TLS probes; DESIGN.md §7). When
// the queue is full, TrySubmit refuses instead of growing: the caller
// decides what to do without the work (e.g. answer degraded).
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   BoundedExecutor executor(/*threads=*/2, /*max_queue=*/256);
//   if (!executor.TrySubmit([] { Probe(); })) { /* dropped */ }
//   executor.Stop();  // drops queued tasks, waits for running ones

#ifndef LUREGUARD_SERVER_COMMON_BOUNDED_EXECUTOR_H_
#define LUREGUARD_SERVER_COMMON_BOUNDED_EXECUTOR_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace lureguard {

class BoundedExecutor {
 public:
  // Starts `threads` workers (at least one). At most `max_queue` tasks wait
  // beyond those running.
  BoundedExecutor(int threads, size_t max_queue);
  // Stop().
  ~BoundedExecutor();

  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues `task` to run on a worker. False, and `task` is not run, when
  // the queue is full or the executor has stopped.
  bool TrySubmit(std::function<void()> task);

  // Refuses new tasks, drops those still queued, and waits for the running
  // ones to return. Idempotent.
  void Stop();

  // Tasks waiting for a worker.
  size_t queued() const;

 private:
  void Work();

  const size_t max_queue_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_BOUNDED_EXECUTOR_H_
