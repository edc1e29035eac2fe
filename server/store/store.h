// The store: the durable source of truth behind every snapshot.
//
// Admin writes and feed refreshes go to the store, each in one transaction;
// the engine then rebuilds its in-memory snapshot from it. Implementations:
// SQLite (the embedded default, `OpenSqliteStore`) and PostgreSQL (for
// several replicas sharing one store, `OpenPostgresStore`).
//
// Thread safety: a Store is safe for concurrent use by multiple threads
// without external synchronization. Writes are serialized.
//
// Example:
//   absl::StatusOr<std::unique_ptr<Store>> store =
//       OpenSqliteStore("/var/lib/lureguard/lureguard.db");
//   ListEntryRecord entry;
//   entry.list = ListType::kBlock;
//   entry.kind = EntryKind::kDomain;
//   entry.value = "evil.example";
//   absl::StatusOr<ListEntryRecord> stored = (*store)->UpsertEntry(entry);

#ifndef LUREGUARD_SERVER_STORE_STORE_H_
#define LUREGUARD_SERVER_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/file_system.h"
#include "server/store/audit_log.h"
#include "server/store/click_store.h"
#include "server/store/record_store.h"

namespace lureguard::store {

// Which list an entry belongs to. Values are persisted: never renumber.
enum class ListType { kBlock = 1, kAllow = 2 };

// What an entry matches. Values are persisted: never renumber.
enum class EntryKind {
  kHost = 1,       // exactly this host
  kDomain = 2,     // this host and all hosts below it
  kUrlPrefix = 3,  // "host/path-prefix", Safe Browsing expression semantics
  kExactUrl = 4,   // "host/path?query", the canonical URL without scheme
  kIpRange = 5,    // an IPv4/IPv6 address or CIDR range
};

// The kind of harm an entry lists, for the verdict's threat types. Values
// are persisted and equal lureguard.v1.ThreatType's: never renumber.
enum class ThreatType {
  kPhishing = 1,  // credential harvesting, the default
  kMalware = 2,   // malware distribution (URLhaus)
  kUnwanted = 4,  // unwanted software, scams, grey-area downloads
};

// "phishing", "malware" or "unwanted".
const char* ThreatTypeName(ThreatType threat);
// The inverse of ThreatTypeName; nullopt for any other name.
std::optional<ThreatType> ParseThreatType(std::string_view name);

// One persisted block- or allow-list entry. Values are already normalized
// by the caller (the store does not parse them). Times are stored to the
// microsecond.
//
// Writes refuse an invalid record with InvalidArgument naming the field and
// value ("value: must not be empty"): the value must be 1 to 8192 bytes of
// UTF-8 without control characters; the reason at most 1024 bytes of UTF-8;
// the source 1 to 128 and the tenant 0 to 128 printable ASCII characters
// without spaces; list, kind and threat known enumerators; create_time
// finite.
struct ListEntryRecord {
  int64_t id = 0;  // assigned by the store; increasing, never reused
  ListType list = ListType::kBlock;
  EntryKind kind = EntryKind::kDomain;
  ThreatType threat = ThreatType::kPhishing;
  std::string value;
  std::string reason;
  std::string source = "admin";  // "admin" or "feed:NAME"
  std::string tenant;            // empty: every tenant
  absl::Time create_time = absl::UnixEpoch();
  absl::Time expire_time = absl::InfiniteFuture();  // never, by default
};

// A list entry as a scan reads it (Store::ScanEntries): the fields of
// ListEntryRecord, with the strings as views into the store's current row.
// The views are valid only during the Visit() call that receives them.
struct ListEntryView {
  int64_t id = 0;
  ListType list = ListType::kBlock;
  EntryKind kind = EntryKind::kDomain;
  ThreatType threat = ThreatType::kPhishing;
  std::string_view value;
  std::string_view reason;
  std::string_view source;
  std::string_view tenant;
  absl::Time create_time = absl::UnixEpoch();
  absl::Time expire_time = absl::InfiniteFuture();
};

// A view of `record`'s fields; valid while `record` lives.
inline ListEntryView ViewOf(const ListEntryRecord& record) {
  return {.id = record.id,
          .list = record.list,
          .kind = record.kind,
          .threat = record.threat,
          .value = record.value,
          .reason = record.reason,
          .source = record.source,
          .tenant = record.tenant,
          .create_time = record.create_time,
          .expire_time = record.expire_time};
}

// Receives the entries of a Store::ScanEntries, on the scanning thread.
class EntryVisitor {
 public:
  virtual ~EntryVisitor() = default;

  // May be called once, before the first Visit(), with an upper bound on
  // the entries that follow (what the store counts without reading them:
  // every list, expired entries included), so that the visitor can size
  // its buffers once instead of growing them.
  virtual void Expect([[maybe_unused]] int64_t entries) {}

  // Called for each entry, in id order.
  virtual void Visit(const ListEntryView& entry) = 0;
};

// One page of a list, ordered by id.
struct ListEntryPage {
  std::vector<ListEntryRecord> entries;
  int64_t last_id = 0;     // id of the last entry returned
  bool has_more = false;   // entries with larger ids exist
  int64_t total_size = 0;  // entries in the list and tenant, all pages
};

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

// A host the login-page beacon saw serving a tenant's login page (schema
// v7, table `beacon_flags`): written by login/BeaconFlags, one row per
// (tenant, host), refreshed while hits keep coming, gone after
// `expire_time` (swept by DeleteExpiredBeaconFlags) or when an admin
// deletes it. Times are stored to the microsecond.
//
// Writes refuse an invalid record with InvalidArgument naming the field:
// the tenant as for list entries, the host 1 to 253 printable ASCII
// characters, brand and technique at most 128 bytes of UTF-8, times finite.
struct BeaconFlagRecord {
  std::string tenant;
  std::string host;       // canonical host of the beacon's Referer
  std::string brand;      // the tenant's brand, or the brand imitated
  std::string technique;  // "reverse-proxy", or the lookalike technique
  absl::Time first_seen = absl::UnixEpoch();
  absl::Time last_seen = absl::UnixEpoch();
  int64_t hits = 1;  // beacon hits recorded (rate-limited hits are not)
  absl::Time expire_time = absl::UnixEpoch();
};

// Persistence for Lureguard's admin-managed data. Its parts that code can
// take alone are narrow interfaces of their own, which it inherits: the
// records and revision (record_store.h), the audit log (audit_log.h) and
// the clicks (click_store.h).
//
// Every write method commits one transaction. When the calling thread has
// an open AuditScope whose record is not yet written, the first of its
// transactions that changes anything also inserts that record: the change
// and its audit record commit together or not at all.
class Store : public RecordStore, public AuditLog, public ClickStore {
 public:
  virtual ~Store() = default;

  // Inserts `entry`, or when an entry with the same (list, tenant, kind,
  // value, source) exists, refreshes its reason, create_time and
  // expire_time. Returns the stored record with its id.
  virtual absl::StatusOr<ListEntryRecord> UpsertEntry(
      const ListEntryRecord& entry) = 0;

  // Deletes the entries of `list` and `tenant` with this exact `value` and
  // `source`, of `kind` when given, of any kind otherwise. Returns how many
  // were deleted (0 is not an error here).
  virtual absl::StatusOr<int64_t> DeleteEntries(ListType list,
                                                std::string_view tenant,
                                                std::string_view value,
                                                std::optional<EntryKind> kind,
                                                std::string_view source) = 0;

  // Returns up to `page_size` entries of `list` and `tenant` with id greater
  // than `after_id`, in id order, expired or not (until DeleteExpired).
  // REQUIRES: page_size > 0, after_id >= 0 (else InvalidArgument).
  virtual absl::StatusOr<ListEntryPage> ListEntries(ListType list,
                                                    std::string_view tenant,
                                                    int64_t after_id,
                                                    int page_size) = 0;

  // Upserts all `entries` in one transaction: either all are written or, on
  // any failure, none is and the previous contents are intact. When
  // `replace_source` is set, every existing entry with that source is
  // deleted in the same transaction first (a feed refresh; entries that
  // come back get new ids). Returns the number of entries written. An
  // invalid record fails the whole import with an error naming its index:
  // "entries[42].value: must not be empty".
  //
  // `still_wanted` (may be empty) is asked as the import runs and once more
  // just before it commits; when it says no (the client cancelled, its
  // deadline passed, the server is stopping), the import rolls back and
  // returns Cancelled. So a caller that was told an import failed never
  // sees it commit afterwards.
  virtual absl::StatusOr<int64_t> ImportEntries(
      const std::vector<ListEntryRecord>& entries,
      std::optional<std::string> replace_source,
      const std::function<bool()>& still_wanted) = 0;
  // An import nobody abandons: feeds, tests and tools.
  absl::StatusOr<int64_t> ImportEntries(
      const std::vector<ListEntryRecord>& entries,
      std::optional<std::string> replace_source) {
    return ImportEntries(entries, std::move(replace_source), nullptr);
  }

  // Calls `visit` for every entry whose expire_time is after `now`, in id
  // order, from one consistent read transaction. For snapshot builds: it
  // streams, and neither waits for nor delays writes. `visit` may call the
  // store; writes committed meanwhile are not seen by this iteration.
  virtual absl::Status ForEachEntry(
      absl::Time now,
      const std::function<void(const ListEntryRecord&)>& visit) = 0;

  // As ForEachEntry, without copying each entry's strings: the snapshot
  // rebuild, which reads every entry, runs on this. Calls
  // `visitor.Expect()` first when the store knows its size cheaply. The
  // default implementation reads through ForEachEntry.
  virtual absl::Status ScanEntries(absl::Time now, EntryVisitor& visitor);

  // Deletes entries that expired at or before `now`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteExpired(absl::Time now) = 0;

  // Replaces every entry with `source` by `entries` and replaces `record`,
  // in one transaction: a feed refresh and its status commit together or
  // not at all. `record` is written as UpdateRecord writes it, only over
  // the version it names: NotFound when it was deleted meanwhile (the feed
  // removed through another replica; a refresh never re-creates it),
  // Aborted when it was written meanwhile (a newer refresh, a config
  // change); either way nothing of the refresh is written. Returns the
  // number of entries written.
  virtual absl::StatusOr<int64_t> ReplaceSourceEntries(
      const std::string& source, const std::vector<ListEntryRecord>& entries,
      const StoredRecord& record) = 0;

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
  // Inserts the beacon flag, or replaces the one with its (tenant, host).
  // Not part of any snapshot: no revision bump.
  virtual absl::Status PutBeaconFlag(const BeaconFlagRecord& flag) = 0;

  // Every beacon flag whose expire_time is after `now`, all tenants,
  // ordered by tenant and host.
  virtual absl::StatusOr<std::vector<BeaconFlagRecord>> ListBeaconFlags(
      absl::Time now) = 0;

  // Deletes the flag of (tenant, host), expired or not; returns whether it
  // existed. A write transaction: an open AuditScope's record commits
  // with it (an admin's `beacons rm`).
  virtual absl::StatusOr<bool> DeleteBeaconFlag(std::string_view tenant,
                                                std::string_view host) = 0;

  // Deletes the flags that expired at or before `now`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteExpiredBeaconFlags(absl::Time now) = 0;

  // Where the data lives, for status and logs, e.g. "sqlite:/var/x.db".
  virtual std::string Describe() const = 0;

  // Calls `on_change` soon after any process sharing this store commits a
  // write that changes something (PostgreSQL: a notification on the
  // `lureguard_revision` channel, typically within milliseconds), so that
  // readers refresh without waiting for their next poll. A null function
  // stops the calls; when this returns, no call is running or will start.
  // `on_change` runs on a thread of the store's and must not block.
  // Notifications can be lost (a dropped connection): callers keep polling
  // Revision() as well. The default implementation (SQLite, whose writers
  // share one machine) never calls it.
  virtual void SetChangeListener(
      [[maybe_unused]] std::function<void()> on_change) {}

  // Whether this store object holds the lease `name` now, taking it when
  // it is free. Of all the processes sharing the store, at most one holds
  // a lease at any time, so that work that must run once (feed refreshes,
  // CT polling) runs on one replica. The holder keeps it until the store is
  // closed or its process dies (PostgreSQL: a session advisory lock, freed
  // when the holder's connection ends, so a killed replica's lease is free
  // at once). Call it before each unit of the work: a lease lost with the
  // database connection reads false, or Unavailable while the database
  // cannot be reached. The default implementation (SQLite, one machine)
  // always grants it.
  virtual absl::StatusOr<bool> HoldLease(
      [[maybe_unused]] std::string_view name) {
    return true;
  }
};

// Opens (creating if needed) the SQLite store at `path`, in WAL mode, and
// migrates its schema to the current version. Fails with a message naming
// the path when the file is not a Lureguard database, is corrupt, is from a
// newer version, or cannot be written. Codes: FailedPrecondition for what
// an operator must fix (missing or unwritable directory, foreign or newer
// file, "file is not a database"), DataLoss for a corrupt database. The
// directory must exist: creating it is the caller's job. Whether the file
// and directory can be written is asked of `fs` (tests pass one that says
// no); SQLite does its own I/O.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, FileSystem& fs = DefaultFileSystem());

// Connects to the PostgreSQL database named by `url` (a libpq connection
// URI, "postgresql://user:password@host:5432/dbname?sslmode=require"),
// claims it for Lureguard when it has no tables, and migrates its schema to
// the current version. Several processes may open the same database: their
// writes are serialized by the database, each commit bumps the shared
// revision and notifies the `lureguard_revision` channel. Codes:
// InvalidArgument for a URL libpq cannot parse (the message never quotes
// the URL, which may hold a password), Unavailable when the server cannot
// be reached or refuses the login, FailedPrecondition for a database that
// holds other tables, is from a newer version or is not UTF-8. Describe()
// is the URL without its password.
absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(
    const std::string& url);

// Where a store lives, as `--store` and ServerConfig.store name it:
// "sqlite:PATH" or a "postgresql://" (or "postgres://") URL.
//
// InvalidArgument starting "store: " and saying what is wrong when
// `location` names neither; the message never quotes a URL, which may hold
// a password.
absl::Status ValidateStoreLocation(std::string_view location);

// `location` as logs and status may show it: a URL without its password.
// REQUIRES: ValidateStoreLocation(location) is OK.
std::string DescribeStoreLocation(std::string_view location);

// Opens the store `location` names (OpenSqliteStore, OpenPostgresStore).
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& location);

}  // namespace lureguard::store

#endif  // LUREGUARD_SERVER_STORE_STORE_H_
