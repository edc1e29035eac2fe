// Keeps the engine's snapshot in step with the store.
//
// One background thread rebuilds the snapshot off the request path when a
// writer asks for it (read-your-writes for admin calls) and when the store's
// revision moves for any other reason (another process sharing the store).
// It looks at the revision when the store announces a change
// (Store::SetChangeListener: PostgreSQL's notifications, within
// milliseconds) and every `poll_interval` regardless, in case a notice was
// lost. Each time it also runs the reloaders: state other owners keep in
// memory beside the snapshot (API keys, beacon flags), small enough to
// read again on every look.
// Requests that arrive during a rebuild are coalesced into the next one.
// A failed rebuild keeps the previous snapshot serving.
//
// Thread safety: safe for concurrent use.
//
// Example:
//   SnapshotPublisher publisher(*store, engine, SystemClock(), policy);
//   if (absl::Status s = publisher.LoadInitial(); !s.ok()) return s;
//   publisher.Start();
//   ... after a write:  publisher.WaitForRevision(rev, absl::Seconds(10));

#ifndef LUREGUARD_SERVER_VERDICT_SNAPSHOT_PUBLISHER_H_
#define LUREGUARD_SERVER_VERDICT_SNAPSHOT_PUBLISHER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/lookalike/brand_index.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"
#include "server/verdict/policy.h"

namespace lureguard::verdict {

class SnapshotPublisher {
 public:
  // `store`, `engine` and `clock` must outlive the publisher.
  SnapshotPublisher(store::Store& store, Engine& engine, const Clock& clock,
                    Policy policy,
                    absl::Duration poll_interval = absl::Seconds(1),
                    absl::Duration ct_alert_window = absl::Hours(24 * 30));
  ~SnapshotPublisher();

  SnapshotPublisher(const SnapshotPublisher&) = delete;
  SnapshotPublisher& operator=(const SnapshotPublisher&) = delete;

  // Builds and publishes the first snapshot on the calling thread.
  absl::Status LoadInitial();

  // Adds `reload`, run on the background thread before each look at the
  // store's revision; a failure is logged and the previous state kept.
  // REQUIRES: not started.
  void AddReloader(std::function<absl::Status()> reload);

  // Starts the background thread and listens for the store's change
  // notices. REQUIRES: not started.
  void Start();
  // Stops and joins the background thread. Idempotent.
  void Stop();

  // Waits until a snapshot built from at least `revision` is published.
  // DeadlineExceeded after `timeout`; the last rebuild error if rebuilding
  // fails.
  absl::Status WaitForRevision(int64_t revision, absl::Duration timeout);

  int64_t published_revision() const;

 private:
  absl::Status Rebuild();
  void Run();

  // Rebuilds the brand index only when the brand records changed.
  absl::StatusOr<std::shared_ptr<const lookalike::BrandIndex>>
  CurrentBrandIndex();

  store::Store& store_;
  Engine& engine_;
  const Clock& clock_;
  const Policy policy_;
  const absl::Duration poll_interval_;
  // CT alerts younger than this flag their hosts in verdicts.
  const absl::Duration ct_alert_window_;

  mutable absl::Mutex mu_;
  int64_t wanted_revision_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t published_revision_ ABSL_GUARDED_BY(mu_) = -1;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The store announced a change since the last look.
  bool noticed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::function<absl::Status()>> reloaders_;
  std::thread thread_;
  // Touched only by the thread that rebuilds (LoadInitial, then Run).
  std::string brands_fingerprint_;
  std::shared_ptr<const lookalike::BrandIndex> brands_;
};

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_SNAPSHOT_PUBLISHER_H_
