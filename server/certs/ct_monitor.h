// Watches certificate-transparency logs for certificates that imitate
// protected brands.
//
// Logs are records in the store (collection "ct_log"), each with its cursor:
// the index of the next entry to read. Worker threads (at most
// `concurrency`) poll the logs that are due: read the tree head, then
// entries from the cursor in batches; every certificate's names go through
// the lookalike index, and a name whose match reaches `min_alert_weight`
// becomes an alert. Each batch's new alerts and the cursor past it commit
// in one store transaction, and alerts are deduplicated by issuer, serial
// and name, so a restart resumes where it stopped without a duplicate
// alert, and a precertificate and its final certificate make one alert.
// A failed poll (network, HTTP status, a tile that does not parse, a tree
// that shrank) keeps the cursor, records the error and retries with
// exponential backoff.
//
// Thread safety: safe for concurrent use.
//
// Example:
//   CtMonitor monitor(*store, factory, brands, SystemClock(), options);
//   monitor.Start();
//   absl::StatusOr<CtLogState> log = monitor.Add(
//       {.name = "argon", .url = "https://ct.example/", .api =
//       CtApi::kRfc6962},
//       /*start_index=*/std::nullopt);  // from the current tree size on

#ifndef LUREGUARD_SERVER_CERTS_CT_MONITOR_H_
#define LUREGUARD_SERVER_CERTS_CT_MONITOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/certs/alert_notifier.h"
#include "server/certs/ct_leaf.h"
#include "server/certs/ct_log_client.h"
#include "server/common/clock.h"
#include "server/lookalike/brand_index.h"
#include "server/store/store.h"

namespace lureguard::certs {

// A log's configuration and what its polls did.
struct CtLogState {
  CtLogConfig config;
  absl::Time create_time = absl::UnixEpoch();
  int64_t cursor = 0;     // index of the next entry to read
  int64_t tree_size = 0;  // as of the last tree head read
  absl::Time last_attempt_time = absl::UnixEpoch();  // epoch: never
  absl::Time last_success_time = absl::UnixEpoch();  // epoch: never
  std::string last_error;  // of the last poll; empty when it succeeded
  int consecutive_failures = 0;
  absl::Time next_run_time = absl::UnixEpoch();  // epoch: at once
  int64_t entries_read = 0;                      // since the log was added
  int64_t alert_count = 0;                       // alerts this log produced
  int64_t malformed_count = 0;    // entries skipped because they did not parse
  std::string last_malformed;     // why the last one was skipped
  double entries_per_second = 0;  // of the last poll that read entries
  // The version of the store record this state was read from (not part of
  // the encoding): the cursor is written only over that version, so a
  // replica that lost the CT lease mid-poll cannot move it back.
  int64_t record_version = 0;
};

// The store record encoding of a CtLogState ("key=value" lines, values
// C-escaped). Exposed for tests.
std::string EncodeCtLogState(const CtLogState& state);
absl::StatusOr<CtLogState> DecodeCtLogState(absl::string_view payload);

struct CtMonitorOptions {
  int batch_size = 256;  // RFC 6962 entries per get-entries call
  int concurrency = 2;   // logs polled at the same time
  absl::Duration backoff_initial = absl::Seconds(30);
  absl::Duration backoff_max = absl::Hours(1);
  // At most this many entries per poll, so one busy log cannot starve the
  // others; the next poll of a log behind its head starts at once.
  int64_t max_entries_per_poll = 100000;
  // A lookalike match this strong or stronger alerts: the policy's WARN
  // threshold, so an alert is exactly a name a check would warn about.
  double min_alert_weight = 0.5;
};

class CtMonitor {
 public:
  // Makes the client for a log; production wraps NewCtLogClient.
  using ClientFactory =
      std::function<std::unique_ptr<CtLogClient>(const CtLogConfig&)>;
  // The current brand index (null when no brand is protected).
  using BrandSource =
      std::function<std::shared_ptr<const lookalike::BrandIndex>()>;

  static constexpr absl::Duration kMinInterval = absl::Seconds(1);
  static constexpr absl::Duration kMaxInterval = absl::Hours(24);

  // Everything passed in must outlive the monitor. `notifier` may be null.
  CtMonitor(store::Store& store, ClientFactory clients, BrandSource brands,
            const Clock& clock, CtMonitorOptions options,
            AlertNotifier* notifier = nullptr);
  ~CtMonitor();

  CtMonitor(const CtMonitor&) = delete;
  CtMonitor& operator=(const CtMonitor&) = delete;

  // Starts the worker threads. REQUIRES: not started.
  void Start();
  // Stops them after the batch in progress. Idempotent.
  void Stop();

  // Adds the log or replaces its configuration (its cursor and status are
  // kept unless `start_index` is given). A new log without `start_index`
  // starts at the log's current tree size, read now: that also checks the
  // URL and API answer. InvalidArgument names the field; the tree head's
  // error otherwise.
  absl::StatusOr<CtLogState> Add(const CtLogConfig& config,
                                 std::optional<int64_t> start_index);

  // Removes the log (its alerts stay). Waits for a poll in progress. NotFound
  // when there is no such log.
  absl::Status Remove(absl::string_view name);

  // Every log, ordered by name.
  absl::StatusOr<std::vector<CtLogState>> List();

  // Polls the log now on the calling thread, up to its tree head or
  // max_entries_per_poll, and returns its new state (a failed poll is a
  // state with last_error, not an error status). NotFound without the log.
  absl::StatusOr<CtLogState> PollNow(absl::string_view name);

 private:
  absl::StatusOr<CtLogState> Load(absl::string_view name);
  store::StoredRecord Record(const CtLogState& state) const;
  // Reads from the log into `state` and commits batch by batch.
  absl::Status Poll(CtLogState& state);
  // Alerts for the names of `entry` that imitate a brand.
  std::vector<store::AlertRecord> AlertsFor(const CtEntry& entry,
                                            const lookalike::BrandIndex& brands,
                                            CtLogClient& client,
                                            CtLogState& state);
  // Polls `name` unless it is being polled; claims it while polling.
  absl::StatusOr<CtLogState> PollClaimed(absl::string_view name);
  void Run();

  store::Store& store_;
  const ClientFactory clients_;
  const BrandSource brands_;
  const Clock& clock_;
  const CtMonitorOptions options_;
  AlertNotifier* const notifier_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Grows when a log is added or changed, waking idle workers.
  int64_t wake_generation_ ABSL_GUARDED_BY(mu_) = 0;
  // Logs being polled or removed: each log has one poll at a time.
  absl::flat_hash_set<std::string> busy_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_CT_MONITOR_H_
