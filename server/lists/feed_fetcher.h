// One refresh of a block-list feed: fetch (conditional GET), parse the
// whole body, and say when to refresh next. It never writes the store: the
// caller replaces the feed's entries in one transaction only for a
// kUpdated result, so a failed or partial refresh keeps the previous
// entries.
//
// Scheduling: after a success or a 304 the next refresh is `interval`
// later. After the n-th failure in a row it is the backoff
// initial_backoff * 2^(n-1), capped at max_backoff, minus a random part of
// up to `jitter` of it ("equal jitter", AWS Architecture Blog, "Exponential
// Backoff and Jitter", 2015) so replicas that failed together do not retry
// together. The random source is seeded by the caller so tests are exact.
//
// Thread safety: FeedRefresher is safe for concurrent use by multiple
// threads without external synchronization (if its HttpFetcher is).
//
// Example:
//   FeedRefresher refresher(fetcher, SystemClock(), FeedRefreshOptions(),
//                           /*seed=*/std::random_device{}());
//   FeedDefinition feed;  // from the store
//   feed.name = "openphish";
//   feed.url = "https://openphish.com/feed.txt";
//   feed.format = "urls";
//   FeedRefreshResult r = refresher.Refresh(feed);
//   if (r.outcome == FeedRefreshOutcome::kUpdated) {
//     // replace the feed's entries with r.import.entries, in one
//     // transaction; store r.etag and r.last_modified
//   }
//   // schedule the next run at r.next_refresh_time

#ifndef LUREGUARD_SERVER_LISTS_FEED_FETCHER_H_
#define LUREGUARD_SERVER_LISTS_FEED_FETCHER_H_

#include <cstdint>
#include <random>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/lists/http_fetcher.h"
#include "server/lists/import_parser.h"

namespace lureguard::lists {

// A feed as the scheduler knows it before this refresh.
struct FeedDefinition {
  std::string name;             // for messages: "feed 'openphish': ..."
  std::string url;              // http:// or https://
  std::string format = "auto";  // an ImportParser format
  // Validators of the last successful fetch; empty the first time.
  std::string etag;
  std::string last_modified;
  int consecutive_failures = 0;  // before this refresh
  // The feed's own refresh interval; zero uses the schedule's.
  absl::Duration interval = absl::ZeroDuration();
  // A feed that may legitimately list nothing (URLhaus "online" at a quiet
  // hour). Otherwise an empty body is a failure: an empty 200 from a broken
  // mirror must not wipe the list.
  bool allow_empty = false;
};

// When to refresh; see the header comment.
struct FeedSchedule {
  absl::Duration interval = absl::Hours(1);
  absl::Duration initial_backoff = absl::Minutes(1);
  absl::Duration max_backoff = absl::Hours(6);
  double jitter = 0.5;  // in [0, 1]
};

struct FeedRefreshOptions {
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration total_timeout = absl::Seconds(120);
  int64_t max_body_bytes = int64_t{64} << 20;
  FeedSchedule schedule;
};

enum class FeedRefreshOutcome {
  kUpdated,      // `import` holds the feed's complete new entries
  kNotModified,  // 304: keep the current entries
  kFailed,       // `status` says why; keep the current entries
};

struct FeedRefreshResult {
  FeedRefreshOutcome outcome = FeedRefreshOutcome::kFailed;
  absl::Status status;  // OK unless kFailed; messages start "feed 'NAME': "
  ImportResult import;  // kUpdated: entries and accepted/duplicate/skipped
  // Validators to store for the next refresh (kUpdated and kNotModified:
  // the server's new ones, or the previous ones when it sent none; kFailed:
  // the previous ones).
  std::string etag;
  std::string last_modified;
  int http_status = 0;     // 0 when no response arrived
  int64_t body_bytes = 0;  // decoded
  absl::Time start_time;
  absl::Duration elapsed;
  int consecutive_failures = 0;  // after this refresh
  absl::Time next_refresh_time;
};

// The backoff before the next try after `consecutive_failures` (>= 1)
// failures in a row; `unit` in [0, 1) picks the jitter.
absl::Duration BackoffDelay(const FeedSchedule& schedule,
                            int consecutive_failures, double unit);

class FeedRefresher {
 public:
  // `fetcher` and `clock` must outlive the refresher.
  FeedRefresher(HttpFetcher& fetcher, const Clock& clock,
                FeedRefreshOptions options, uint64_t seed);

  // Fetches and parses `feed`. Blocks for up to the total timeout plus the
  // parse; run it on a background executor, never on an RPC thread.
  FeedRefreshResult Refresh(const FeedDefinition& feed);

 private:
  // The next uniform double in [0, 1) from the seeded generator.
  double NextUnit();

  HttpFetcher& fetcher_;
  const Clock& clock_;
  const FeedRefreshOptions options_;
  absl::Mutex mu_;
  // mt19937_64 and the conversion in NextUnit are fully specified by the
  // standard, so a seed gives the same schedule on every platform.
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_FEED_FETCHER_H_
