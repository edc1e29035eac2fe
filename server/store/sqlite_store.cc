// The SQLite implementation of Store.
//
// One write connection, guarded by a mutex, serializes writes; reads use a
// small pool of separate connections, so that in WAL mode a snapshot build
// streaming millions of rows neither blocks nor is blocked by admin writes.
// The schema is versioned by `PRAGMA user_version` and advanced by the
// ordered migrations in kMigrations, each in its own transaction.

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/node_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/status_macros.h"
#include "server/common/utf8.h"
#include "server/store/audit_scope.h"
#include "server/store/internal/sqlite_connection.h"
#include "server/store/internal/validation.h"
#include "server/store/store.h"

namespace lureguard::store {
namespace {

using internal::AsAbsl;
using internal::Connection;
using internal::IsFinite;
using internal::IsValidKind;
using internal::IsValidList;
using internal::IsValidThreat;
using internal::Quote;
using internal::RecordChanged;
using internal::RecordGone;
using internal::ScopedStatement;
using internal::Transaction;
using internal::ValidateAlert;
using internal::ValidateBeaconFlag;
using internal::ValidateBeaconHost;
using internal::ValidateClick;
using internal::ValidateEntry;
using internal::ValidateKind;
using internal::ValidateList;
using internal::ValidateRecordKey;
using internal::ValidateSource;
using internal::ValidateTenant;
using internal::ValidateValue;

// Stored in the database header so that a foreign SQLite file is refused
// rather than migrated: "LGRD".
constexpr int64_t kApplicationId = 0x4C475244;

// How many entries an import writes between asks whether it is still
// wanted: often enough to stop a 1 M-entry import within milliseconds of
// its caller giving up, rarely enough to cost nothing.
constexpr size_t kImportCheckEvery = 4096;

absl::Status ImportAbandoned(size_t written) {
  return absl::CancelledError(
      absl::StrCat("the import was abandoned by its caller after ", written,
                   " entries; nothing was written"));
}

// Long enough to ride out another process's checkpoint or short write,
// short enough that a stuck lock surfaces as an error an admin sees.
constexpr int kBusyTimeoutMs = 5000;

// The write connection's page cache. A bulk import updates five b-trees
// (table and four indexes), the key index in random order; with SQLite's
// 2 MiB default its pages are evicted between touches and a 1 M-entry
// import takes 2.2 times as long (12.4 s vs 5.6 s CPU, measured). The
// cache grows only as used.
constexpr char kWriterCacheSize[] = "PRAGMA cache_size = -65536";  // 64 MiB

// A 1 M-entry import grows the WAL to about 60 MiB, 10 M to ten times that;
// truncate it after checkpoints rather than hold the disk until restart.
constexpr char kJournalSizeLimit[] =
    "PRAGMA journal_size_limit = 67108864";  // 64 MiB

// Reader connections kept open for reuse; more concurrent readers open
// extra connections and close them when done.
constexpr size_t kMaxIdleReaders = 4;

// One step of the schema. Never edit a released migration: append a new one.
struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
-- Key-value metadata: 'revision' grows with every write transaction;
-- 'next_entry_id' is the id the next new list entry gets.
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('revision', 0), ('next_entry_id', 1);

-- Block- and allow-list entries. Ids come from meta.next_entry_id rather
-- than AUTOINCREMENT, which costs a statement journal and a sqlite_sequence
-- write per insert (twice the CPU of a bulk import, measured); either way
-- an id is never reused after a delete, as ids are page tokens and handles.
-- Times are Unix microseconds; a NULL expire_time never expires.
CREATE TABLE list_entries(
  id INTEGER PRIMARY KEY,
  list INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  value TEXT NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  tenant TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER
) STRICT;
-- The upsert key. Value before kind so that deleting a value of any kind
-- is an index range, not a scan of the tenant's list.
CREATE UNIQUE INDEX list_entries_by_key
  ON list_entries(list, tenant, value, kind, source);
-- Paging in id order (the rowid is the implicit last column).
CREATE INDEX list_entries_by_list ON list_entries(list, tenant);
-- Feed refreshes replace everything from one source, and count what they
-- delete per list and tenant from this index alone.
CREATE INDEX list_entries_by_source ON list_entries(source, list, tenant);
-- Expiry sweeps; most entries never expire and stay out of this index.
CREATE INDEX list_entries_by_expiry ON list_entries(expire_time)
  WHERE expire_time IS NOT NULL;

-- Entries per list and tenant, so that a page of a 10 M entry list reports
-- its total without counting 10 M index entries. Kept by the store's write
-- path, not by triggers: triggers, like AUTOINCREMENT, double the cost of
-- a bulk import.
CREATE TABLE list_sizes(
  list INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY(list, tenant)
) STRICT, WITHOUT ROWID;
)sql"},
    {2, R"sql(
-- Small named documents of the capabilities (brands, feeds), each an
-- opaque payload its owner encodes. update_time is Unix microseconds.
CREATE TABLE records(
  collection TEXT NOT NULL,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  payload BLOB NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY(collection, tenant, name)
) STRICT, WITHOUT ROWID;
)sql"},
    {3, R"sql(
-- The audit log: one row per admin mutation, inserted in the transaction
-- of the change. Never updated or deleted by the server. Times are Unix
-- microseconds; summaries are one line each, empty when absent.
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  method TEXT NOT NULL,
  target TEXT NOT NULL,
  tenant TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  request_id TEXT NOT NULL
) STRICT;
-- `audit ls` filtered by who or what, newest first.
CREATE INDEX audit_log_by_actor ON audit_log(actor, id);
CREATE INDEX audit_log_by_method ON audit_log(method, id);
)sql"},
    // 3 is the audit log's (another branch); numbers are assigned per
    // capability so that parallel work never clashes.
    {4, R"sql(
-- Certificate-transparency alerts: a logged certificate name imitating a
-- protected brand. dedup_key (issuer, serial and name hashed) makes a
-- precertificate and its final certificate, or a log re-read after a
-- crash, one alert. Times are Unix microseconds; weight is in thousandths.
CREATE TABLE ct_alerts(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dedup_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  brand TEXT NOT NULL,
  technique TEXT NOT NULL,
  official_domain TEXT NOT NULL,
  weight_milli INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  issuer TEXT NOT NULL,
  serial TEXT NOT NULL,
  cert_sha256 TEXT NOT NULL,
  precertificate INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  log_name TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  ack_time INTEGER
) STRICT;
-- Snapshot builds read the recent alerts.
CREATE INDEX ct_alerts_by_time ON ct_alerts(create_time);
-- `alerts ls` shows the unacknowledged ones by default.
CREATE INDEX ct_alerts_unacked ON ct_alerts(id) WHERE ack_time IS NULL;
)sql"},
    {5, R"sql(
-- Confirmed clicks on rewritten mail links (issue #9). Appended by the
-- click endpoint, read newest first by `clicks ls`. Times are Unix
-- microseconds; actions are lureguard.v1.ClickAction and Action numbers.
CREATE TABLE clicks(
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  url TEXT NOT NULL,
  action INTEGER NOT NULL,
  verdict_action INTEGER NOT NULL,
  verdict_id TEXT NOT NULL
) STRICT;
-- One tenant's clicks, newest first.
CREATE INDEX clicks_by_tenant ON clicks(tenant, id);
)sql"},
    {6, R"sql(
-- The kind of harm each entry lists (issue #19), as lureguard.v1.ThreatType
-- numbers. Entries written before it were all phishing, which is what
-- every list match meant then; the default keeps them so.
ALTER TABLE list_entries ADD COLUMN threat INTEGER NOT NULL DEFAULT 1;
)sql"},
    {7, R"sql(
-- Bounded click records (issue #16): a row stands for every click of one
-- recipient on one link within a window; repeats grow `count` and move
-- `last_time`. Rows written before stay single clicks (count 1,
-- last_time NULL meaning `time`).
ALTER TABLE clicks ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE clicks ADD COLUMN last_time INTEGER;
-- The window lookup of RecordClick: one recipient's recent clicks.
CREATE INDEX clicks_by_recipient ON clicks(recipient_id, time);
-- The retention sweep.
CREATE INDEX clicks_by_last_time ON clicks(coalesce(last_time, time));
-- Hosts the login-page beacon saw serving a tenant's login page (issue
-- #16). Times are Unix microseconds; a flag is evidence until
-- expire_time, then swept.
CREATE TABLE beacon_flags(
  tenant TEXT NOT NULL,
  host TEXT NOT NULL,
  brand TEXT NOT NULL,
  technique TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  PRIMARY KEY (tenant, host)
) STRICT;
CREATE INDEX beacon_flags_by_expiry ON beacon_flags(expire_time);
)sql"},
    {8, R"sql(
-- Each record's version (issue #17): grows with every write, so that
-- bookkeeping (a feed's status, a CT log's cursor) is written only over
-- the version it was computed from (compare-and-set).
ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
)sql"},
    {9, R"sql(
-- Click ids are page tokens and what a poller remembers, so they must
-- never come back; a plain rowid does once the retention sweep removes
-- the newest row (a quiet tenant's last click ages out, and the next
-- click takes its id). AUTOINCREMENT's sqlite_sequence write per insert
-- is nothing at click rates. SQLite cannot add it in place: the table is
-- copied, ids and all.
CREATE TABLE clicks_v9(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  url TEXT NOT NULL,
  action INTEGER NOT NULL,
  verdict_action INTEGER NOT NULL,
  verdict_id TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 1,
  last_time INTEGER
) STRICT;
INSERT INTO clicks_v9 (id, time, tenant, recipient_id, url, action,
                       verdict_action, verdict_id, count, last_time)
  SELECT id, time, tenant, recipient_id, url, action, verdict_action,
         verdict_id, count, last_time FROM clicks;
DROP TABLE clicks;
ALTER TABLE clicks_v9 RENAME TO clicks;
CREATE INDEX clicks_by_tenant ON clicks(tenant, id);
CREATE INDEX clicks_by_recipient ON clicks(recipient_id, time);
CREATE INDEX clicks_by_last_time ON clicks(coalesce(last_time, time));
)sql"},
};

constexpr int kSchemaVersion = kMigrations[std::size(kMigrations) - 1].version;

constexpr char kBumpRevision[] =
    "UPDATE meta SET value = value + 1 WHERE key = 'revision'";

constexpr char kPutRecord[] =
    "INSERT INTO records (collection, tenant, name, payload, update_time)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (collection, tenant, name) DO UPDATE SET"
    " payload = excluded.payload, update_time = excluded.update_time,"
    " version = records.version + 1";
// Bookkeeping of a record an admin may delete or change meanwhile (a
// feed's status, a CT log's cursor): written only over the version it was
// computed from, never re-creating a deleted record.
constexpr char kUpdateRecord[] =
    "UPDATE records SET payload = ?4, update_time = ?5, version = version + 1"
    " WHERE collection = ?1 AND tenant = ?2 AND name = ?3 AND version = ?6";
// The first bookkeeping write of a record (version 0: none yet), which
// must not replace one another process created first.
constexpr char kCreateRecord[] =
    "INSERT INTO records (collection, tenant, name, payload, update_time)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (collection, tenant, name) DO NOTHING";
constexpr char kSelectRecordVersion[] =
    "SELECT version FROM records"
    " WHERE collection = ?1 AND tenant = ?2 AND name = ?3";
constexpr char kDeleteRecord[] =
    "DELETE FROM records WHERE collection = ?1 AND tenant = ?2 AND name = ?3";
constexpr char kSelectRecord[] =
    "SELECT collection, tenant, name, payload, update_time, version FROM"
    " records WHERE collection = ?1 AND tenant = ?2 AND name = ?3";
constexpr char kSelectRecords[] =
    "SELECT collection, tenant, name, payload, update_time, version FROM"
    " records WHERE collection = ?1 ORDER BY tenant, name";

constexpr char kInsertAudit[] =
    "INSERT INTO audit_log (time, actor, actor_role, method, target, tenant,"
    " before, after, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr char kSelectAudit[] =
    "SELECT id, time, actor, actor_role, method, target, tenant, before,"
    " after, request_id FROM audit_log"
    " WHERE (?1 <= 0 OR id < ?1) AND (?2 = '' OR actor = ?2)"
    " AND (?3 = '' OR method = ?3) ORDER BY id DESC LIMIT ?4";

constexpr char kInsertClick[] =
    "INSERT INTO clicks (time, tenant, recipient_id, url, action,"
    " verdict_action, verdict_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kSelectClicks[] =
    "SELECT id, time, tenant, recipient_id, url, action, verdict_action,"
    " verdict_id, count, coalesce(last_time, time) FROM clicks"
    " WHERE (?1 <= 0 OR id < ?1)"
    " AND (?2 = 0 OR tenant = ?3) ORDER BY id DESC LIMIT ?4";
// The newest row of one recipient's clicks on one link whose window,
// starting at its first click, is still open at ?4 (time > ?4 - window).
constexpr char kSelectClickInWindow[] =
    "SELECT id FROM clicks WHERE recipient_id = ?1 AND tenant = ?2"
    " AND url = ?3 AND time > ?4 ORDER BY time DESC LIMIT 1";
constexpr char kCountClick[] =
    "UPDATE clicks SET count = count + 1, last_time = ?2, action = ?3,"
    " verdict_action = ?4, verdict_id = ?5 WHERE id = ?1"
    " RETURNING id, time, tenant, recipient_id, url, action, verdict_action,"
    " verdict_id, count, coalesce(last_time, time)";
constexpr char kDeleteClicksBefore[] =
    "DELETE FROM clicks WHERE coalesce(last_time, time) < ?1";

constexpr char kPutBeaconFlag[] =
    "INSERT INTO beacon_flags (tenant, host, brand, technique, first_seen,"
    " last_seen, hits, expire_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (tenant, host) DO UPDATE SET brand = excluded.brand,"
    " technique = excluded.technique, first_seen = excluded.first_seen,"
    " last_seen = excluded.last_seen, hits = excluded.hits,"
    " expire_time = excluded.expire_time";
constexpr char kSelectBeaconFlags[] =
    "SELECT tenant, host, brand, technique, first_seen, last_seen, hits,"
    " expire_time FROM beacon_flags WHERE expire_time > ?1"
    " ORDER BY tenant, host";
constexpr char kDeleteBeaconFlag[] =
    "DELETE FROM beacon_flags WHERE tenant = ?1 AND host = ?2";
constexpr char kDeleteExpiredBeaconFlags[] =
    "DELETE FROM beacon_flags WHERE expire_time <= ?1";

constexpr char kSelectRevision[] =
    "SELECT value FROM meta WHERE key = 'revision'";

// Never below an existing id, whatever meta says.
constexpr char kSelectNextEntryId[] =
    "SELECT max((SELECT value FROM meta WHERE key = 'next_entry_id'),"
    " coalesce((SELECT max(id) FROM list_entries), 0) + 1)";

constexpr char kUpdateNextEntryId[] =
    "UPDATE meta SET value = ?1 WHERE key = 'next_entry_id'";

// Parameters ?1..?9 as bound by BindEntry, ?10 the id if this is an insert.
#define LUREGUARD_UPSERT_ENTRY                                           \
  "INSERT INTO list_entries (list, kind, value, reason, source, tenant," \
  " create_time, expire_time, threat, id)"                               \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"                    \
  " ON CONFLICT (list, tenant, value, kind, source) DO UPDATE SET"       \
  " reason = excluded.reason, create_time = excluded.create_time,"       \
  " expire_time = excluded.expire_time, threat = excluded.threat"

constexpr char kUpsertEntryReturningId[] =
    LUREGUARD_UPSERT_ENTRY " RETURNING id";
constexpr char kUpsertEntry[] = LUREGUARD_UPSERT_ENTRY;
#undef LUREGUARD_UPSERT_ENTRY

constexpr char kAddToListSize[] =
    "INSERT INTO list_sizes (list, tenant, size) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (list, tenant) DO UPDATE SET size = size + excluded.size";

// Columns as read by ReadEntryView.
#define LUREGUARD_ENTRY_COLUMNS                                              \
  "id, list, kind, value, reason, source, tenant, create_time, expire_time," \
  " threat"

constexpr char kSelectPage[] =
    "SELECT " LUREGUARD_ENTRY_COLUMNS
    " FROM list_entries WHERE list = ?1 AND tenant = ?2 AND id > ?3"
    " ORDER BY id LIMIT ?4";

constexpr char kSelectLive[] = "SELECT " LUREGUARD_ENTRY_COLUMNS
                               " FROM list_entries"
                               " WHERE expire_time IS NULL OR expire_time > ?1"
                               " ORDER BY id";
#undef LUREGUARD_ENTRY_COLUMNS

constexpr char kSelectListSize[] =
    "SELECT size FROM list_sizes WHERE list = ?1 AND tenant = ?2";

// Entries of every list and tenant, expired or not.
constexpr char kSelectTotalSize[] =
    "SELECT coalesce(sum(size), 0) FROM list_sizes";

constexpr char kDeleteEntries[] =
    "DELETE FROM list_entries WHERE list = ?1 AND tenant = ?2 AND value = ?3"
    " AND source = ?4 AND (?5 IS NULL OR kind = ?5)";

// Multi-list deletes first count what they will delete per list and tenant,
// in the same transaction, to keep list_sizes exact.
constexpr char kCountSource[] =
    "SELECT list, tenant, count(*) FROM list_entries WHERE source = ?1"
    " GROUP BY list, tenant";
constexpr char kDeleteSource[] = "DELETE FROM list_entries WHERE source = ?1";

constexpr char kCountExpired[] =
    "SELECT list, tenant, count(*) FROM list_entries"
    " WHERE expire_time IS NOT NULL AND expire_time <= ?1"
    " GROUP BY list, tenant";
constexpr char kDeleteExpired[] =
    "DELETE FROM list_entries"
    " WHERE expire_time IS NOT NULL AND expire_time <= ?1";

#define LUREGUARD_ALERT_COLUMNS                                           \
  "id, dedup_key, name, brand, technique, official_domain, weight_milli," \
  " evidence, issuer, serial, cert_sha256, precertificate, not_before,"   \
  " not_after, log_name, log_index, create_time, ack_time"

constexpr char kInsertAlert[] =
    "INSERT INTO ct_alerts (dedup_key, name, brand, technique,"
    " official_domain, weight_milli, evidence, issuer, serial, cert_sha256,"
    " precertificate, not_before, not_after, log_name, log_index,"
    " create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16)"
    " ON CONFLICT (dedup_key) DO NOTHING RETURNING id";
constexpr char kSelectAlertPage[] =
    "SELECT " LUREGUARD_ALERT_COLUMNS
    " FROM ct_alerts WHERE id > ?1 AND (?2 = 0 OR ack_time IS NULL)"
    " ORDER BY id LIMIT ?3";
constexpr char kSelectAlert[] =
    "SELECT " LUREGUARD_ALERT_COLUMNS " FROM ct_alerts WHERE id = ?1";
constexpr char kSelectRecentAlerts[] = "SELECT " LUREGUARD_ALERT_COLUMNS
                                       " FROM ct_alerts WHERE create_time >= ?1"
                                       " ORDER BY id";
#undef LUREGUARD_ALERT_COLUMNS
constexpr char kAckAlert[] =
    "UPDATE ct_alerts SET ack_time = coalesce(ack_time, ?2) WHERE id = ?1";

void ReadClick(const internal::Statement& row, ClickRecord& click) {
  click.id = row.ColumnInt64(0);
  click.time = absl::FromUnixMicros(row.ColumnInt64(1));
  click.tenant = std::string(row.ColumnText(2));
  click.recipient_id = std::string(row.ColumnText(3));
  click.url = std::string(row.ColumnText(4));
  click.action = static_cast<int>(row.ColumnInt64(5));
  click.verdict_action = static_cast<int>(row.ColumnInt64(6));
  click.verdict_id = std::string(row.ColumnText(7));
  click.count = row.ColumnInt64(8);
  click.last_time = absl::FromUnixMicros(row.ColumnInt64(9));
}

// ---- Rows ----------------------------------------------------------------

void BindEntry(internal::Statement& statement, const ListEntryRecord& entry) {
  statement.BindInt64(1, static_cast<int>(entry.list));
  statement.BindInt64(2, static_cast<int>(entry.kind));
  statement.BindText(3, entry.value);
  statement.BindText(4, entry.reason);
  statement.BindText(5, entry.source);
  statement.BindText(6, entry.tenant);
  statement.BindInt64(7, absl::ToUnixMicros(entry.create_time));
  if (entry.expire_time == absl::InfiniteFuture()) {
    statement.BindNull(8);
  } else {
    statement.BindInt64(8, absl::ToUnixMicros(entry.expire_time));
  }
  statement.BindInt64(9, static_cast<int>(entry.threat));
}

// Reads a row selected with the entry columns into `entry`, as views into
// the row: the snapshot rebuild reads 10 M rows without copying them.
absl::Status ReadEntryView(const internal::Statement& statement,
                           const std::string& path, ListEntryView* entry) {
  entry->id = statement.ColumnInt64(0);
  entry->list = static_cast<ListType>(statement.ColumnInt64(1));
  entry->kind = static_cast<EntryKind>(statement.ColumnInt64(2));
  if (!IsValidList(entry->list) || !IsValidKind(entry->kind)) {
    return absl::DataLossError(absl::StrCat(
        path, ": list entry ", entry->id, " has list ",
        static_cast<int>(entry->list), " and kind ",
        static_cast<int>(entry->kind), ", which this version does not know"));
  }
  entry->value = statement.ColumnText(3);
  entry->reason = statement.ColumnText(4);
  entry->source = statement.ColumnText(5);
  entry->tenant = statement.ColumnText(6);
  entry->create_time = absl::FromUnixMicros(statement.ColumnInt64(7));
  entry->expire_time = statement.ColumnIsNull(8)
                           ? absl::InfiniteFuture()
                           : absl::FromUnixMicros(statement.ColumnInt64(8));
  entry->threat = static_cast<ThreatType>(statement.ColumnInt64(9));
  if (!IsValidThreat(entry->threat)) {
    return absl::DataLossError(absl::StrCat(
        path, ": list entry ", entry->id, " has threat type ",
        static_cast<int>(entry->threat), ", which this version does not know"));
  }
  return absl::OkStatus();
}

// Copies a view into `entry`, reusing its strings' capacity.
void CopyEntry(const ListEntryView& view, ListEntryRecord* entry) {
  entry->id = view.id;
  entry->list = view.list;
  entry->kind = view.kind;
  entry->threat = view.threat;
  entry->value.assign(view.value);
  entry->reason.assign(view.reason);
  entry->source.assign(view.source);
  entry->tenant.assign(view.tenant);
  entry->create_time = view.create_time;
  entry->expire_time = view.expire_time;
}

// Reads the rows of `select`, bound to ask for one row more than
// `page_size`, calling `read` for at most `page_size` of them. Returns
// whether that extra row exists, i.e. whether another page follows.
absl::StatusOr<bool> ReadPage(
    internal::Statement& select, int page_size,
    absl::FunctionRef<absl::Status(const internal::Statement&)> read) {
  for (int rows = 0;; ++rows) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return false;
    if (rows == page_size) return true;
    RETURN_IF_ERROR(read(select));
  }
}

// Reads a row selected with the alert columns.
void ReadAlert(const internal::Statement& statement, AlertRecord* alert) {
  alert->id = statement.ColumnInt64(0);
  alert->dedup_key.assign(statement.ColumnText(1));
  alert->name.assign(statement.ColumnText(2));
  alert->brand.assign(statement.ColumnText(3));
  alert->technique.assign(statement.ColumnText(4));
  alert->official_domain.assign(statement.ColumnText(5));
  alert->weight = statement.ColumnInt64(6) / 1000.0;
  alert->evidence.assign(statement.ColumnText(7));
  alert->issuer.assign(statement.ColumnText(8));
  alert->serial.assign(statement.ColumnText(9));
  alert->cert_sha256.assign(statement.ColumnText(10));
  alert->precertificate = statement.ColumnInt64(11) != 0;
  alert->not_before = absl::FromUnixMicros(statement.ColumnInt64(12));
  alert->not_after = absl::FromUnixMicros(statement.ColumnInt64(13));
  alert->log_name.assign(statement.ColumnText(14));
  alert->log_index = statement.ColumnInt64(15);
  alert->create_time = absl::FromUnixMicros(statement.ColumnInt64(16));
  if (statement.ColumnIsNull(17)) {
    alert->ack_time.reset();
  } else {
    alert->ack_time = absl::FromUnixMicros(statement.ColumnInt64(17));
  }
}

// Steps a statement that returns no rows (or whose rows are not needed).
absl::Status Run(internal::Statement& statement) {
  absl::StatusOr<bool> row = statement.Step();
  while (row.ok() && *row) row = statement.Step();
  return row.status();
}

// ---- Writes ----------------------------------------------------------------

// One write transaction with the bookkeeping every write shares: new
// entries' ids, list sizes and the revision. Rolls back unless committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection* connection)
      : connection_(connection), txn_(connection) {}

  absl::Status Begin() {
    RETURN_IF_ERROR(txn_.Begin(Transaction::kImmediate));
    ASSIGN_OR_RETURN(int64_t next_id,
                     connection_->QueryInt64(kSelectNextEntryId));
    first_id_ = next_id_ = next_id;
    return absl::OkStatus();
  }

  // Inserts `entry` or refreshes the entry with its key. Returns its id when
  // `want_id`, else 0: finding the id of a refreshed entry costs a RETURNING
  // clause that a bulk import does not need.
  // REQUIRES: `entry` is valid.
  absl::StatusOr<int64_t> Upsert(const ListEntryRecord& entry, bool want_id) {
    ASSIGN_OR_RETURN(
        ScopedStatement upsert,
        connection_->Prepare(want_id ? kUpsertEntryReturningId : kUpsertEntry));
    BindEntry(*upsert, entry);
    upsert->BindInt64(10, next_id_);
    int64_t id = 0;
    bool inserted;
    if (want_id) {
      ASSIGN_OR_RETURN(bool row, upsert->Step());
      if (!row) {
        return absl::InternalError(
            absl::StrCat(connection_->path(), ": upsert returned no id"));
      }
      id = upsert->ColumnInt64(0);
      inserted = id == next_id_;
      RETURN_IF_ERROR(Run(*upsert));
    } else {
      // A refresh (the DO UPDATE path) leaves the last insert rowid as it
      // was, here 0, so only an insert makes it next_id_.
      connection_->ClearLastInsertRowid();
      RETURN_IF_ERROR(Run(*upsert));
      inserted = connection_->LastInsertRowid() == next_id_;
    }
    if (inserted) {
      ++next_id_;
      AddToListSize(entry.list, entry.tenant, 1);
    }
    ++changes_;
    ++touched_;
    return id;
  }

  // Deletes the entries of one list and tenant; returns how many.
  absl::StatusOr<int64_t> DeleteEntries(ListType list, std::string_view tenant,
                                        std::string_view value,
                                        std::optional<EntryKind> kind,
                                        std::string_view source) {
    ASSIGN_OR_RETURN(ScopedStatement del, connection_->Prepare(kDeleteEntries));
    del->BindInt64(1, static_cast<int>(list));
    del->BindText(2, tenant);
    del->BindText(3, value);
    del->BindText(4, source);
    if (kind.has_value()) {
      del->BindInt64(5, static_cast<int>(*kind));
    } else {
      del->BindNull(5);
    }
    RETURN_IF_ERROR(Run(*del));
    const int64_t deleted = connection_->Changes();
    AddToListSize(list, tenant, -deleted);
    changes_ += deleted;
    touched_ += deleted;
    return deleted;
  }

  // Deletes every entry from `source`; returns how many.
  // Writes a record; it counts as a change (a revision bump) only when
  // `affects_snapshot`.
  absl::Status PutRecord(const StoredRecord& record, bool affects_snapshot) {
    ASSIGN_OR_RETURN(ScopedStatement put, connection_->Prepare(kPutRecord));
    put->BindText(1, record.collection);
    put->BindText(2, record.tenant);
    put->BindText(3, record.name);
    put->BindBlob(4, record.payload);
    put->BindInt64(5, absl::ToUnixMicros(record.update_time));
    RETURN_IF_ERROR(Run(*put));
    if (affects_snapshot) ++changes_;
    ++touched_;
    return absl::OkStatus();
  }

  // Replaces the record when its stored version is `record.version`, or
  // creates it when that is 0 and there is none; NotFound when there is
  // none to replace, Aborted when it has another version. Not a snapshot
  // change.
  absl::Status UpdateRecord(const StoredRecord& record) {
    const bool create = record.version == 0;
    ASSIGN_OR_RETURN(
        ScopedStatement update,
        connection_->Prepare(create ? kCreateRecord : kUpdateRecord));
    update->BindText(1, record.collection);
    update->BindText(2, record.tenant);
    update->BindText(3, record.name);
    update->BindBlob(4, record.payload);
    update->BindInt64(5, absl::ToUnixMicros(record.update_time));
    if (!create) update->BindInt64(6, record.version);
    RETURN_IF_ERROR(Run(*update));
    if (connection_->Changes() == 0) {
      ASSIGN_OR_RETURN(ScopedStatement select,
                       connection_->Prepare(kSelectRecordVersion));
      select->BindText(1, record.collection);
      select->BindText(2, record.tenant);
      select->BindText(3, record.name);
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) return RecordGone(record);
      return RecordChanged(record, select->ColumnInt64(0));
    }
    ++touched_;
    return absl::OkStatus();
  }

  absl::StatusOr<bool> DeleteRecord(std::string_view collection,
                                    std::string_view tenant,
                                    std::string_view name) {
    ASSIGN_OR_RETURN(ScopedStatement del, connection_->Prepare(kDeleteRecord));
    del->BindText(1, collection);
    del->BindText(2, tenant);
    del->BindText(3, name);
    RETURN_IF_ERROR(Run(*del));
    const bool existed = connection_->Changes() > 0;
    if (existed) {
      ++changes_;
      ++touched_;
    }
    return existed;
  }

  absl::StatusOr<int64_t> DeleteSource(std::string_view source) {
    return CountThenDelete(
        kCountSource, kDeleteSource,
        [&](internal::Statement& statement) { statement.BindText(1, source); });
  }

  // Deletes entries that expired at or before `now`; returns how many.
  absl::StatusOr<int64_t> DeleteExpired(absl::Time now) {
    return CountThenDelete(kCountExpired, kDeleteExpired,
                           [&](internal::Statement& statement) {
                             statement.BindInt64(1, absl::ToUnixMicros(now));
                           });
  }

  // Counts a write the snapshot reads (the revision grows on commit).
  void CountChange() { ++changes_; }

  // Records the bookkeeping and commits. The revision moves only when
  // something changed, so that an expiry sweep that finds nothing does not
  // make every replica rebuild its snapshot.
  // Counts rows a caller changed with its own statement (not in the
  // snapshot): they make the transaction carry a pending audit record.
  void CountTouched(int64_t rows) { touched_ += rows; }

  absl::Status Commit() {
    for (const auto& [key, delta] : size_deltas_) {
      if (delta == 0) continue;
      ASSIGN_OR_RETURN(ScopedStatement add,
                       connection_->Prepare(kAddToListSize));
      add->BindInt64(1, key.first);
      add->BindText(2, key.second);
      add->BindInt64(3, delta);
      RETURN_IF_ERROR(Run(*add));
    }
    if (next_id_ != first_id_) {
      ASSIGN_OR_RETURN(ScopedStatement update,
                       connection_->Prepare(kUpdateNextEntryId));
      update->BindInt64(1, next_id_);
      RETURN_IF_ERROR(Run(*update));
    }
    if (changes_ > 0) {
      ASSIGN_OR_RETURN(ScopedStatement bump,
                       connection_->Prepare(kBumpRevision));
      RETURN_IF_ERROR(Run(*bump));
      if (connection_->Changes() != 1) {
        return absl::DataLossError(absl::StrCat(
            connection_->path(), ": the meta table has no revision"));
      }
    }
    ASSIGN_OR_RETURN(AuditScope * audit, InsertPendingAudit());
    RETURN_IF_ERROR(txn_.Commit());
    if (audit != nullptr) audit->MarkWritten();
    return absl::OkStatus();
  }

 private:
  void AddToListSize(ListType list, std::string_view tenant, int64_t delta) {
    // Imports are mostly one list and tenant: skip the hash lookup then.
    if (last_delta_ != nullptr && last_key_->first == static_cast<int>(list) &&
        last_key_->second == tenant) {
      *last_delta_ += delta;
      return;
    }
    auto it =
        size_deltas_
            .try_emplace(
                std::make_pair(static_cast<int>(list), std::string(tenant)), 0)
            .first;
    it->second += delta;
    last_key_ = &it->first;
    last_delta_ = &it->second;
  }

  absl::StatusOr<int64_t> CountThenDelete(
      const char* count_sql, const char* delete_sql,
      const std::function<void(internal::Statement&)>& bind) {
    {
      ASSIGN_OR_RETURN(ScopedStatement count, connection_->Prepare(count_sql));
      bind(*count);
      while (true) {
        ASSIGN_OR_RETURN(bool row, count->Step());
        if (!row) break;
        AddToListSize(static_cast<ListType>(count->ColumnInt64(0)),
                      count->ColumnText(1), -count->ColumnInt64(2));
      }
    }
    ASSIGN_OR_RETURN(ScopedStatement del, connection_->Prepare(delete_sql));
    bind(*del);
    RETURN_IF_ERROR(Run(*del));
    const int64_t deleted = connection_->Changes();
    changes_ += deleted;
    touched_ += deleted;
    return deleted;
  }

  // Inserts the pending audit record of this thread, if any, when this
  // transaction changed something. Returns the scope to mark once
  // committed.
  absl::StatusOr<AuditScope*> InsertPendingAudit() {
    AuditScope* scope = touched_ > 0 ? AuditScope::Pending() : nullptr;
    if (scope == nullptr) return nullptr;
    const AuditRecord& record = scope->record();
    ASSIGN_OR_RETURN(ScopedStatement insert,
                     connection_->Prepare(kInsertAudit));
    insert->BindInt64(1, absl::ToUnixMicros(record.time));
    insert->BindText(2, record.actor);
    insert->BindText(3, record.actor_role);
    insert->BindText(4, record.method);
    insert->BindText(5, record.target);
    insert->BindText(6, record.tenant);
    insert->BindText(7, record.before);
    insert->BindText(8, record.after);
    insert->BindText(9, record.request_id);
    RETURN_IF_ERROR(Run(*insert));
    scope->record().id = connection_->LastInsertRowid();
    return scope;
  }

  Connection* const connection_;
  Transaction txn_;
  int64_t first_id_ = 0;
  int64_t next_id_ = 0;
  int64_t changes_ = 0;
  // Rows written or deleted, snapshot-relevant or not: decides whether the
  // transaction carries a pending audit record.
  int64_t touched_ = 0;
  // (list, tenant) -> change in size. Node map: the cached pointers into it
  // must survive rehashing.
  absl::node_hash_map<std::pair<int, std::string>, int64_t> size_deltas_;
  const std::pair<int, std::string>* last_key_ = nullptr;
  int64_t* last_delta_ = nullptr;
};

// ---- Store -----------------------------------------------------------------

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, std::unique_ptr<Connection> writer)
      : path_(std::move(path)), writer_(std::move(writer)) {}

  ~SqliteStore() override {
    // Readers first, so that the writer is the last connection and its
    // close checkpoints the WAL into the database and removes it.
    {
      absl::MutexLock lock(&readers_mu_);
      idle_readers_.clear();
    }
    absl::MutexLock lock(&writer_mu_);
    writer_.reset();
  }

  absl::StatusOr<ListEntryRecord> UpsertEntry(
      const ListEntryRecord& entry) override {
    RETURN_IF_ERROR(ValidateEntry(entry));
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    absl::StatusOr<int64_t> id = txn.Upsert(entry, /*want_id=*/true);
    if (!id.ok()) return id.status();
    RETURN_IF_ERROR(txn.Commit());
    ListEntryRecord stored = entry;
    stored.id = *id;
    return stored;
  }

  absl::StatusOr<int64_t> DeleteEntries(ListType list, std::string_view tenant,
                                        std::string_view value,
                                        std::optional<EntryKind> kind,
                                        std::string_view source) override {
    RETURN_IF_ERROR(ValidateList(list));
    RETURN_IF_ERROR(ValidateTenant(AsAbsl(tenant)));
    RETURN_IF_ERROR(ValidateValue(AsAbsl(value)));
    if (kind.has_value()) {
      RETURN_IF_ERROR(ValidateKind(*kind));
    }
    RETURN_IF_ERROR(ValidateSource("source", AsAbsl(source)));
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    ASSIGN_OR_RETURN(int64_t deleted,
                     txn.DeleteEntries(list, tenant, value, kind, source));
    RETURN_IF_ERROR(txn.Commit());
    return deleted;
  }

  absl::StatusOr<ListEntryPage> ListEntries(ListType list,
                                            std::string_view tenant,
                                            int64_t after_id,
                                            int page_size) override {
    RETURN_IF_ERROR(ValidateList(list));
    RETURN_IF_ERROR(ValidateTenant(AsAbsl(tenant)));
    if (after_id < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("after_id: ", after_id, " must not be negative"));
    }
    if (page_size <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("page_size: ", page_size, " must be positive"));
    }

    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    Connection* connection = reader.get();
    // One read transaction, so that the total and the page agree.
    Transaction txn(connection);
    RETURN_IF_ERROR(txn.Begin(Transaction::kDeferred));

    ListEntryPage page;
    {
      ASSIGN_OR_RETURN(ScopedStatement size,
                       connection->Prepare(kSelectListSize));
      size->BindInt64(1, static_cast<int>(list));
      size->BindText(2, tenant);
      ASSIGN_OR_RETURN(bool row, size->Step());
      page.total_size = row ? size->ColumnInt64(0) : 0;
    }
    {
      ASSIGN_OR_RETURN(ScopedStatement select,
                       connection->Prepare(kSelectPage));
      select->BindInt64(1, static_cast<int>(list));
      select->BindText(2, tenant);
      select->BindInt64(3, after_id);
      // One more than asked for tells whether another page exists.
      select->BindInt64(4, int64_t{page_size} + 1);
      ListEntryView view;
      ASSIGN_OR_RETURN(
          bool more,
          ReadPage(*select, page_size, [&](const internal::Statement& row) {
            RETURN_IF_ERROR(ReadEntryView(row, path_, &view));
            CopyEntry(view, &page.entries.emplace_back());
            return absl::OkStatus();
          }));
      page.has_more = more;
    }
    page.last_id = page.entries.empty() ? after_id : page.entries.back().id;
    RETURN_IF_ERROR(txn.Commit());
    return page;
  }

  using Store::ImportEntries;
  absl::StatusOr<int64_t> ImportEntries(
      const std::vector<ListEntryRecord>& entries,
      std::optional<std::string> replace_source,
      const std::function<bool()>& still_wanted) override {
    if (replace_source.has_value()) {
      RETURN_IF_ERROR(ValidateSource("replace_source", *replace_source));
    }
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    if (replace_source.has_value()) {
      absl::StatusOr<int64_t> deleted = txn.DeleteSource(*replace_source);
      if (!deleted.ok()) return deleted.status();
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      // Validated as we go: an error returns and `txn` rolls back what was
      // written, so a bad record anywhere leaves the store as it was.
      if (absl::Status s = ValidateEntry(entries[i]); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("entries[", i, "].", s.message()));
      }
      RETURN_IF_ERROR(txn.Upsert(entries[i], /*want_id=*/false).status());
      if (i % kImportCheckEvery == kImportCheckEvery - 1 && still_wanted &&
          !still_wanted()) {
        return ImportAbandoned(i + 1);
      }
    }
    // The last word before the commit: a caller gone by now was told the
    // import failed, so it must not land.
    if (still_wanted && !still_wanted()) return ImportAbandoned(entries.size());
    RETURN_IF_ERROR(txn.Commit());
    // The import filled the writer's cache (kWriterCacheSize) with pages
    // that single admin writes rarely touch again: 64 MiB held for good
    // after one import (issue #19, import memory).
    writer_->ReleaseCachedPages();
    return static_cast<int64_t>(entries.size());
  }

  absl::Status ForEachEntry(
      absl::Time now,
      const std::function<void(const ListEntryRecord&)>& visit) override {
    // One record, refilled for each entry.
    class Copier final : public EntryVisitor {
     public:
      explicit Copier(const std::function<void(const ListEntryRecord&)>& visit)
          : visit_(visit) {}
      void Visit(const ListEntryView& view) override {
        CopyEntry(view, &entry_);
        visit_(entry_);
      }

     private:
      const std::function<void(const ListEntryRecord&)>& visit_;
      ListEntryRecord entry_;
    };
    Copier copier(visit);
    return ScanEntries(now, copier);
  }

  absl::Status ScanEntries(absl::Time now, EntryVisitor& visitor) override {
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    Connection* connection = reader.get();
    // One read transaction for the size and the rows, so that the size
    // bounds what follows; the WAL snapshot it starts on is the one it
    // finishes on, whatever is committed meanwhile.
    Transaction txn(connection);
    RETURN_IF_ERROR(txn.Begin(Transaction::kDeferred));
    ASSIGN_OR_RETURN(int64_t total, connection->QueryInt64(kSelectTotalSize));
    visitor.Expect(total);
    {
      ASSIGN_OR_RETURN(ScopedStatement select,
                       connection->Prepare(kSelectLive));
      select->BindInt64(1, absl::ToUnixMicros(now));
      ListEntryView entry;
      while (true) {
        ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) break;
        RETURN_IF_ERROR(ReadEntryView(*select, path_, &entry));
        visitor.Visit(entry);
      }
    }
    return txn.Commit();
  }

  absl::StatusOr<int64_t> DeleteExpired(absl::Time now) override {
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    ASSIGN_OR_RETURN(int64_t deleted, txn.DeleteExpired(now));
    RETURN_IF_ERROR(txn.Commit());
    return deleted;
  }

  absl::StatusOr<int64_t> Revision() override {
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement select, reader->Prepare(kSelectRevision));
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) {
      return absl::DataLossError(
          absl::StrCat(path_, ": the meta table has no revision"));
    }
    return select->ColumnInt64(0);
  }

  absl::Status PutRecord(const StoredRecord& record,
                         bool affects_snapshot) override {
    return WriteRecord(record, [&](WriteTransaction& txn) {
      return txn.PutRecord(record, affects_snapshot);
    });
  }

  absl::Status UpdateRecord(const StoredRecord& record) override {
    return WriteRecord(record, [&](WriteTransaction& txn) {
      return txn.UpdateRecord(record);
    });
  }

  // Checks the key of `record`, then runs `write` in a transaction of its
  // own.
  absl::Status WriteRecord(
      const StoredRecord& record,
      const std::function<absl::Status(WriteTransaction&)>& write) {
    if (absl::Status s =
            ValidateRecordKey(record.collection, record.tenant, record.name);
        !s.ok()) {
      return s;
    }
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    RETURN_IF_ERROR(write(txn));
    return txn.Commit();
  }

  absl::Status PutRecords(const std::vector<StoredRecord>& records,
                          bool affects_snapshot) override {
    for (size_t i = 0; i < records.size(); ++i) {
      if (absl::Status s = ValidateRecordKey(
              records[i].collection, records[i].tenant, records[i].name);
          !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("records[", i, "].", s.message()));
      }
    }
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    for (const StoredRecord& record : records) {
      RETURN_IF_ERROR(txn.PutRecord(record, affects_snapshot));
    }
    return txn.Commit();
  }

  absl::StatusOr<AuditPage> ListAuditRecords(const AuditQuery& query) override {
    if (query.page_size <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("page_size: ", query.page_size, " must be positive"));
    }
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement select, reader->Prepare(kSelectAudit));
    select->BindInt64(1, query.before_id);
    select->BindText(2, query.actor);
    select->BindText(3, query.method);
    // One more than asked for tells whether another page exists.
    select->BindInt64(4, int64_t{query.page_size} + 1);
    AuditPage page;
    ASSIGN_OR_RETURN(
        bool more,
        ReadPage(*select, query.page_size,
                 [&page](const internal::Statement& row) {
                   AuditRecord& record = page.records.emplace_back();
                   record.id = row.ColumnInt64(0);
                   record.time = absl::FromUnixMicros(row.ColumnInt64(1));
                   record.actor = std::string(row.ColumnText(2));
                   record.actor_role = std::string(row.ColumnText(3));
                   record.method = std::string(row.ColumnText(4));
                   record.target = std::string(row.ColumnText(5));
                   record.tenant = std::string(row.ColumnText(6));
                   record.before = std::string(row.ColumnText(7));
                   record.after = std::string(row.ColumnText(8));
                   record.request_id = std::string(row.ColumnText(9));
                   return absl::OkStatus();
                 }));
    page.has_more = more;
    return page;
  }

  absl::StatusOr<ClickRecord> AddClick(const ClickRecord& click) override {
    RETURN_IF_ERROR(ValidateClick(click));
    absl::MutexLock lock(&writer_mu_);
    // One statement is its own transaction; no revision bump, as no
    // snapshot reads clicks.
    return InsertClick(click);
  }

  // Inserts `click` as a new row of one click, as stored (its time to the
  // microsecond).
  absl::StatusOr<ClickRecord> InsertClick(const ClickRecord& click)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_) {
    ASSIGN_OR_RETURN(ScopedStatement insert, writer_->Prepare(kInsertClick));
    insert->BindInt64(1, absl::ToUnixMicros(click.time));
    insert->BindText(2, click.tenant);
    insert->BindText(3, click.recipient_id);
    insert->BindText(4, click.url);
    insert->BindInt64(5, click.action);
    insert->BindInt64(6, click.verdict_action);
    insert->BindText(7, click.verdict_id);
    RETURN_IF_ERROR(Run(*insert));
    ClickRecord stored = click;
    stored.id = writer_->LastInsertRowid();
    stored.time = absl::FromUnixMicros(absl::ToUnixMicros(click.time));
    stored.last_time = stored.time;
    stored.count = 1;
    return stored;
  }

  absl::StatusOr<ClickPage> ListClicks(const ClickQuery& query) override {
    RETURN_IF_ERROR(internal::ValidatePageSize(query.page_size));
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement select, reader->Prepare(kSelectClicks));
    select->BindInt64(1, query.before_id);
    select->BindInt64(2, query.tenant.has_value() ? 1 : 0);
    select->BindText(3, query.tenant.value_or(""));
    // One more than asked for tells whether another page exists.
    select->BindInt64(4, int64_t{query.page_size} + 1);
    ClickPage page;
    ASSIGN_OR_RETURN(bool more,
                     ReadPage(*select, query.page_size,
                              [&page](const internal::Statement& row) {
                                ReadClick(row, page.clicks.emplace_back());
                                return absl::OkStatus();
                              }));
    page.has_more = more;
    return page;
  }

  absl::StatusOr<ClickRecord> RecordClick(const ClickRecord& click,
                                          absl::Duration window) override {
    RETURN_IF_ERROR(ValidateClick(click));
    RETURN_IF_ERROR(internal::ValidateClickWindow(window));
    absl::MutexLock lock(&writer_mu_);
    // One transaction for the lookup and the write, so two concurrent
    // clicks of one window cannot both insert.
    Transaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin(Transaction::kImmediate));
    std::optional<int64_t> open_row;
    {
      ASSIGN_OR_RETURN(ScopedStatement select,
                       writer_->Prepare(kSelectClickInWindow));
      select->BindText(1, click.recipient_id);
      select->BindText(2, click.tenant);
      select->BindText(3, click.url);
      select->BindInt64(4, absl::ToUnixMicros(click.time - window));
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (row) open_row = select->ColumnInt64(0);
    }
    ClickRecord stored;
    if (open_row.has_value()) {
      ASSIGN_OR_RETURN(ScopedStatement update, writer_->Prepare(kCountClick));
      update->BindInt64(1, *open_row);
      update->BindInt64(2, absl::ToUnixMicros(click.time));
      update->BindInt64(3, click.action);
      update->BindInt64(4, click.verdict_action);
      update->BindText(5, click.verdict_id);
      ASSIGN_OR_RETURN(bool row, update->Step());
      if (!row) {
        return absl::InternalError(
            absl::StrCat(path_, ": the click row ", *open_row, " vanished"));
      }
      ReadClick(*update, stored);
      RETURN_IF_ERROR(Run(*update));
    } else {
      ASSIGN_OR_RETURN(stored, InsertClick(click));
    }
    // No revision bump: no snapshot reads clicks.
    RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  absl::StatusOr<int64_t> DeleteClicksBefore(absl::Time cutoff) override {
    RETURN_IF_ERROR(internal::ValidateCutoff(cutoff));
    absl::MutexLock lock(&writer_mu_);
    ASSIGN_OR_RETURN(ScopedStatement del,
                     writer_->Prepare(kDeleteClicksBefore));
    del->BindInt64(1, absl::ToUnixMicros(cutoff));
    RETURN_IF_ERROR(Run(*del));
    return writer_->Changes();
  }

  absl::Status PutBeaconFlag(const BeaconFlagRecord& flag) override {
    RETURN_IF_ERROR(ValidateBeaconFlag(flag));
    absl::MutexLock lock(&writer_mu_);
    ASSIGN_OR_RETURN(ScopedStatement put, writer_->Prepare(kPutBeaconFlag));
    put->BindText(1, flag.tenant);
    put->BindText(2, flag.host);
    put->BindText(3, flag.brand);
    put->BindText(4, flag.technique);
    put->BindInt64(5, absl::ToUnixMicros(flag.first_seen));
    put->BindInt64(6, absl::ToUnixMicros(flag.last_seen));
    put->BindInt64(7, flag.hits);
    put->BindInt64(8, absl::ToUnixMicros(flag.expire_time));
    // One statement is its own transaction; verdicts read the flags from
    // login/BeaconFlags' memory, not from a snapshot: no revision bump.
    return Run(*put);
  }

  absl::StatusOr<std::vector<BeaconFlagRecord>> ListBeaconFlags(
      absl::Time now) override {
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement select,
                     reader->Prepare(kSelectBeaconFlags));
    select->BindInt64(1, absl::ToUnixMicros(now));
    std::vector<BeaconFlagRecord> flags;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) return flags;
      BeaconFlagRecord& flag = flags.emplace_back();
      flag.tenant = std::string(select->ColumnText(0));
      flag.host = std::string(select->ColumnText(1));
      flag.brand = std::string(select->ColumnText(2));
      flag.technique = std::string(select->ColumnText(3));
      flag.first_seen = absl::FromUnixMicros(select->ColumnInt64(4));
      flag.last_seen = absl::FromUnixMicros(select->ColumnInt64(5));
      flag.hits = select->ColumnInt64(6);
      flag.expire_time = absl::FromUnixMicros(select->ColumnInt64(7));
    }
  }

  absl::StatusOr<bool> DeleteBeaconFlag(std::string_view tenant,
                                        std::string_view host) override {
    RETURN_IF_ERROR(ValidateTenant(AsAbsl(tenant)));
    RETURN_IF_ERROR(ValidateBeaconHost(AsAbsl(host)));
    absl::MutexLock lock(&writer_mu_);
    // A write transaction, so that an admin's delete carries its audit
    // record.
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    ASSIGN_OR_RETURN(ScopedStatement del, writer_->Prepare(kDeleteBeaconFlag));
    del->BindText(1, tenant);
    del->BindText(2, host);
    RETURN_IF_ERROR(Run(*del));
    const bool existed = writer_->Changes() > 0;
    txn.CountTouched(existed ? 1 : 0);
    RETURN_IF_ERROR(txn.Commit());
    return existed;
  }

  absl::StatusOr<int64_t> DeleteExpiredBeaconFlags(absl::Time now) override {
    absl::MutexLock lock(&writer_mu_);
    ASSIGN_OR_RETURN(ScopedStatement del,
                     writer_->Prepare(kDeleteExpiredBeaconFlags));
    del->BindInt64(1, absl::ToUnixMicros(now));
    RETURN_IF_ERROR(Run(*del));
    return writer_->Changes();
  }

  absl::StatusOr<bool> DeleteRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name,
      std::optional<std::string> delete_source) override {
    RETURN_IF_ERROR(ValidateRecordKey(collection, tenant, name));
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    ASSIGN_OR_RETURN(bool existed, txn.DeleteRecord(collection, tenant, name));
    if (delete_source.has_value()) {
      absl::StatusOr<int64_t> deleted = txn.DeleteSource(*delete_source);
      if (!deleted.ok()) return deleted.status();
    }
    RETURN_IF_ERROR(txn.Commit());
    return existed;
  }

  absl::StatusOr<std::optional<StoredRecord>> GetRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name) override {
    ASSIGN_OR_RETURN(std::vector<StoredRecord> records,
                     SelectRecords(kSelectRecord, collection, tenant, name));
    if (records.empty()) return std::nullopt;
    return std::move(records.front());
  }

  absl::StatusOr<std::vector<StoredRecord>> ListRecords(
      std::string_view collection) override {
    return SelectRecords(kSelectRecords, collection, {}, {});
  }

  absl::StatusOr<int64_t> ReplaceSourceEntries(
      const std::string& source, const std::vector<ListEntryRecord>& entries,
      const StoredRecord& record) override {
    RETURN_IF_ERROR(ValidateSource("source", source));
    if (absl::Status s =
            ValidateRecordKey(record.collection, record.tenant, record.name);
        !s.ok()) {
      return s;
    }
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    RETURN_IF_ERROR(txn.DeleteSource(source).status());
    for (size_t i = 0; i < entries.size(); ++i) {
      if (absl::Status s = ValidateEntry(entries[i]); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("entries[", i, "].", s.message()));
      }
      if (entries[i].source != source) {
        return absl::InvalidArgumentError(
            absl::StrCat("entries[", i, "].source: ", Quote(entries[i].source),
                         " is not the replaced source ", Quote(source)));
      }
      absl::StatusOr<int64_t> id = txn.Upsert(entries[i], /*want_id=*/false);
      if (!id.ok()) return id.status();
    }
    RETURN_IF_ERROR(txn.UpdateRecord(record));
    RETURN_IF_ERROR(txn.Commit());
    return static_cast<int64_t>(entries.size());
  }

  absl::StatusOr<std::vector<AlertRecord>> AddAlerts(
      const std::vector<AlertRecord>& alerts,
      const std::optional<StoredRecord>& record) override {
    for (size_t i = 0; i < alerts.size(); ++i) {
      if (absl::Status s = ValidateAlert(alerts[i]); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("alerts[", i, "].", s.message()));
      }
    }
    if (record.has_value()) {
      RETURN_IF_ERROR(
          ValidateRecordKey(record->collection, record->tenant, record->name));
    }
    absl::MutexLock lock(&writer_mu_);
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    std::vector<AlertRecord> added;
    for (const AlertRecord& alert : alerts) {
      ASSIGN_OR_RETURN(ScopedStatement insert, writer_->Prepare(kInsertAlert));
      internal::Statement& st = *insert;
      st.BindText(1, alert.dedup_key);
      st.BindText(2, alert.name);
      st.BindText(3, alert.brand);
      st.BindText(4, alert.technique);
      st.BindText(5, alert.official_domain);
      st.BindInt64(6, static_cast<int64_t>(alert.weight * 1000 + 0.5));
      st.BindText(7, alert.evidence);
      st.BindText(8, alert.issuer);
      st.BindText(9, alert.serial);
      st.BindText(10, alert.cert_sha256);
      st.BindInt64(11, alert.precertificate ? 1 : 0);
      st.BindInt64(12, absl::ToUnixMicros(alert.not_before));
      st.BindInt64(13, absl::ToUnixMicros(alert.not_after));
      st.BindText(14, alert.log_name);
      st.BindInt64(15, alert.log_index);
      st.BindInt64(16, absl::ToUnixMicros(alert.create_time));
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) continue;  // a duplicate
      AlertRecord& stored = added.emplace_back(alert);
      stored.id = st.ColumnInt64(0);
      stored.ack_time.reset();
      RETURN_IF_ERROR(Run(st));
    }
    if (!added.empty()) txn.CountChange();
    if (record.has_value()) {
      RETURN_IF_ERROR(txn.UpdateRecord(*record));
    }
    RETURN_IF_ERROR(txn.Commit());
    return added;
  }

  absl::StatusOr<AlertPage> ListAlerts(int64_t after_id, int page_size,
                                       bool unacked_only) override {
    if (after_id < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("after_id: ", after_id, " must not be negative"));
    }
    if (page_size <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("page_size: ", page_size, " must be positive"));
    }
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement select, reader->Prepare(kSelectAlertPage));
    select->BindInt64(1, after_id);
    select->BindInt64(2, unacked_only ? 1 : 0);
    select->BindInt64(3, int64_t{page_size} + 1);
    AlertPage page;
    ASSIGN_OR_RETURN(
        bool more,
        ReadPage(*select, page_size, [&page](const internal::Statement& row) {
          ReadAlert(row, &page.alerts.emplace_back());
          return absl::OkStatus();
        }));
    page.has_more = more;
    page.last_id = page.alerts.empty() ? after_id : page.alerts.back().id;
    return page;
  }

  absl::StatusOr<AlertRecord> AckAlert(int64_t id, absl::Time when) override {
    absl::MutexLock lock(&writer_mu_);
    // A write transaction, so the acknowledgement carries its audit record.
    WriteTransaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    {
      ASSIGN_OR_RETURN(ScopedStatement ack, writer_->Prepare(kAckAlert));
      ack->BindInt64(1, id);
      ack->BindInt64(2, absl::ToUnixMicros(when));
      RETURN_IF_ERROR(Run(*ack));
    }
    if (writer_->Changes() == 0) {
      return absl::NotFoundError(absl::StrCat("id: no alert ", id));
    }
    txn.CountTouched(1);
    AlertRecord alert;
    {
      ASSIGN_OR_RETURN(ScopedStatement select, writer_->Prepare(kSelectAlert));
      select->BindInt64(1, id);
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) return absl::NotFoundError(absl::StrCat("id: no alert ", id));
      ReadAlert(*select, &alert);
    }
    RETURN_IF_ERROR(txn.Commit());
    return alert;
  }

  absl::Status ForEachAlert(
      absl::Time since,
      const std::function<void(const AlertRecord&)>& visit) override {
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement select,
                     reader->Prepare(kSelectRecentAlerts));
    select->BindInt64(1, absl::ToUnixMicros(since));
    AlertRecord alert;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) return absl::OkStatus();
      ReadAlert(*select, &alert);
      visit(alert);
    }
  }

  std::string Describe() const override {
    return absl::StrCat("sqlite:", path_);
  }

 private:
  // A reader connection borrowed from the pool, returned when destroyed.
  class ReaderLease {
   public:
    ReaderLease(SqliteStore* store, std::unique_ptr<Connection> connection)
        : store_(store), connection_(std::move(connection)) {}
    ReaderLease(ReaderLease&&) = default;
    ReaderLease& operator=(ReaderLease&&) = delete;
    ~ReaderLease() {
      if (connection_ != nullptr) store_->ReleaseReader(std::move(connection_));
    }
    Connection* get() const { return connection_.get(); }
    Connection* operator->() const { return connection_.get(); }

   private:
    SqliteStore* store_;
    std::unique_ptr<Connection> connection_;
  };

  absl::StatusOr<std::vector<StoredRecord>> SelectRecords(
      const char* sql, std::string_view collection, std::string_view tenant,
      std::string_view name) {
    ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
    ASSIGN_OR_RETURN(ScopedStatement select, reader->Prepare(sql));
    select->BindText(1, collection);
    if (sql == kSelectRecord) {
      select->BindText(2, tenant);
      select->BindText(3, name);
    }
    std::vector<StoredRecord> records;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      StoredRecord& record = records.emplace_back();
      record.collection = std::string(select->ColumnText(0));
      record.tenant = std::string(select->ColumnText(1));
      record.name = std::string(select->ColumnText(2));
      record.payload = std::string(select->ColumnBlob(3));
      record.update_time = absl::FromUnixMicros(select->ColumnInt64(4));
      record.version = select->ColumnInt64(5);
    }
    return records;
  }

  absl::StatusOr<ReaderLease> AcquireReader() {
    {
      absl::MutexLock lock(&readers_mu_);
      if (!idle_readers_.empty()) {
        std::unique_ptr<Connection> connection =
            std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return ReaderLease(this, std::move(connection));
      }
    }
    // Read-write but query_only, rather than SQLITE_OPEN_READONLY: a
    // read-only connection cannot create the WAL index if it is missing.
    ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> connection,
        Connection::Open(path_, SQLITE_OPEN_READWRITE, kBusyTimeoutMs));
    RETURN_IF_ERROR(connection->Exec("PRAGMA query_only = ON"));
    return ReaderLease(this, std::move(connection));
  }

  void ReleaseReader(std::unique_ptr<Connection> connection) {
    absl::MutexLock lock(&readers_mu_);
    // A connection left inside a transaction by a failed commit would pin
    // its snapshot forever; drop it rather than reuse it.
    if (idle_readers_.size() < kMaxIdleReaders &&
        !connection->InTransaction()) {
      idle_readers_.push_back(std::move(connection));
    }
  }

  const std::string path_;

  absl::Mutex writer_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(writer_mu_);

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_
      ABSL_GUARDED_BY(readers_mu_);
};

// ---- Opening -------------------------------------------------------------

// Brings the schema from its current version to kSchemaVersion, one
// migration per transaction, so that a crash mid-way leaves a database at a
// known version that the next start continues from.
absl::Status Migrate(Connection& connection) {
  for (const Migration& migration : kMigrations) {
    Transaction txn(&connection);
    RETURN_IF_ERROR(txn.Begin(Transaction::kImmediate));
    // Read again under the write lock: another process may have migrated
    // since we looked.
    ASSIGN_OR_RETURN(int64_t version,
                     connection.QueryInt64("PRAGMA user_version"));
    if (version >= migration.version) continue;  // `txn` rolls back.
    if (version == 0) {
      RETURN_IF_ERROR(connection.Exec(
          absl::StrCat("PRAGMA application_id = ", kApplicationId).c_str()));
    }
    if (absl::Status s = connection.Exec(migration.sql); !s.ok()) {
      return absl::Status(
          s.code(), absl::StrCat(s.message(), " (schema migration to version ",
                                 migration.version, ")"));
    }
    RETURN_IF_ERROR(connection.Exec(
        absl::StrCat("PRAGMA user_version = ", migration.version).c_str()));
    RETURN_IF_ERROR(txn.Commit());
  }
  return absl::OkStatus();
}

// Refuses files that are not ours before changing anything in them: a
// foreign database must not be switched to WAL or given our tables.
absl::Status CheckIdentity(Connection& connection) {
  const std::string& path = connection.path();
  // The first read of the file: a non-SQLite file fails here with
  // SQLITE_NOTADB ("file is not a database").
  ASSIGN_OR_RETURN(int64_t application_id,
                   connection.QueryInt64("PRAGMA application_id"));
  ASSIGN_OR_RETURN(int64_t version,
                   connection.QueryInt64("PRAGMA user_version"));
  if (application_id == 0 && version == 0) {
    // New, or foreign: SQLite's default header has both at zero.
    ASSIGN_OR_RETURN(
        int64_t objects,
        connection.QueryInt64("SELECT count(*) FROM sqlite_schema"));
    if (objects == 0) return absl::OkStatus();
  }
  if (application_id != kApplicationId) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: not a Lureguard database (application_id 0x%08x, expected "
        "0x%08x); move it away or choose another data dir",
        path, static_cast<uint32_t>(application_id),
        static_cast<uint32_t>(kApplicationId)));
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": schema version ", version,
        " was written by a newer Lureguard; this version supports up to ",
        kSchemaVersion));
  }
  return absl::OkStatus();
}

// Checks that the database file and its directory can be written, for a
// message that names the actual problem: SQLite reports all of these as
// "unable to open database file", with the errno of its last fallback try.
// The directory must be writable too, for the WAL and shared-memory files.
absl::Status CheckWritable(const std::string& path, FileSystem& fs) {
  const auto errno_text = [](int error) {
    return std::generic_category().message(error);
  };
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  struct stat info;
  if (stat(dir.c_str(), &info) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": cannot use its directory ", dir, ": ", errno_text(errno)));
  }
  if (!S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": ", dir, " is not a directory"));
  }
  if (const int error = fs.AccessError(dir, W_OK | X_OK); error != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": directory ", dir, " is not writable: ", errno_text(error)));
  }
  if (stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return absl::OkStatus();  // created on open
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": ", errno_text(errno)));
  }
  if (S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": is a directory, not a database file"));
  }
  if (const int error = fs.AccessError(path, R_OK | W_OK); error != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": file is not writable: ", errno_text(error)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                       FileSystem& fs) {
  // SQLite would open a private temporary database for "" and an in-memory
  // one for ":memory:": neither persists anything.
  if (path.empty() || path == ":memory:") {
    return absl::InvalidArgumentError(
        absl::StrCat("store path: \"", path, "\" does not name a file"));
  }
  RETURN_IF_ERROR(CheckWritable(path, fs));
  ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       kBusyTimeoutMs));
  Connection& connection = *writer;
  // SQLite falls back to read-only when the file cannot be written, and
  // would only fail at the first write. CheckWritable makes this unlikely,
  // but permissions can change in between.
  if (connection.ReadOnly()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": opened read-only; the file is not writable"));
  }
  RETURN_IF_ERROR(CheckIdentity(connection));

  ASSIGN_OR_RETURN(std::string mode,
                   connection.QueryText("PRAGMA journal_mode = WAL"));
  if (mode != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": cannot use write-ahead logging (journal mode is ",
                     mode, "); is the data dir on a network file system?"));
  }
  // In WAL mode NORMAL loses no integrity on power loss, only the last
  // commits, and saves an fsync per transaction.
  RETURN_IF_ERROR(connection.Exec("PRAGMA synchronous = NORMAL"));
  RETURN_IF_ERROR(connection.Exec(kWriterCacheSize));
  RETURN_IF_ERROR(connection.Exec(kJournalSizeLimit));
  RETURN_IF_ERROR(Migrate(connection));

  // A full integrity check reads every page (minutes for 10 M entries), so
  // it is not done here; corruption found later is reported as DataLoss
  // naming the file. Reading the revision checks the schema parses and the
  // meta table is there.
  RETURN_IF_ERROR(connection.QueryInt64(kSelectRevision).status());

  return std::make_unique<SqliteStore>(path, std::move(writer));
}

}  // namespace lureguard::store
