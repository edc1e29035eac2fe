// The PostgreSQL implementation of Store, for several replicas sharing one
// source of truth.
//
// Writes are serialized across every process on the database by a
// transaction-scoped advisory lock, taken first in each write transaction:
// the store's contract (ids increasing in commit order, list sizes kept by
// the write path, the audit record with its change) then holds exactly as
// with SQLite's single writer. Reads use a pool of other connections and
// never take that lock. The schema is versioned in `lureguard_schema` and
// advanced by the ordered migrations in kMigrations, each in its own
// transaction under another advisory lock, so that replicas starting
// together migrate once. Every committed change bumps the revision and
// sends it on the kRevisionChannel notification channel in the same
// transaction.

#include <poll.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/store/audit_scope.h"
#include "server/store/internal/pg_connection.h"
#include "server/store/internal/validation.h"
#include "server/store/store.h"

namespace lureguard::store {
namespace {

using internal::AsAbsl;
using internal::IsFinite;
using internal::IsValidKind;
using internal::IsValidList;
using internal::IsValidThreat;
using internal::PgConnection;
using internal::PgParams;
using internal::PgResult;
using internal::PgTransaction;
using internal::Quote;
using internal::RecordChanged;
using internal::RecordGone;
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

// Advisory lock keys are (1279742532, what): 0x4C475244, "LGRD", as
// SQLite's application_id, so that other applications' locks on a shared
// server are unlikely to collide. 1: writes; 2: migrations; leases use
// session locks on (1279742533, a hash of the lease's name).
#define LUREGUARD_LOCK(what) "pg_advisory_xact_lock(1279742532, " what ")"
constexpr char kBeginWrite[] = "BEGIN; SELECT " LUREGUARD_LOCK("1");
constexpr char kBeginMigration[] = "BEGIN; SELECT " LUREGUARD_LOCK("2");
#undef LUREGUARD_LOCK

// A consistent view for reads that take several statements (a page and its
// total, a scan and its size).
constexpr char kBeginRead[] =
    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

// Reader connections kept open for reuse.
constexpr size_t kMaxIdleReaders = 4;

// Rows fetched per round trip by a scan: large enough that round trips do
// not dominate, small enough that a 10 M-entry scan holds a few MiB.
constexpr char kFetchRows[] = "FETCH 20000 FROM scan";

// Bytes of COPY data sent per call.
constexpr size_t kCopyChunkBytes = 1 << 20;

// One step of the schema. Never edit a released migration: append a new
// one. Numbers are this backend's own (SQLite's differ: PostgreSQL starts
// with everything SQLite had reached at its version 6).
struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
-- 'revision' grows with every committed change; 'next_entry_id' is the id
-- the next new list entry gets (ids are assigned under the write lock, so
-- they grow in commit order and a rolled-back import uses none).
CREATE TABLE meta(
  key text COLLATE "C" PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO meta(key, value) VALUES ('revision', 0), ('next_entry_id', 1);

-- Block- and allow-list entries, as SQLite's list_entries: times are Unix
-- microseconds, a NULL expire_time never expires; list, kind and threat
-- are the store.h enumerators. Identifiers compare bytewise ("C"), so that
-- ordering and keys match SQLite's.
CREATE TABLE list_entries(
  id bigint PRIMARY KEY,
  list smallint NOT NULL,
  kind smallint NOT NULL,
  threat smallint NOT NULL DEFAULT 1,
  value text COLLATE "C" NOT NULL,
  reason text NOT NULL,
  source text COLLATE "C" NOT NULL,
  tenant text COLLATE "C" NOT NULL,
  create_time bigint NOT NULL,
  expire_time bigint
);
CREATE UNIQUE INDEX list_entries_by_key
  ON list_entries(list, tenant, value, kind, source);
CREATE INDEX list_entries_by_list ON list_entries(list, tenant, id);
CREATE INDEX list_entries_by_source ON list_entries(source);
CREATE INDEX list_entries_by_expiry ON list_entries(expire_time)
  WHERE expire_time IS NOT NULL;

-- Entries per list and tenant, kept by the write path (as in SQLite), so
-- that a page of a 10 M-entry list reports its total without counting.
CREATE TABLE list_sizes(
  list smallint NOT NULL,
  tenant text COLLATE "C" NOT NULL,
  size bigint NOT NULL,
  PRIMARY KEY(list, tenant)
);

-- Small named documents of the capabilities (brands, feeds, keys).
CREATE TABLE records(
  collection text COLLATE "C" NOT NULL,
  tenant text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  payload bytea NOT NULL,
  update_time bigint NOT NULL,
  PRIMARY KEY(collection, tenant, name)
);

-- The audit log, inserted in the transaction of each admin change.
CREATE TABLE audit_log(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time bigint NOT NULL,
  actor text COLLATE "C" NOT NULL,
  actor_role text NOT NULL,
  method text COLLATE "C" NOT NULL,
  target text NOT NULL,
  tenant text NOT NULL,
  before text NOT NULL,
  after text NOT NULL,
  request_id text NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log(actor, id);
CREATE INDEX audit_log_by_method ON audit_log(method, id);

-- Certificate-transparency alerts; weight is in thousandths.
CREATE TABLE ct_alerts(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedup_key text COLLATE "C" NOT NULL UNIQUE,
  name text NOT NULL,
  brand text NOT NULL,
  technique text NOT NULL,
  official_domain text NOT NULL,
  weight_milli integer NOT NULL,
  evidence text NOT NULL,
  issuer text NOT NULL,
  serial text NOT NULL,
  cert_sha256 text NOT NULL,
  precertificate boolean NOT NULL,
  not_before bigint NOT NULL,
  not_after bigint NOT NULL,
  log_name text NOT NULL,
  log_index bigint NOT NULL,
  create_time bigint NOT NULL,
  ack_time bigint
);
CREATE INDEX ct_alerts_by_time ON ct_alerts(create_time);
CREATE INDEX ct_alerts_unacked ON ct_alerts(id) WHERE ack_time IS NULL;

-- Confirmed clicks on rewritten mail links.
CREATE TABLE clicks(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time bigint NOT NULL,
  tenant text COLLATE "C" NOT NULL,
  recipient_id text NOT NULL,
  url text NOT NULL,
  action integer NOT NULL,
  verdict_action integer NOT NULL,
  verdict_id text NOT NULL
);
CREATE INDEX clicks_by_tenant ON clicks(tenant, id);
)sql"},
    {2, R"sql(
-- Bounded click records (as SQLite's schema 7): a row stands for every
-- click of one recipient on one link within a window; repeats grow
-- `count` and move `last_time` (NULL: `time`).
ALTER TABLE clicks ADD COLUMN count bigint NOT NULL DEFAULT 1;
ALTER TABLE clicks ADD COLUMN last_time bigint;
CREATE INDEX clicks_by_recipient ON clicks(recipient_id, time);
CREATE INDEX clicks_by_last_time ON clicks((coalesce(last_time, time)));
-- Hosts the login-page beacon saw serving a tenant's login page; a flag is
-- evidence until expire_time (Unix microseconds), then swept.
CREATE TABLE beacon_flags(
  tenant text COLLATE "C" NOT NULL,
  host text COLLATE "C" NOT NULL,
  brand text NOT NULL,
  technique text NOT NULL,
  first_seen bigint NOT NULL,
  last_seen bigint NOT NULL,
  hits bigint NOT NULL,
  expire_time bigint NOT NULL,
  PRIMARY KEY (tenant, host)
);
CREATE INDEX beacon_flags_by_expiry ON beacon_flags(expire_time);
)sql"},
    {3, R"sql(
-- Each record's version (as SQLite's schema 8): grows with every write, so
-- that bookkeeping (a feed's status, a CT log's cursor) is written only
-- over the version it was computed from (compare-and-set).
ALTER TABLE records ADD COLUMN version bigint NOT NULL DEFAULT 1;
)sql"},
};

constexpr int kSchemaVersion = kMigrations[std::size(kMigrations) - 1].version;

// One row of kSelectClicks or kCountClick's RETURNING (the same columns).
void ReadClick(const PgResult& rows, int row, ClickRecord& click) {
  click.id = rows.Int64(row, 0);
  click.time = absl::FromUnixMicros(rows.Int64(row, 1));
  click.tenant.assign(rows.Text(row, 2));
  click.recipient_id.assign(rows.Text(row, 3));
  click.url.assign(rows.Text(row, 4));
  click.action = static_cast<int>(rows.Int64(row, 5));
  click.verdict_action = static_cast<int>(rows.Int64(row, 6));
  click.verdict_id.assign(rows.Text(row, 7));
  click.count = rows.Int64(row, 8);
  click.last_time = absl::FromUnixMicros(rows.Int64(row, 9));
}

absl::Status ImportAbandoned(size_t written) {
  return absl::CancelledError(
      absl::StrCat("the import was abandoned by its caller after ", written,
                   " entries; nothing was written"));
}

constexpr char kSelectRevision[] =
    "SELECT value FROM meta WHERE key = 'revision'";
constexpr char kBumpRevision[] =
    "UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value";
// Sent in the transaction of every change, delivered when it commits.
constexpr char kNotifyRevision[] =
    "SELECT pg_notify('lureguard_revision', $1::text)";
constexpr char kListen[] = "LISTEN lureguard_revision";

// How long the change listener waits on its socket before looking at
// whether it should stop, and before connecting again after losing the
// server: short enough for a prompt shutdown, long enough to cost nothing.
constexpr int kListenPollMs = 250;
constexpr absl::Duration kListenRetry = absl::Milliseconds(500);
// Never below an existing id, whatever meta says.
constexpr char kSelectNextEntryId[] =
    "SELECT greatest((SELECT value FROM meta WHERE key = 'next_entry_id'),"
    " coalesce((SELECT max(id) FROM list_entries), 0) + 1)";
constexpr char kUpdateNextEntryId[] =
    "UPDATE meta SET value = $1 WHERE key = 'next_entry_id'";
constexpr char kAddToListSize[] =
    "INSERT INTO list_sizes (list, tenant, size) VALUES ($1, $2, $3)"
    " ON CONFLICT (list, tenant) DO UPDATE"
    " SET size = list_sizes.size + excluded.size";

constexpr char kUpsertEntry[] =
    "INSERT INTO list_entries (list, kind, value, reason, source, tenant,"
    " create_time, expire_time, threat, id)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    " ON CONFLICT (list, tenant, value, kind, source) DO UPDATE SET"
    " reason = excluded.reason, create_time = excluded.create_time,"
    " expire_time = excluded.expire_time, threat = excluded.threat"
    " RETURNING id";

// Bulk imports: COPY into a staging table, then one statement that keeps
// the last of each duplicate key, refreshes the keys that exist and
// inserts the rest with ids in import order from $1.
constexpr char kCreateStaging[] =
    "CREATE TEMP TABLE import_staging("
    " ord bigint NOT NULL, list smallint NOT NULL, kind smallint NOT NULL,"
    " threat smallint NOT NULL, value text COLLATE \"C\" NOT NULL,"
    " reason text NOT NULL, source text COLLATE \"C\" NOT NULL,"
    " tenant text COLLATE \"C\" NOT NULL, create_time bigint NOT NULL,"
    " expire_time bigint) ON COMMIT DROP";
constexpr char kCopyStaging[] =
    "COPY import_staging (ord, list, kind, threat, value, reason, source,"
    " tenant, create_time, expire_time) FROM STDIN";
constexpr char kAnalyzeStaging[] = "ANALYZE import_staging";
constexpr char kMergeStaging[] = R"sql(
WITH incoming AS (
  SELECT DISTINCT ON (list, tenant, value, kind, source)
    list, kind, threat, value, reason, source, tenant, create_time,
    expire_time,
    min(ord) OVER (PARTITION BY list, tenant, value, kind, source) AS first
  FROM import_staging
  ORDER BY list, tenant, value, kind, source, ord DESC
), refreshed AS (
  UPDATE list_entries e SET reason = i.reason, create_time = i.create_time,
    expire_time = i.expire_time, threat = i.threat
  FROM incoming i
  WHERE e.list = i.list AND e.tenant = i.tenant AND e.value = i.value
    AND e.kind = i.kind AND e.source = i.source
  RETURNING e.id
), fresh AS (
  SELECT i.*, row_number() OVER (ORDER BY i.first) AS n
  FROM incoming i
  WHERE NOT EXISTS (
    SELECT 1 FROM list_entries e
    WHERE e.list = i.list AND e.tenant = i.tenant AND e.value = i.value
      AND e.kind = i.kind AND e.source = i.source)
), inserted AS (
  INSERT INTO list_entries (id, list, kind, threat, value, reason, source,
    tenant, create_time, expire_time)
  SELECT $1::bigint + n - 1, list, kind, threat, value, reason, source,
    tenant, create_time, expire_time
  FROM fresh
  RETURNING list, tenant
)
SELECT list, tenant, count(*) FROM inserted GROUP BY list, tenant
)sql";

constexpr char kDeleteEntries[] =
    "DELETE FROM list_entries WHERE list = $1 AND tenant = $2 AND value = $3"
    " AND source = $4 AND ($5::smallint IS NULL OR kind = $5)";
// Multi-list deletes report what they deleted per list and tenant, to keep
// list_sizes exact.
constexpr char kDeleteSource[] =
    "WITH gone AS (DELETE FROM list_entries WHERE source = $1"
    " RETURNING list, tenant)"
    " SELECT list, tenant, count(*) FROM gone GROUP BY list, tenant";
constexpr char kDeleteExpired[] =
    "WITH gone AS (DELETE FROM list_entries"
    " WHERE expire_time IS NOT NULL AND expire_time <= $1"
    " RETURNING list, tenant)"
    " SELECT list, tenant, count(*) FROM gone GROUP BY list, tenant";

#define LUREGUARD_ENTRY_COLUMNS                                              \
  "id, list, kind, value, reason, source, tenant, create_time, expire_time," \
  " threat"
constexpr char kSelectPage[] =
    "SELECT " LUREGUARD_ENTRY_COLUMNS
    " FROM list_entries WHERE list = $1 AND tenant = $2 AND id > $3"
    " ORDER BY id LIMIT $4";
constexpr char kDeclareScan[] =
    "DECLARE scan NO SCROLL CURSOR FOR SELECT " LUREGUARD_ENTRY_COLUMNS
    " FROM list_entries WHERE expire_time IS NULL OR expire_time > $1"
    " ORDER BY id";
#undef LUREGUARD_ENTRY_COLUMNS
constexpr char kSelectListSize[] =
    "SELECT size FROM list_sizes WHERE list = $1 AND tenant = $2";
constexpr char kSelectTotalSize[] =
    "SELECT coalesce(sum(size), 0) FROM list_sizes";

constexpr char kPutRecord[] =
    "INSERT INTO records (collection, tenant, name, payload, update_time)"
    " VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (collection, tenant, name) DO UPDATE SET"
    " payload = excluded.payload, update_time = excluded.update_time,"
    " version = records.version + 1";
// Bookkeeping of a record an admin may delete or change meanwhile (a
// feed's status, a CT log's cursor): written only over the version it was
// computed from, never re-creating a deleted record.
constexpr char kUpdateRecord[] =
    "UPDATE records SET payload = $4, update_time = $5, version = version + 1"
    " WHERE collection = $1 AND tenant = $2 AND name = $3 AND version = $6";
// The first bookkeeping write of a record (version 0: none yet), which
// must not replace one another process created first.
constexpr char kCreateRecord[] =
    "INSERT INTO records (collection, tenant, name, payload, update_time)"
    " VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (collection, tenant, name) DO NOTHING";
constexpr char kSelectRecordVersion[] =
    "SELECT version FROM records"
    " WHERE collection = $1 AND tenant = $2 AND name = $3";
constexpr char kDeleteRecord[] =
    "DELETE FROM records WHERE collection = $1 AND tenant = $2 AND name = $3";
constexpr char kSelectRecord[] =
    "SELECT collection, tenant, name, payload, update_time, version FROM"
    " records WHERE collection = $1 AND tenant = $2 AND name = $3";
constexpr char kSelectRecords[] =
    "SELECT collection, tenant, name, payload, update_time, version FROM"
    " records WHERE collection = $1 ORDER BY tenant, name";

constexpr char kInsertAudit[] =
    "INSERT INTO audit_log (time, actor, actor_role, method, target, tenant,"
    " before, after, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING id";
constexpr char kSelectAudit[] =
    "SELECT id, time, actor, actor_role, method, target, tenant, before,"
    " after, request_id FROM audit_log"
    " WHERE ($1::bigint <= 0 OR id < $1) AND ($2::text = '' OR actor = $2)"
    " AND ($3::text = '' OR method = $3) ORDER BY id DESC LIMIT $4";

constexpr char kInsertClick[] =
    "INSERT INTO clicks (time, tenant, recipient_id, url, action,"
    " verdict_action, verdict_id) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " RETURNING id";
constexpr char kSelectClicks[] =
    "SELECT id, time, tenant, recipient_id, url, action, verdict_action,"
    " verdict_id, count, coalesce(last_time, time) FROM clicks"
    " WHERE ($1::bigint <= 0 OR id < $1)"
    " AND ($2::int = 0 OR tenant = $3) ORDER BY id DESC LIMIT $4";
// The newest row of one recipient's clicks on one link whose window,
// starting at its first click, is still open ($4 = click time - window).
constexpr char kSelectClickInWindow[] =
    "SELECT id FROM clicks WHERE recipient_id = $1 AND tenant = $2"
    " AND url = $3 AND time > $4 ORDER BY time DESC LIMIT 1";
constexpr char kCountClick[] =
    "UPDATE clicks SET count = count + 1, last_time = $2, action = $3,"
    " verdict_action = $4, verdict_id = $5 WHERE id = $1"
    " RETURNING id, time, tenant, recipient_id, url, action, verdict_action,"
    " verdict_id, count, coalesce(last_time, time)";
constexpr char kDeleteClicksBefore[] =
    "WITH gone AS (DELETE FROM clicks WHERE coalesce(last_time, time) < $1"
    " RETURNING 1) SELECT count(*) FROM gone";
constexpr char kPutBeaconFlag[] =
    "INSERT INTO beacon_flags (tenant, host, brand, technique, first_seen,"
    " last_seen, hits, expire_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (tenant, host) DO UPDATE SET brand = excluded.brand,"
    " technique = excluded.technique, first_seen = excluded.first_seen,"
    " last_seen = excluded.last_seen, hits = excluded.hits,"
    " expire_time = excluded.expire_time";
constexpr char kSelectBeaconFlags[] =
    "SELECT tenant, host, brand, technique, first_seen, last_seen, hits,"
    " expire_time FROM beacon_flags WHERE expire_time > $1"
    " ORDER BY tenant, host";
constexpr char kDeleteBeaconFlag[] =
    "WITH gone AS (DELETE FROM beacon_flags WHERE tenant = $1 AND host = $2"
    " RETURNING 1) SELECT count(*) FROM gone";
constexpr char kDeleteExpiredBeaconFlags[] =
    "WITH gone AS (DELETE FROM beacon_flags WHERE expire_time <= $1"
    " RETURNING 1) SELECT count(*) FROM gone";

#define LUREGUARD_ALERT_COLUMNS                                           \
  "id, dedup_key, name, brand, technique, official_domain, weight_milli," \
  " evidence, issuer, serial, cert_sha256, precertificate, not_before,"   \
  " not_after, log_name, log_index, create_time, ack_time"
// Under the write lock no other transaction adds alerts, so NOT EXISTS is
// exact, and unlike ON CONFLICT it draws no id for a duplicate.
constexpr char kInsertAlert[] =
    "INSERT INTO ct_alerts (dedup_key, name, brand, technique,"
    " official_domain, weight_milli, evidence, issuer, serial, cert_sha256,"
    " precertificate, not_before, not_after, log_name, log_index,"
    " create_time) SELECT $1::text, $2::text, $3::text, $4::text, $5::text,"
    " $6::integer, $7::text, $8::text, $9::text, $10::text, $11::boolean,"
    " $12::bigint, $13::bigint, $14::text, $15::bigint, $16::bigint"
    " WHERE NOT EXISTS (SELECT 1 FROM ct_alerts WHERE dedup_key = $1)"
    " RETURNING id";
constexpr char kSelectAlertPage[] =
    "SELECT " LUREGUARD_ALERT_COLUMNS
    " FROM ct_alerts WHERE id > $1 AND ($2::int = 0 OR ack_time IS NULL)"
    " ORDER BY id LIMIT $3";
constexpr char kAckAlert[] =
    "UPDATE ct_alerts SET ack_time = coalesce(ack_time, $2) WHERE id = $1"
    " RETURNING " LUREGUARD_ALERT_COLUMNS;
constexpr char kSelectRecentAlerts[] = "SELECT " LUREGUARD_ALERT_COLUMNS
                                       " FROM ct_alerts WHERE create_time >= $1"
                                       " ORDER BY id";
#undef LUREGUARD_ALERT_COLUMNS

// ---- Rows ------------------------------------------------------------------

PgParams& BindEntry(PgParams& params, const ListEntryRecord& entry) {
  return params.Int(static_cast<int>(entry.list))
      .Int(static_cast<int>(entry.kind))
      .Text(entry.value, "value")
      .Text(entry.reason, "reason")
      .Text(entry.source, "source")
      .Text(entry.tenant, "tenant")
      .Int(absl::ToUnixMicros(entry.create_time))
      .OptionalInt(
          entry.expire_time == absl::InfiniteFuture()
              ? std::nullopt
              : std::optional<int64_t>(absl::ToUnixMicros(entry.expire_time)))
      .Int(static_cast<int>(entry.threat));
}

// Reads row `row` of a result selected with the entry columns, as views
// into the result.
absl::Status ReadEntryView(const PgResult& result, int row,
                           const std::string& where, ListEntryView* entry) {
  entry->id = result.Int64(row, 0);
  entry->list = static_cast<ListType>(result.Int64(row, 1));
  entry->kind = static_cast<EntryKind>(result.Int64(row, 2));
  entry->value = result.Text(row, 3);
  entry->reason = result.Text(row, 4);
  entry->source = result.Text(row, 5);
  entry->tenant = result.Text(row, 6);
  entry->create_time = absl::FromUnixMicros(result.Int64(row, 7));
  entry->expire_time = result.IsNull(row, 8)
                           ? absl::InfiniteFuture()
                           : absl::FromUnixMicros(result.Int64(row, 8));
  entry->threat = static_cast<ThreatType>(result.Int64(row, 9));
  if (!IsValidList(entry->list) || !IsValidKind(entry->kind) ||
      !IsValidThreat(entry->threat)) {
    return absl::DataLossError(absl::StrCat(
        where, ": list entry ", entry->id, " has list ",
        static_cast<int>(entry->list), ", kind ", static_cast<int>(entry->kind),
        " and threat type ", static_cast<int>(entry->threat),
        ", which this version does not know"));
  }
  return absl::OkStatus();
}

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

void ReadAlert(const PgResult& result, int row, AlertRecord* alert) {
  alert->id = result.Int64(row, 0);
  alert->dedup_key.assign(result.Text(row, 1));
  alert->name.assign(result.Text(row, 2));
  alert->brand.assign(result.Text(row, 3));
  alert->technique.assign(result.Text(row, 4));
  alert->official_domain.assign(result.Text(row, 5));
  alert->weight = result.Int64(row, 6) / 1000.0;
  alert->evidence.assign(result.Text(row, 7));
  alert->issuer.assign(result.Text(row, 8));
  alert->serial.assign(result.Text(row, 9));
  alert->cert_sha256.assign(result.Text(row, 10));
  alert->precertificate = result.Int64(row, 11) != 0;
  alert->not_before = absl::FromUnixMicros(result.Int64(row, 12));
  alert->not_after = absl::FromUnixMicros(result.Int64(row, 13));
  alert->log_name.assign(result.Text(row, 14));
  alert->log_index = result.Int64(row, 15);
  alert->create_time = absl::FromUnixMicros(result.Int64(row, 16));
  if (result.IsNull(row, 17)) {
    alert->ack_time.reset();
  } else {
    alert->ack_time = absl::FromUnixMicros(result.Int64(row, 17));
  }
}

// Appends `text` to a COPY text-format row: backslash, tab, newline and
// carriage return escaped (validation already refused other controls in
// values; reasons may still hold tabs and newlines).
void AppendCopyText(std::string_view text, std::string& out) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

void AppendCopyRow(int64_t ord, const ListEntryRecord& entry,
                   std::string& out) {
  absl::StrAppend(&out, ord, "\t", static_cast<int>(entry.list), "\t",
                  static_cast<int>(entry.kind), "\t",
                  static_cast<int>(entry.threat), "\t");
  AppendCopyText(entry.value, out);
  out += '\t';
  AppendCopyText(entry.reason, out);
  out += '\t';
  AppendCopyText(entry.source, out);
  out += '\t';
  AppendCopyText(entry.tenant, out);
  absl::StrAppend(&out, "\t", absl::ToUnixMicros(entry.create_time), "\t");
  if (entry.expire_time == absl::InfiniteFuture()) {
    out += "\\N";
  } else {
    absl::StrAppend(&out, absl::ToUnixMicros(entry.expire_time));
  }
  out += '\n';
}

// ---- Writes ----------------------------------------------------------------

// One write transaction with the bookkeeping every write shares: the write
// lock, new entries' ids, list sizes, the revision and its notification,
// and the pending audit record. Rolls back unless committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(PgConnection* connection)
      : connection_(connection), txn_(connection) {}

  absl::Status Begin() {
    RETURN_IF_ERROR(txn_.Begin(kBeginWrite));
    ASSIGN_OR_RETURN(PgResult next_id, connection_->Exec(kSelectNextEntryId));
    first_id_ = next_id_ = next_id.Int64(0, 0);
    return absl::OkStatus();
  }

  // Inserts `entry` or refreshes the entry with its key; returns its id.
  // REQUIRES: `entry` is valid.
  absl::StatusOr<int64_t> Upsert(const ListEntryRecord& entry) {
    PgParams params;
    BindEntry(params, entry).Int(next_id_);
    ASSIGN_OR_RETURN(PgResult upserted,
                     connection_->Exec(kUpsertEntry, params));
    const int64_t id = upserted.Int64(0, 0);
    if (id == next_id_) {
      ++next_id_;
      AddToListSize(static_cast<int>(entry.list), entry.tenant, 1);
    }
    ++changes_;
    ++touched_;
    return id;
  }

  // Upserts `entries` through COPY: as Upsert for each in order, the last
  // of duplicate keys winning. REQUIRES: every entry is valid.
  absl::Status BulkUpsert(const std::vector<ListEntryRecord>& entries) {
    if (entries.empty()) return absl::OkStatus();
    if (absl::StatusOr<PgResult> r = connection_->Exec(kCreateStaging);
        !r.ok()) {
      return r.status();
    }
    size_t next = 0;
    if (absl::Status s = connection_->CopyIn(
            kCopyStaging,
            [&](std::string& buffer) {
              while (next < entries.size() && buffer.size() < kCopyChunkBytes) {
                AppendCopyRow(static_cast<int64_t>(next), entries[next],
                              buffer);
                ++next;
              }
              return next < entries.size();
            });
        !s.ok()) {
      return s;
    }
    if (absl::StatusOr<PgResult> r = connection_->Exec(kAnalyzeStaging);
        !r.ok()) {
      return r.status();
    }
    ASSIGN_OR_RETURN(
        PgResult merged,
        connection_->Exec(kMergeStaging, PgParams().Int(next_id_)));
    for (int row = 0; row < merged.rows(); ++row) {
      const int64_t inserted = merged.Int64(row, 2);
      AddToListSize(static_cast<int>(merged.Int64(row, 0)), merged.Text(row, 1),
                    inserted);
      next_id_ += inserted;
    }
    changes_ += static_cast<int64_t>(entries.size());
    touched_ += static_cast<int64_t>(entries.size());
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> DeleteEntries(ListType list, std::string_view tenant,
                                        std::string_view value,
                                        std::optional<EntryKind> kind,
                                        std::string_view source) {
    PgParams params;
    params.Int(static_cast<int>(list))
        .Text(tenant, "tenant")
        .Text(value, "value")
        .Text(source, "source")
        .OptionalInt(kind.has_value()
                         ? std::optional<int64_t>(static_cast<int>(*kind))
                         : std::nullopt);
    ASSIGN_OR_RETURN(PgResult deleted,
                     connection_->Exec(kDeleteEntries, params));
    const int64_t count = deleted.Affected();
    AddToListSize(static_cast<int>(list), tenant, -count);
    changes_ += count;
    touched_ += count;
    return count;
  }

  absl::StatusOr<int64_t> DeleteSource(std::string_view source) {
    return DeleteGrouped(kDeleteSource, PgParams().Text(source, "source"));
  }

  absl::StatusOr<int64_t> DeleteExpired(absl::Time now) {
    return DeleteGrouped(kDeleteExpired,
                         PgParams().Int(absl::ToUnixMicros(now)));
  }

  absl::Status PutRecord(const StoredRecord& record, bool affects_snapshot) {
    PgParams params;
    params.Text(record.collection, "collection")
        .Text(record.tenant, "tenant")
        .Text(record.name, "name")
        .Bytes(record.payload)
        .Int(absl::ToUnixMicros(record.update_time));
    if (absl::StatusOr<PgResult> r = connection_->Exec(kPutRecord, params);
        !r.ok()) {
      return r.status();
    }
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
    PgParams params;
    params.Text(record.collection, "collection")
        .Text(record.tenant, "tenant")
        .Text(record.name, "name")
        .Bytes(record.payload)
        .Int(absl::ToUnixMicros(record.update_time));
    if (!create) params.Int(record.version);
    ASSIGN_OR_RETURN(
        PgResult updated,
        connection_->Exec(create ? kCreateRecord : kUpdateRecord, params));
    if (updated.Affected() == 0) {
      PgParams key;
      key.Text(record.collection, "collection")
          .Text(record.tenant, "tenant")
          .Text(record.name, "name");
      ASSIGN_OR_RETURN(PgResult stored,
                       connection_->Exec(kSelectRecordVersion, key));
      if (stored.rows() == 0) return RecordGone(record);
      return RecordChanged(record, stored.Int64(0, 0));
    }
    ++touched_;
    return absl::OkStatus();
  }

  absl::StatusOr<bool> DeleteRecord(std::string_view collection,
                                    std::string_view tenant,
                                    std::string_view name) {
    PgParams params;
    params.Text(collection, "collection")
        .Text(tenant, "tenant")
        .Text(name, "name");
    ASSIGN_OR_RETURN(PgResult deleted,
                     connection_->Exec(kDeleteRecord, params));
    const bool existed = deleted.Affected() > 0;
    if (existed) {
      ++changes_;
      ++touched_;
    }
    return existed;
  }

  // Counts a write the snapshot reads (the revision grows on commit).
  void CountChange() { ++changes_; }
  // Counts rows changed by the caller's own statements that no snapshot
  // reads: they make the transaction carry a pending audit record.
  void CountTouched(int64_t rows) { touched_ += rows; }

  // One statement of the transaction that needs none of the bookkeeping
  // above (clicks, beacon flags); the caller counts what it touched.
  absl::StatusOr<PgResult> Exec(const char* sql, const PgParams& params) {
    return connection_->Exec(sql, params);
  }

  PgConnection* connection() const { return connection_; }

  // Writes the bookkeeping and commits. The revision moves, and replicas
  // are notified, only when something a snapshot reads changed.
  absl::Status Commit() {
    for (const auto& [key, delta] : size_deltas_) {
      if (delta == 0) continue;
      PgParams params;
      params.Int(key.first).Text(key.second, "tenant").Int(delta);
      if (absl::StatusOr<PgResult> r =
              connection_->Exec(kAddToListSize, params);
          !r.ok()) {
        return r.status();
      }
    }
    if (next_id_ != first_id_) {
      if (absl::StatusOr<PgResult> r =
              connection_->Exec(kUpdateNextEntryId, PgParams().Int(next_id_));
          !r.ok()) {
        return r.status();
      }
    }
    if (changes_ > 0) {
      ASSIGN_OR_RETURN(PgResult bumped, connection_->Exec(kBumpRevision));
      if (bumped.rows() != 1) {
        return absl::DataLossError(absl::StrCat(
            connection_->description(), ": the meta table has no revision"));
      }
      revision_ = bumped.Int64(0, 0);
    }
    // Every change is announced, snapshot or not: other replicas keep API
    // keys and beacon flags in memory too. Delivered to listeners when, and
    // only if, this commits.
    if (touched_ > 0) {
      if (absl::StatusOr<PgResult> r =
              connection_->Exec(kNotifyRevision, PgParams().Int(revision_));
          !r.ok()) {
        return r.status();
      }
    }
    ASSIGN_OR_RETURN(AuditScope * audit, InsertPendingAudit());
    RETURN_IF_ERROR(txn_.Commit());
    if (audit != nullptr) audit->MarkWritten();
    return absl::OkStatus();
  }

 private:
  void AddToListSize(int list, std::string_view tenant, int64_t delta) {
    size_deltas_[std::make_pair(list, std::string(tenant))] += delta;
  }

  absl::StatusOr<int64_t> DeleteGrouped(const char* sql,
                                        const PgParams& params) {
    ASSIGN_OR_RETURN(PgResult groups, connection_->Exec(sql, params));
    int64_t deleted = 0;
    for (int row = 0; row < groups.rows(); ++row) {
      const int64_t count = groups.Int64(row, 2);
      AddToListSize(static_cast<int>(groups.Int64(row, 0)), groups.Text(row, 1),
                    -count);
      deleted += count;
    }
    changes_ += deleted;
    touched_ += deleted;
    return deleted;
  }

  absl::StatusOr<AuditScope*> InsertPendingAudit() {
    AuditScope* scope = touched_ > 0 ? AuditScope::Pending() : nullptr;
    if (scope == nullptr) return nullptr;
    const AuditRecord& record = scope->record();
    PgParams params;
    params.Int(absl::ToUnixMicros(record.time))
        .Text(record.actor, "actor")
        .Text(record.actor_role, "actor_role")
        .Text(record.method, "method")
        .Text(record.target, "target")
        .Text(record.tenant, "tenant")
        .Text(record.before, "before")
        .Text(record.after, "after")
        .Text(record.request_id, "request_id");
    ASSIGN_OR_RETURN(PgResult inserted,
                     connection_->Exec(kInsertAudit, params));
    scope->record().id = inserted.Int64(0, 0);
    return scope;
  }

  PgConnection* const connection_;
  PgTransaction txn_;
  int64_t first_id_ = 0;
  int64_t next_id_ = 0;
  int64_t changes_ = 0;
  int64_t touched_ = 0;
  int64_t revision_ = 0;  // after the bump; 0 (unknown) without one
  absl::flat_hash_map<std::pair<int, std::string>, int64_t> size_deltas_;
};

// ---- Store -----------------------------------------------------------------

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string conninfo, std::string description,
                std::unique_ptr<PgConnection> writer)
      : conninfo_(std::move(conninfo)),
        description_(std::move(description)),
        writer_(std::move(writer)) {}

  ~PostgresStore() override { SetChangeListener(nullptr); }

  absl::StatusOr<ListEntryRecord> UpsertEntry(
      const ListEntryRecord& entry) override {
    RETURN_IF_ERROR(ValidateEntry(entry));
    int64_t id = 0;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t upserted, txn.Upsert(entry));
      id = upserted;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    ListEntryRecord stored = entry;
    stored.id = id;
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
    int64_t deleted = 0;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t count,
                       txn.DeleteEntries(list, tenant, value, kind, source));
      deleted = count;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
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
    PgConnection* connection = reader.get();
    // One snapshot, so that the total and the page agree.
    PgTransaction txn(connection);
    RETURN_IF_ERROR(txn.Begin(kBeginRead));
    ListEntryPage page;
    {
      PgParams params;
      params.Int(static_cast<int>(list)).Text(tenant, "tenant");
      ASSIGN_OR_RETURN(PgResult size,
                       connection->Exec(kSelectListSize, params));
      page.total_size = size.rows() > 0 ? size.Int64(0, 0) : 0;
    }
    PgParams params;
    params.Int(static_cast<int>(list))
        .Text(tenant, "tenant")
        .Int(after_id)
        .Int(int64_t{page_size} + 1);  // one more tells whether more exist
    ASSIGN_OR_RETURN(PgResult rows, connection->Exec(kSelectPage, params));
    ListEntryView view;
    for (int row = 0; row < rows.rows() && row < page_size; ++row) {
      RETURN_IF_ERROR(ReadEntryView(rows, row, description_, &view));
      CopyEntry(view, &page.entries.emplace_back());
    }
    page.has_more = rows.rows() > page_size;
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
    // Validated before anything is sent: COPY streams the rows, and a bad
    // one must name its index, not a line of the COPY stream.
    for (size_t i = 0; i < entries.size(); ++i) {
      if (absl::Status s = ValidateEntry(entries[i]); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("entries[", i, "].", s.message()));
      }
    }
    auto abandoned = [&still_wanted] {
      return still_wanted != nullptr && !still_wanted();
    };
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      if (replace_source.has_value()) {
        absl::StatusOr<int64_t> deleted = txn.DeleteSource(*replace_source);
        if (!deleted.ok()) return deleted.status();
      }
      if (abandoned()) return ImportAbandoned(0);
      RETURN_IF_ERROR(txn.BulkUpsert(entries));
      // The last word before the commit: a caller gone by now was told the
      // import failed, so it must not land.
      if (abandoned()) return ImportAbandoned(entries.size());
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
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
    PgConnection* connection = reader.get();
    // One snapshot for the size and the rows; writes committed meanwhile
    // are neither seen nor delayed.
    PgTransaction txn(connection);
    RETURN_IF_ERROR(txn.Begin(kBeginRead));
    ASSIGN_OR_RETURN(PgResult total, connection->Exec(kSelectTotalSize));
    visitor.Expect(total.Int64(0, 0));
    if (absl::StatusOr<PgResult> r = connection->Exec(
            kDeclareScan, PgParams().Int(absl::ToUnixMicros(now)));
        !r.ok()) {
      return r.status();
    }
    ListEntryView entry;
    while (true) {
      ASSIGN_OR_RETURN(PgResult rows, connection->Exec(kFetchRows));
      if (rows.rows() == 0) break;
      for (int row = 0; row < rows.rows(); ++row) {
        RETURN_IF_ERROR(ReadEntryView(rows, row, description_, &entry));
        visitor.Visit(entry);
      }
    }
    return txn.Commit();
  }

  absl::StatusOr<int64_t> DeleteExpired(absl::Time now) override {
    int64_t deleted = 0;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t count, txn.DeleteExpired(now));
      deleted = count;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return deleted;
  }

  absl::Status PutRecord(const StoredRecord& record,
                         bool affects_snapshot) override {
    RETURN_IF_ERROR(ValidateKeyOf(record));
    return Write([&](WriteTransaction& txn) {
      return txn.PutRecord(record, affects_snapshot);
    });
  }

  absl::Status UpdateRecord(const StoredRecord& record) override {
    RETURN_IF_ERROR(ValidateKeyOf(record));
    return Write(
        [&](WriteTransaction& txn) { return txn.UpdateRecord(record); });
  }

  static absl::Status ValidateKeyOf(const StoredRecord& record) {
    return ValidateRecordKey(record.collection, record.tenant, record.name);
  }

  absl::StatusOr<bool> DeleteRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name,
      std::optional<std::string> delete_source) override {
    RETURN_IF_ERROR(ValidateRecordKey(collection, tenant, name));
    bool existed = false;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(bool deleted,
                       txn.DeleteRecord(collection, tenant, name));
      existed = deleted;
      if (delete_source.has_value()) {
        absl::StatusOr<int64_t> count = txn.DeleteSource(*delete_source);
        if (!count.ok()) return count.status();
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return existed;
  }

  absl::StatusOr<std::optional<StoredRecord>> GetRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name) override {
    PgParams params;
    params.Text(collection, "collection")
        .Text(tenant, "tenant")
        .Text(name, "name");
    ASSIGN_OR_RETURN(std::vector<StoredRecord> records,
                     SelectRecords(kSelectRecord, params));
    if (records.empty()) return std::nullopt;
    return std::move(records.front());
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
    return Write([&](WriteTransaction& txn) -> absl::Status {
      for (const StoredRecord& record : records) {
        RETURN_IF_ERROR(txn.PutRecord(record, affects_snapshot));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<StoredRecord>> ListRecords(
      std::string_view collection) override {
    return SelectRecords(kSelectRecords,
                         PgParams().Text(collection, "collection"));
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
    }
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      RETURN_IF_ERROR(txn.DeleteSource(source).status());
      RETURN_IF_ERROR(txn.BulkUpsert(entries));
      return txn.UpdateRecord(record);
    });
    if (!status.ok()) return status;
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
    std::vector<AlertRecord> added;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      for (const AlertRecord& alert : alerts) {
        PgParams params;
        params.Text(alert.dedup_key, "dedup_key")
            .Text(alert.name, "name")
            .Text(alert.brand, "brand")
            .Text(alert.technique, "technique")
            .Text(alert.official_domain, "official_domain")
            .Int(static_cast<int64_t>(alert.weight * 1000 + 0.5))
            .Text(alert.evidence, "evidence")
            .Text(alert.issuer, "issuer")
            .Text(alert.serial, "serial")
            .Text(alert.cert_sha256, "cert_sha256")
            .Int(alert.precertificate ? 1 : 0)
            .Int(absl::ToUnixMicros(alert.not_before))
            .Int(absl::ToUnixMicros(alert.not_after))
            .Text(alert.log_name, "log_name")
            .Int(alert.log_index)
            .Int(absl::ToUnixMicros(alert.create_time));
        ASSIGN_OR_RETURN(PgResult inserted,
                         txn.connection()->Exec(kInsertAlert, params));
        if (inserted.rows() == 0) continue;  // a duplicate
        AlertRecord& stored = added.emplace_back(alert);
        stored.id = inserted.Int64(0, 0);
        stored.ack_time.reset();
      }
      if (!added.empty()) txn.CountChange();
      if (record.has_value()) {
        return txn.UpdateRecord(*record);
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
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
    PgParams params;
    params.Int(after_id).Int(unacked_only ? 1 : 0).Int(int64_t{page_size} + 1);
    ASSIGN_OR_RETURN(PgResult rows, Read(kSelectAlertPage, params));
    AlertPage page;
    for (int row = 0; row < rows.rows() && row < page_size; ++row) {
      ReadAlert(rows, row, &page.alerts.emplace_back());
    }
    page.has_more = rows.rows() > page_size;
    page.last_id = page.alerts.empty() ? after_id : page.alerts.back().id;
    return page;
  }

  absl::StatusOr<AlertRecord> AckAlert(int64_t id, absl::Time when) override {
    AlertRecord alert;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      PgParams params;
      params.Int(id).Int(absl::ToUnixMicros(when));
      ASSIGN_OR_RETURN(PgResult acked,
                       txn.connection()->Exec(kAckAlert, params));
      if (acked.rows() == 0) {
        return absl::NotFoundError(absl::StrCat("id: no alert ", id));
      }
      txn.CountTouched(1);
      ReadAlert(acked, 0, &alert);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return alert;
  }

  absl::Status ForEachAlert(
      absl::Time since,
      const std::function<void(const AlertRecord&)>& visit) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Read(kSelectRecentAlerts, PgParams().Int(absl::ToUnixMicros(since))));
    AlertRecord alert;
    for (int row = 0; row < rows.rows(); ++row) {
      ReadAlert(rows, row, &alert);
      visit(alert);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<ClickRecord> AddClick(const ClickRecord& click) override {
    RETURN_IF_ERROR(ValidateClick(click));
    PgParams params;
    params.Int(absl::ToUnixMicros(click.time))
        .Text(click.tenant, "tenant")
        .Text(click.recipient_id, "recipient_id")
        .Text(click.url, "url")
        .Int(click.action)
        .Int(click.verdict_action)
        .Text(click.verdict_id, "verdict_id");
    // One statement is its own transaction; no revision bump and no write
    // lock, as no snapshot reads clicks.
    ASSIGN_OR_RETURN(PgResult inserted, Read(kInsertClick, params));
    ClickRecord stored = click;
    stored.id = inserted.Int64(0, 0);
    stored.time = absl::FromUnixMicros(absl::ToUnixMicros(click.time));
    return stored;
  }

  absl::StatusOr<ClickPage> ListClicks(const ClickQuery& query) override {
    RETURN_IF_ERROR(internal::ValidatePageSize(query.page_size));
    // PgParams keeps views: the tenant must outlive the statement.
    const std::string tenant = query.tenant.value_or("");
    PgParams params;
    params.Int(query.before_id)
        .Int(query.tenant.has_value() ? 1 : 0)
        .Text(tenant, "tenant")
        .Int(int64_t{query.page_size} + 1);
    ASSIGN_OR_RETURN(PgResult rows, Read(kSelectClicks, params));
    ClickPage page;
    for (int row = 0; row < rows.rows() && row < query.page_size; ++row) {
      ReadClick(rows, row, page.clicks.emplace_back());
    }
    page.has_more = rows.rows() > query.page_size;
    return page;
  }

  absl::StatusOr<ClickRecord> RecordClick(const ClickRecord& click,
                                          absl::Duration window) override {
    RETURN_IF_ERROR(ValidateClick(click));
    RETURN_IF_ERROR(internal::ValidateClickWindow(window));
    ClickRecord stored;
    // Under the write lock, so two clicks of one window cannot both insert.
    // No revision bump and no notice: no snapshot reads clicks.
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      PgParams find;
      find.Text(click.recipient_id, "recipient_id")
          .Text(click.tenant, "tenant")
          .Text(click.url, "url")
          .Int(absl::ToUnixMicros(click.time - window));
      ASSIGN_OR_RETURN(PgResult open, txn.Exec(kSelectClickInWindow, find));
      if (open.rows() > 0) {
        PgParams count;
        count.Int(open.Int64(0, 0))
            .Int(absl::ToUnixMicros(click.time))
            .Int(click.action)
            .Int(click.verdict_action)
            .Text(click.verdict_id, "verdict_id");
        ASSIGN_OR_RETURN(PgResult row, txn.Exec(kCountClick, count));
        ReadClick(row, 0, stored);
        return absl::OkStatus();
      }
      PgParams insert;
      insert.Int(absl::ToUnixMicros(click.time))
          .Text(click.tenant, "tenant")
          .Text(click.recipient_id, "recipient_id")
          .Text(click.url, "url")
          .Int(click.action)
          .Int(click.verdict_action)
          .Text(click.verdict_id, "verdict_id");
      ASSIGN_OR_RETURN(PgResult inserted, txn.Exec(kInsertClick, insert));
      stored = click;
      stored.id = inserted.Int64(0, 0);
      stored.time = absl::FromUnixMicros(absl::ToUnixMicros(click.time));
      stored.last_time = stored.time;
      stored.count = 1;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return stored;
  }

  absl::StatusOr<int64_t> DeleteClicksBefore(absl::Time cutoff) override {
    RETURN_IF_ERROR(internal::ValidateCutoff(cutoff));
    int64_t deleted = 0;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(PgResult gone,
                       txn.Exec(kDeleteClicksBefore,
                                PgParams().Int(absl::ToUnixMicros(cutoff))));
      deleted = gone.Int64(0, 0);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return deleted;
  }

  absl::Status PutBeaconFlag(const BeaconFlagRecord& flag) override {
    RETURN_IF_ERROR(ValidateBeaconFlag(flag));
    PgParams params;
    params.Text(flag.tenant, "tenant")
        .Text(flag.host, "host")
        .Text(flag.brand, "brand")
        .Text(flag.technique, "technique")
        .Int(absl::ToUnixMicros(flag.first_seen))
        .Int(absl::ToUnixMicros(flag.last_seen))
        .Int(flag.hits)
        .Int(absl::ToUnixMicros(flag.expire_time));
    // Touched, not a snapshot change: the notice tells the other replicas
    // to reload their flags; the revision stays.
    return Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(PgResult put, txn.Exec(kPutBeaconFlag, params));
      txn.CountTouched(1);
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<BeaconFlagRecord>> ListBeaconFlags(
      absl::Time now) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Read(kSelectBeaconFlags, PgParams().Int(absl::ToUnixMicros(now))));
    std::vector<BeaconFlagRecord> flags;
    for (int row = 0; row < rows.rows(); ++row) {
      BeaconFlagRecord& flag = flags.emplace_back();
      flag.tenant.assign(rows.Text(row, 0));
      flag.host.assign(rows.Text(row, 1));
      flag.brand.assign(rows.Text(row, 2));
      flag.technique.assign(rows.Text(row, 3));
      flag.first_seen = absl::FromUnixMicros(rows.Int64(row, 4));
      flag.last_seen = absl::FromUnixMicros(rows.Int64(row, 5));
      flag.hits = rows.Int64(row, 6);
      flag.expire_time = absl::FromUnixMicros(rows.Int64(row, 7));
    }
    return flags;
  }

  absl::StatusOr<bool> DeleteBeaconFlag(std::string_view tenant,
                                        std::string_view host) override {
    RETURN_IF_ERROR(ValidateTenant(AsAbsl(tenant)));
    RETURN_IF_ERROR(ValidateBeaconHost(AsAbsl(host)));
    bool existed = false;
    // A write transaction: an admin's delete carries its audit record.
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(
          PgResult gone,
          txn.Exec(kDeleteBeaconFlag,
                   PgParams().Text(tenant, "tenant").Text(host, "host")));
      existed = gone.Int64(0, 0) > 0;
      txn.CountTouched(existed ? 1 : 0);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return existed;
  }

  absl::StatusOr<int64_t> DeleteExpiredBeaconFlags(absl::Time now) override {
    int64_t deleted = 0;
    absl::Status status = Write([&](WriteTransaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(PgResult gone,
                       txn.Exec(kDeleteExpiredBeaconFlags,
                                PgParams().Int(absl::ToUnixMicros(now))));
      deleted = gone.Int64(0, 0);
      txn.CountTouched(deleted);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return deleted;
  }

  absl::StatusOr<int64_t> Revision() override {
    ASSIGN_OR_RETURN(PgResult rows, Read(kSelectRevision, PgParams()));
    if (rows.rows() != 1) {
      return absl::DataLossError(
          absl::StrCat(description_, ": the meta table has no revision"));
    }
    return rows.Int64(0, 0);
  }

  absl::StatusOr<AuditPage> ListAuditRecords(const AuditQuery& query) override {
    if (query.page_size <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("page_size: ", query.page_size, " must be positive"));
    }
    PgParams params;
    params.Int(query.before_id)
        .Text(query.actor, "actor")
        .Text(query.method, "method")
        .Int(int64_t{query.page_size} + 1);
    ASSIGN_OR_RETURN(PgResult rows, Read(kSelectAudit, params));
    AuditPage page;
    for (int row = 0; row < rows.rows() && row < query.page_size; ++row) {
      AuditRecord& record = page.records.emplace_back();
      record.id = rows.Int64(row, 0);
      record.time = absl::FromUnixMicros(rows.Int64(row, 1));
      record.actor.assign(rows.Text(row, 2));
      record.actor_role.assign(rows.Text(row, 3));
      record.method.assign(rows.Text(row, 4));
      record.target.assign(rows.Text(row, 5));
      record.tenant.assign(rows.Text(row, 6));
      record.before.assign(rows.Text(row, 7));
      record.after.assign(rows.Text(row, 8));
      record.request_id.assign(rows.Text(row, 9));
    }
    page.has_more = rows.rows() > query.page_size;
    return page;
  }

  std::string Describe() const override { return description_; }

  absl::StatusOr<bool> HoldLease(std::string_view name) override {
    absl::MutexLock lock(&leases_mu_);
    std::unique_ptr<PgConnection>& held = leases_[std::string(name)];
    if (held != nullptr) {
      // The lock lives as long as the connection: check that it does.
      if (held->ok() && held->Exec("SELECT 1").ok()) return true;
      held.reset();
      LogWarning("store lease lost with its connection",
                 {{"lease", AsAbsl(name)}});
    }
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                     PgConnection::Open(conninfo_, description_));
    ASSIGN_OR_RETURN(
        PgResult taken,
        (connection)
            ->Exec("SELECT pg_try_advisory_lock(1279742533, hashtext($1))",
                   PgParams().Text(name, "lease")));
    if (taken.Int64(0, 0) != 1) return false;
    held = std::move(connection);
    LogInfo("store lease taken", {{"lease", AsAbsl(name)}});
    return true;
  }

  void SetChangeListener(std::function<void()> on_change) override {
    absl::MutexLock lock(&listener_mu_);
    if (listener_.joinable()) {
      listener_stop_ = true;
      {
        // The listener takes listener_mu_ to read the flag.
        listener_mu_.Unlock();
        listener_.join();
        listener_mu_.Lock();
      }
    }
    listener_stop_ = false;
    if (!on_change) return;
    listener_ = std::thread(
        [this, on_change = std::move(on_change)] { Listen(on_change); });
  }

 private:
  // A reader connection borrowed from the pool, returned when destroyed.
  class ReaderLease {
   public:
    ReaderLease(PostgresStore* store, std::unique_ptr<PgConnection> connection)
        : store_(store), connection_(std::move(connection)) {}
    ReaderLease(ReaderLease&&) = default;
    ReaderLease& operator=(ReaderLease&&) = delete;
    ~ReaderLease() {
      if (connection_ != nullptr) store_->ReleaseReader(std::move(connection_));
    }
    PgConnection* get() const { return connection_.get(); }

   private:
    PostgresStore* store_;
    std::unique_ptr<PgConnection> connection_;
  };

  // Runs `body` in one write transaction on the writer connection and
  // commits it. A writer connection lost since the last write (a server
  // restart) is replaced first.
  absl::Status Write(
      const std::function<absl::Status(WriteTransaction&)>& body) {
    absl::MutexLock lock(&writer_mu_);
    // An idle connection learns that the server restarted only when used:
    // a BEGIN that fails on a lost connection is retried once on a new
    // one, as nothing was written.
    for (int attempt = 0;; ++attempt) {
      if (writer_ == nullptr || !writer_->ok() || writer_->InTransaction()) {
        writer_.reset();
        ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                         PgConnection::Open(conninfo_, description_));
        writer_ = std::move(connection);
      }
      WriteTransaction txn(writer_.get());
      if (absl::Status s = txn.Begin(); !s.ok()) {
        if (attempt == 0 && !writer_->ok()) continue;
        return s;
      }
      RETURN_IF_ERROR(body(txn));
      return txn.Commit();
    }
  }

  // Runs one statement on a reader connection, once more on a new
  // connection when the pooled one turns out to be lost (a restart).
  absl::StatusOr<PgResult> Read(const char* sql, const PgParams& params) {
    for (int attempt = 0;; ++attempt) {
      ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
      absl::StatusOr<PgResult> result = reader.get()->Exec(sql, params);
      if (result.ok() || attempt > 0 || reader.get()->ok()) return result;
    }
  }

  absl::StatusOr<std::vector<StoredRecord>> SelectRecords(
      const char* sql, const PgParams& params) {
    ASSIGN_OR_RETURN(PgResult rows, Read(sql, params));
    std::vector<StoredRecord> records;
    for (int row = 0; row < rows.rows(); ++row) {
      StoredRecord& record = records.emplace_back();
      record.collection.assign(rows.Text(row, 0));
      record.tenant.assign(rows.Text(row, 1));
      record.name.assign(rows.Text(row, 2));
      record.payload = rows.Bytes(row, 3);
      record.update_time = absl::FromUnixMicros(rows.Int64(row, 4));
      record.version = rows.Int64(row, 5);
    }
    return records;
  }

  absl::StatusOr<ReaderLease> AcquireReader() {
    {
      absl::MutexLock lock(&readers_mu_);
      while (!idle_readers_.empty()) {
        std::unique_ptr<PgConnection> connection =
            std::move(idle_readers_.back());
        idle_readers_.pop_back();
        // Lost connections (a server restart) are dropped here, so the
        // first read after the server is back connects again.
        if (connection->ok()) return ReaderLease(this, std::move(connection));
      }
    }
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                     PgConnection::Open(conninfo_, description_));
    return ReaderLease(this, std::move(connection));
  }

  void ReleaseReader(std::unique_ptr<PgConnection> connection) {
    absl::MutexLock lock(&readers_mu_);
    // One lost connection means the server went away: the idle ones were
    // lost too, and each would fail one more call.
    if (!connection->ok()) idle_readers_.clear();
    if (idle_readers_.size() < kMaxIdleReaders && connection->ok() &&
        !connection->InTransaction()) {
      idle_readers_.push_back(std::move(connection));
    }
  }

  bool ListenerStopping(absl::Duration wait = absl::ZeroDuration()) {
    absl::MutexLock lock(&listener_mu_);
    listener_mu_.AwaitWithTimeout(absl::Condition(&listener_stop_), wait);
    return listener_stop_;
  }

  // The change listener's loop: LISTEN on its own connection, call
  // `on_change` for each batch of notifications, and connect again when
  // the server goes away (calling `on_change` once connected, for what
  // was committed meanwhile).
  void Listen(const std::function<void()>& on_change) {
    std::unique_ptr<PgConnection> connection;
    bool reported_loss = false;
    while (!ListenerStopping()) {
      if (connection == nullptr || !connection->ok()) {
        connection.reset();
        absl::StatusOr<std::unique_ptr<PgConnection>> opened =
            PgConnection::Open(conninfo_, description_);
        absl::Status listening = opened.status();
        if (opened.ok()) listening = (*opened)->Exec(kListen).status();
        if (!listening.ok()) {
          if (!reported_loss) {
            LogWarning(
                "store change notifications lost; polling until the "
                "database is back",
                {{"error", listening.ToString()}});
            reported_loss = true;
          }
          if (ListenerStopping(kListenRetry)) return;
          continue;
        }
        connection = *std::move(opened);
        if (reported_loss) {
          LogInfo("store change notifications restored");
          reported_loss = false;
        }
        on_change();
      }
      pollfd socket{PQsocket(connection->raw()), POLLIN, 0};
      if (poll(&socket, 1, kListenPollMs) <= 0) continue;
      if (PQconsumeInput(connection->raw()) == 0) continue;  // lost
      bool changed = false;
      while (PGnotify* notice = PQnotifies(connection->raw())) {
        changed = true;
        PQfreemem(notice);
      }
      if (changed) on_change();
    }
  }

  const std::string conninfo_;
  const std::string description_;

  // Lease name -> the connection whose session holds its advisory lock.
  absl::Mutex leases_mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<PgConnection>> leases_
      ABSL_GUARDED_BY(leases_mu_);

  absl::Mutex listener_mu_;
  bool listener_stop_ ABSL_GUARDED_BY(listener_mu_) = false;
  std::thread listener_;  // joined with listener_mu_ released

  absl::Mutex writer_mu_;
  std::unique_ptr<PgConnection> writer_ ABSL_GUARDED_BY(writer_mu_);

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_readers_
      ABSL_GUARDED_BY(readers_mu_);
};

// ---- Opening -------------------------------------------------------------

constexpr char kSchemaTableExists[] =
    "SELECT to_regclass('lureguard_schema') IS NOT NULL";
constexpr char kCountTables[] =
    "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()";
constexpr char kCreateSchemaTable[] =
    "CREATE TABLE lureguard_schema(version integer NOT NULL);"
    " INSERT INTO lureguard_schema(version) VALUES (0)";
constexpr char kSelectVersion[] = "SELECT version FROM lureguard_schema";

absl::StatusOr<int64_t> SchemaVersion(PgConnection& connection) {
  ASSIGN_OR_RETURN(PgResult version, connection.Exec(kSelectVersion));
  if (version.rows() != 1) {
    return absl::DataLossError(absl::StrCat(
        connection.description(), ": lureguard_schema must hold one row"));
  }
  return version.Int64(0, 0);
}

// Claims an empty database (or schema) for Lureguard, refusing one that
// holds someone else's tables, and refuses a schema from a newer version.
absl::Status CheckIdentity(PgConnection& connection) {
  PgTransaction txn(&connection);
  RETURN_IF_ERROR(txn.Begin(kBeginMigration));
  ASSIGN_OR_RETURN(PgResult ours, connection.Exec(kSchemaTableExists));
  if (ours.Int64(0, 0) == 0) {
    ASSIGN_OR_RETURN(PgResult tables, connection.Exec(kCountTables));
    if (tables.Int64(0, 0) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          connection.description(), ": not a Lureguard database (it has ",
          tables.Int64(0, 0),
          " tables and no lureguard_schema); choose an empty database"));
    }
    if (absl::StatusOr<PgResult> r = connection.Exec(kCreateSchemaTable);
        !r.ok()) {
      return r.status();
    }
  }
  ASSIGN_OR_RETURN(int64_t version, SchemaVersion(connection));
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        connection.description(), ": schema version ", version,
        " was written by a newer Lureguard; this version supports up to ",
        kSchemaVersion));
  }
  return txn.Commit();
}

// Brings the schema to kSchemaVersion, one migration per transaction under
// the migration lock, so that replicas starting together migrate once and
// a crash mid-way leaves a known version.
absl::Status Migrate(PgConnection& connection) {
  for (const Migration& migration : kMigrations) {
    PgTransaction txn(&connection);
    RETURN_IF_ERROR(txn.Begin(kBeginMigration));
    absl::StatusOr<int64_t> version = SchemaVersion(connection);
    if (!version.ok()) return version.status();
    if (*version >= migration.version) continue;  // `txn` rolls back.
    if (absl::StatusOr<PgResult> r = connection.Exec(migration.sql); !r.ok()) {
      return absl::Status(
          r.status().code(),
          absl::StrCat(r.status().message(), " (schema migration to version ",
                       migration.version, ")"));
    }
    if (absl::StatusOr<PgResult> r =
            connection.Exec("UPDATE lureguard_schema SET version = $1",
                            PgParams().Int(migration.version));
        !r.ok()) {
      return r.status();
    }
    RETURN_IF_ERROR(txn.Commit());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(
    const std::string& url) {
  absl::StatusOr<std::string> description = internal::DescribePostgresUrl(url);
  if (!description.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("store: ", description.status().message()));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer,
                   PgConnection::Open(url, *description));
  PgConnection& connection = *writer;
  ASSIGN_OR_RETURN(PgResult encoding, connection.Exec("SHOW server_encoding"));
  if (encoding.Text(0, 0) != "UTF8") {
    return absl::FailedPreconditionError(absl::StrCat(
        *description, ": the database's encoding is ",
        std::string(encoding.Text(0, 0)), "; create it with ENCODING 'UTF8'"));
  }
  RETURN_IF_ERROR(CheckIdentity(connection));
  RETURN_IF_ERROR(Migrate(connection));
  return std::make_unique<PostgresStore>(url, *std::move(description),
                                         std::move(writer));
}

}  // namespace lureguard::store
