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
#include "server/store/alert_store.h"
#include "server/store/audit_log.h"
#include "server/store/click_store.h"
#include "server/store/list_entry_store.h"
#include "server/store/record_store.h"

namespace lureguard::store {

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
// list entries and feed sources (list_entry_store.h), the records and
// revision (record_store.h), the CT alerts (alert_store.h), the audit log
// (audit_log.h) and the clicks (click_store.h). Beacon flags, leases and
// change notices are its own.
//
// Every write method commits one transaction. When the calling thread has
// an open AuditScope whose record is not yet written, the first of its
// transactions that changes anything also inserts that record: the change
// and its audit record commit together or not at all.
class Store : public ListEntryStore,
              public RecordStore,
              public AlertStore,
              public AuditLog,
              public ClickStore {
 public:
  virtual ~Store() = default;

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
