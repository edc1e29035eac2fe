// The block- and allow-list entries of the store, apart from the rest of
// it: `ListEntryStore` is the narrow interface that list code (admin writes,
// imports, feed refreshes, the snapshot rebuild) can take. `Store` inherits
// it, so the SQLite and PostgreSQL stores are list entry stores; their
// behaviour is asserted in store_test.cc.
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization. Writes are serialized.
//
// Example:
//   ListEntryStore& entries = *store;  // any Store
//   ListEntryRecord entry;
//   entry.list = ListType::kBlock;
//   entry.kind = EntryKind::kDomain;
//   entry.value = "evil.example";
//   absl::StatusOr<ListEntryRecord> stored = entries.UpsertEntry(entry);

#ifndef LUREGUARD_SERVER_STORE_LIST_ENTRY_STORE_H_
#define LUREGUARD_SERVER_STORE_LIST_ENTRY_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
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

// A list entry as a scan reads it (ListEntryStore::ScanEntries): the fields of
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

// Receives the entries of a ListEntryStore::ScanEntries, on the scanning
// thread.
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

// Where list entries are kept; see the file comment.
//
// Every write commits one transaction and, when it changes something,
// grows the store's revision (RecordStore::Revision).
class ListEntryStore {
 public:
  virtual ~ListEntryStore() = default;

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
};

}  // namespace lureguard::store

#endif  // LUREGUARD_SERVER_STORE_LIST_ENTRY_STORE_H_
