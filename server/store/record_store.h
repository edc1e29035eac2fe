// The generic records of the store, apart from the rest of it:
// `RecordStore` is the narrow interface that code keeping small named
// documents (brands, feeds, API keys, CT logs' cursors) can take. `Store`
// inherits it, so the SQLite and PostgreSQL stores are record stores;
// tests/fakes/in_memory_record_store.h is one in memory, held to the same
// assertions as both (record_store_test.cc).
//
// The store's revision is here too: `PutRecord`'s `affects_snapshot` says
// whether it grows, and a reader of records compares it to tell whether
// what it built from them is current.
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   RecordStore& records = *store;  // any Store
//   absl::Status s = records.PutRecord(
//       {.collection = "brand", .name = "PayPal", .payload = bytes}, true);
//   absl::StatusOr<std::optional<StoredRecord>> brand =
//       records.GetRecord("brand", "", "PayPal");

#ifndef LUREGUARD_SERVER_STORE_RECORD_STORE_H_
#define LUREGUARD_SERVER_STORE_RECORD_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lureguard::store {

// A small named document of one capability (a protected brand, a feed),
// kept as an opaque payload its owner encodes. Collections are small
// (thousands of records), read whole, and never scanned per request.
struct StoredRecord {
  std::string collection;  // e.g. "brand", "feed"
  std::string tenant;      // empty: global
  std::string name;
  std::string payload;
  absl::Time update_time = absl::UnixEpoch();
  // Grows by one with every write of the record (SQLite schema v8,
  // PostgreSQL v3; records written before read 1). Read by GetRecord and
  // ListRecords; the conditional writes (UpdateRecord, ReplaceSourceEntries,
  // AddAlerts) take it as the version they expect to replace.
  int64_t version = 0;
};

// Where records are kept; see the file comment.
//
// Every write commits one transaction. Writes refuse a record whose key is
// invalid with InvalidArgument naming the field: the collection 1 to 128
// printable ASCII characters without spaces, the tenant as for list
// entries, the name 1 to 128 bytes of UTF-8 without control characters.
class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // Inserts or replaces the record (collection, tenant, name). When
  // `affects_snapshot` the revision grows, so snapshots are rebuilt;
  // bookkeeping that verdicts do not read (a feed's last fetch time) passes
  // false and costs no rebuild.
  virtual absl::Status PutRecord(const StoredRecord& record,
                                 bool affects_snapshot) = 0;

  // Deletes the record and, when `delete_source` is set, every list entry
  // with that source, in one transaction. Returns whether the record
  // existed.
  virtual absl::StatusOr<bool> DeleteRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name, std::optional<std::string> delete_source) = 0;

  // The record, or nullopt when there is none.
  virtual absl::StatusOr<std::optional<StoredRecord>> GetRecord(
      std::string_view collection, std::string_view tenant,
      std::string_view name) = 0;

  // Inserts or replaces every record in one transaction (a brand import:
  // all or nothing). The revision grows when `affects_snapshot`.
  virtual absl::Status PutRecords(const std::vector<StoredRecord>& records,
                                  bool affects_snapshot) = 0;

  // Replaces the record only when its stored version is `record.version`
  // (compare-and-set), so that bookkeeping computed from an older read (a
  // feed's status written by a replica that lost its lease meanwhile)
  // never overwrites newer state. On success the stored version is
  // `record.version + 1`. NotFound when the record was deleted meanwhile
  // (it is not re-created); Aborted, naming both versions, when another
  // write came first. A `record.version` of 0 (stored versions start at 1)
  // creates the record only when there is none: the first write of a
  // record two processes may race to make. Not a snapshot change: the
  // revision stays.
  virtual absl::Status UpdateRecord(const StoredRecord& record) = 0;

  // Every record of `collection`, all tenants, ordered by tenant and name.
  virtual absl::StatusOr<std::vector<StoredRecord>> ListRecords(
      std::string_view collection) = 0;

  // A number that grows with every committed write, so readers can tell
  // whether their snapshot is current. Writes that change nothing (a delete
  // or expiry sweep that finds nothing, an empty import) leave it as is.
  virtual absl::StatusOr<int64_t> Revision() = 0;
};

}  // namespace lureguard::store

#endif  // LUREGUARD_SERVER_STORE_RECORD_STORE_H_
