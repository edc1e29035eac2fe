// Keeps the configured block-list feeds fresh.
//
// Feeds are records in the store (collection "feed"). One background thread
// refreshes each feed when it is due: fetch and parse (FeedRefresher), then
// replace the feed's entries and write its status in one store transaction
// only after a complete parse. Any failure (network, HTTP status, parse)
// keeps the previous entries and records the error and the backoff in the
// feed's status. Refreshes run one at a time, so a slow feed never occupies
// more than one thread and never blocks a verdict.
//
// Thread safety: safe for concurrent use.
//
// Example:
//   FeedManager feeds(*store, refresher, SystemClock());
//   feeds.Start();
//   FeedConfig config{.name = "openphish", .url = "https://...",
//                     .format = "urls"};
//   absl::StatusOr<FeedState> state = feeds.Upsert(config);
//   absl::StatusOr<FeedState> refreshed = feeds.RefreshNow("openphish", "");

#ifndef LUREGUARD_SERVER_LISTS_FEED_MANAGER_H_
#define LUREGUARD_SERVER_LISTS_FEED_MANAGER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/lists/feed_fetcher.h"
#include "server/store/store.h"

namespace lureguard::lists {

// What an admin configures for a feed.
struct FeedConfig {
  std::string name;    // [a-z0-9][a-z0-9._-]*, at most 64 characters
  std::string tenant;  // empty: every tenant
  std::string url;     // http:// or https://
  std::string format = "auto";
  absl::Duration interval = absl::Hours(1);
  bool enabled = true;
  store::ListType list = store::ListType::kBlock;
  // What its entries list; unset: DefaultThreatType() of the format each
  // refresh parses (malware for URLhaus, phishing otherwise), so that an
  // "auto" feed that turns out to be URLhaus is malware too.
  std::optional<store::ThreatType> threat;
};

// A feed's configuration and what its refreshes did.
struct FeedState {
  FeedConfig config;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time last_attempt_time = absl::UnixEpoch();  // epoch: never
  absl::Time last_success_time = absl::UnixEpoch();  // epoch: never
  std::string last_error;     // of the last attempt; empty when it succeeded
  int64_t entry_count = 0;    // entries written by the last success
  int64_t skipped_count = 0;  // invalid lines in the last success
  int consecutive_failures = 0;
  absl::Time next_run_time = absl::UnixEpoch();  // epoch: as soon as possible
  std::string etag;  // validators for conditional requests
  std::string last_modified;
  // The version of the store record this state was read from (not part of
  // the encoding): a refresh's status is written only over that version,
  // so a replica that lost the feed lease mid-refresh cannot overwrite a
  // newer one.
  int64_t record_version = 0;

  // The list-entry source of this feed's entries: "feed:NAME".
  std::string source() const { return "feed:" + config.name; }
};

// The store record encoding of a FeedState: "key=value" lines, values
// C-escaped. Exposed for tests.
std::string EncodeFeedState(const FeedState& state);
absl::StatusOr<FeedState> DecodeFeedState(absl::string_view payload);

class FeedManager {
 public:
  // A feed interval below this would hammer the feed's server; PhishTank
  // and OpenPhish publish hourly at best.
  static constexpr absl::Duration kMinInterval = absl::Minutes(1);
  static constexpr absl::Duration kMaxInterval = absl::Hours(24 * 7);

  // `store`, `refresher` and `clock` must outlive the manager. Feeds may
  // have intervals from `min_interval` (at least a second) to kMaxInterval.
  FeedManager(store::Store& store, FeedRefresher& refresher, const Clock& clock,
              absl::Duration min_interval = kMinInterval);
  ~FeedManager();

  FeedManager(const FeedManager&) = delete;
  FeedManager& operator=(const FeedManager&) = delete;

  // Starts the background refresh thread. REQUIRES: not started.
  void Start();
  // Stops it; a refresh in progress finishes first. Idempotent.
  void Stop();

  // Creates the feed or replaces its configuration (its status is kept),
  // and schedules a refresh now. InvalidArgument names the field.
  absl::StatusOr<FeedState> Upsert(const FeedConfig& config);

  // Removes the feed and exactly its entries, in one transaction. NotFound
  // when there is no such feed.
  absl::Status Remove(absl::string_view name, absl::string_view tenant);

  // Every feed, ordered by tenant and name.
  absl::StatusOr<std::vector<FeedState>> List();

  // Refreshes the feed now on the calling thread and returns its new state
  // (a failed refresh is a state with last_error, not an error status).
  // NotFound when there is no such feed.
  absl::StatusOr<FeedState> RefreshNow(absl::string_view name,
                                       absl::string_view tenant);

 private:
  absl::Status ValidateConfig(const FeedConfig& config) const;
  absl::StatusOr<FeedState> Load(absl::string_view name,
                                 absl::string_view tenant);
  // Fetches, parses and commits one refresh of `state`.
  absl::StatusOr<FeedState> Refresh(FeedState state)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  store::StoredRecord Record(const FeedState& state) const;
  void Run();

  store::Store& store_;
  FeedRefresher& refresher_;
  const Clock& clock_;
  const absl::Duration min_interval_;

  // Serializes refreshes: one feed at a time, whoever asks.
  absl::Mutex refresh_mu_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_FEED_MANAGER_H_
