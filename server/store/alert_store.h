// The certificate-transparency alerts of the store, apart from the rest
// of it: `AlertStore` is the narrow interface that the CT monitor and the
// alert admin calls can take. `Store` inherits it, so the SQLite and
// PostgreSQL stores are alert stores; their behaviour is asserted in
// store_test.cc.
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   AlertStore& alerts = *store;  // any Store
//   absl::StatusOr<std::vector<AlertRecord>> added =
//       alerts.AddAlerts(batch, log_cursor);
//   absl::StatusOr<AlertPage> open = alerts.ListAlerts(0, 50, true);

#ifndef LUREGUARD_SERVER_STORE_ALERT_STORE_H_
#define LUREGUARD_SERVER_STORE_ALERT_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/record_store.h"

namespace lureguard::store {

// One certificate-transparency alert: a name in a logged certificate that
// imitates a protected brand. Written by the CT monitor (server/certs/),
// deduplicated by `dedup_key`, acknowledged by an admin. Times are stored
// to the microsecond; `weight` to the thousandth.
struct AlertRecord {
  int64_t id = 0;         // assigned by the store; increasing, never reused
  std::string dedup_key;  // alerts with an existing key are not added again
  std::string name;       // the certificate name that matched ("*.x.com")
  std::string brand;      // the protected brand it imitates
  std::string technique;  // e.g. "ascii-homoglyph"
  std::string official_domain;
  double weight = 0;  // the lookalike match's confidence
  std::string evidence;
  std::string issuer;       // the issuing CA's subject, e.g. "CN=R3, O=..."
  std::string serial;       // the certificate's serial number, hex
  std::string cert_sha256;  // hex SHA-256 of the logged certificate DER
  bool precertificate = false;
  absl::Time not_before = absl::UnixEpoch();
  absl::Time not_after = absl::UnixEpoch();
  std::string log_name;
  int64_t log_index = 0;
  absl::Time create_time = absl::UnixEpoch();
  std::optional<absl::Time> ack_time;  // unset until acknowledged
};

// One page of alerts, ordered by id.
struct AlertPage {
  std::vector<AlertRecord> alerts;
  int64_t last_id = 0;    // id of the last alert returned
  bool has_more = false;  // more alerts with larger ids match
};

// Where CT alerts are kept; see the file comment.
class AlertStore {
 public:
  virtual ~AlertStore() = default;

  // Adds the alerts whose dedup_key is not stored yet and, when given,
  // replaces `record` (the CT log's cursor), in one transaction: a batch of
  // log entries and the cursor past it commit together or not at all.
  // `record` is written as UpdateRecord writes it, only over the version it
  // names: NotFound when the log was removed meanwhile (never re-created),
  // Aborted when its cursor was written meanwhile (by a poll on another
  // replica); either way no alert of the batch is added.
  // Returns the alerts added, with their ids. The revision grows only when
  // an alert was added (alerted hosts are part of the verdict snapshot).
  virtual absl::StatusOr<std::vector<AlertRecord>> AddAlerts(
      const std::vector<AlertRecord>& alerts,
      const std::optional<StoredRecord>& record) = 0;

  // Up to `page_size` alerts with id greater than `after_id`, in id order;
  // only unacknowledged ones when `unacked_only`.
  // REQUIRES: page_size > 0, after_id >= 0 (else InvalidArgument).
  virtual absl::StatusOr<AlertPage> ListAlerts(int64_t after_id, int page_size,
                                               bool unacked_only) = 0;

  // Marks the alert acknowledged at `when` (an alert acknowledged before
  // keeps its first time). NotFound when there is no such alert.
  virtual absl::StatusOr<AlertRecord> AckAlert(int64_t id, absl::Time when) = 0;

  // Calls `visit` for every alert created at or after `since`, in id order,
  // from one read transaction. For snapshot builds.
  virtual absl::Status ForEachAlert(
      absl::Time since,
      const std::function<void(const AlertRecord&)>& visit) = 0;
};

}  // namespace lureguard::store

#endif  // LUREGUARD_SERVER_STORE_ALERT_STORE_H_
