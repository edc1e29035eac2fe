// The clicks on rewritten mail links, apart from the rest of the store:
// `ClickStore` is the narrow interface that click code (links/
// ClickRecorder) takes. `Store` inherits it, so the SQLite and PostgreSQL
// stores are click stores; tests/fakes/in_memory_click_store.h is one in
// memory, held to the same assertions as both (click_store_test.cc).
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   ClickStore& clicks = *store;  // any Store
//   absl::StatusOr<ClickRecord> row = clicks.RecordClick(click,
//   absl::Hours(1)); absl::StatusOr<ClickPage> page =
//   clicks.ListClicks({.page_size = 50});

#ifndef LUREGUARD_SERVER_STORE_CLICK_STORE_H_
#define LUREGUARD_SERVER_STORE_CLICK_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lureguard::store {

// Confirmed clicks on one rewritten mail link (the click page's
// "continue" POST) by one recipient within one window (schema v7): the
// first click's row, whose `count` and `last_time` later clicks in the
// window update (ClickStore::RecordClick), so a flood of POSTs is one row.
//
// Writes refuse an invalid record with InvalidArgument naming the field:
// the URL must be 1 to 8192 bytes of UTF-8, the tenant as for list
// entries, the recipient id and verdict id at most 64 printable ASCII
// characters, `time` finite.
struct ClickRecord {
  int64_t id = 0;  // assigned by the store; increasing, never reused
  absl::Time time = absl::UnixEpoch();  // the window's first click
  std::string tenant;
  std::string recipient_id;  // opaque keyed hash; never an address
  std::string url;
  int action = 0;          // lureguard.v1.ClickAction taken, as a number
  int verdict_action = 0;  // lureguard.v1.Action of the click-time verdict
  std::string verdict_id;
  // Clicks the row stands for (1 for rows written before schema v7), and
  // the time of the last of them (`time` when there was one).
  int64_t count = 1;
  absl::Time last_time = absl::UnixEpoch();
};

// Which clicks to read: newest first, older than `before_id` when it is
// positive, of one tenant when `tenant` is set.
struct ClickQuery {
  int64_t before_id = 0;
  int page_size = 100;
  std::optional<std::string> tenant = {};
};

// One page of clicks, newest first.
struct ClickPage {
  std::vector<ClickRecord> clicks;
  bool has_more = false;  // older matching clicks exist
};

// Where clicks are kept; see the file comment.
class ClickStore {
 public:
  virtual ~ClickStore() = default;

  // Appends a click; returns it with its id. Clicks are not part of any
  // snapshot: the revision does not grow, and no audit record is written.
  virtual absl::StatusOr<ClickRecord> AddClick(const ClickRecord& click) = 0;

  // A page of clicks. REQUIRES: page_size > 0 (else InvalidArgument).
  virtual absl::StatusOr<ClickPage> ListClicks(const ClickQuery& query) = 0;

  // Records one click, deduplicated (schema v7): when a row of the same
  // tenant, recipient_id and url has its first click (`time`) after
  // `click.time - window`, that row's count grows by one and its
  // last_time, action, verdict_action and verdict_id become the click's;
  // otherwise `click` is inserted with count 1. Returns the row as stored.
  // No revision bump and no audit record, as for AddClick.
  // REQUIRES: window > 0 (else InvalidArgument "window: ...").
  virtual absl::StatusOr<ClickRecord> RecordClick(const ClickRecord& click,
                                                  absl::Duration window) = 0;

  // Deletes the clicks whose last click is before `cutoff` (retention);
  // returns how many rows.
  virtual absl::StatusOr<int64_t> DeleteClicksBefore(absl::Time cutoff) = 0;
};

}  // namespace lureguard::store

#endif  // LUREGUARD_SERVER_STORE_CLICK_STORE_H_
