// An immutable, in-memory index of block- and allow-list entries.
//
// Built off the request path from the store's entries, then shared by all
// verdict threads without locks. Matching follows Safe Browsing expression
// semantics: hosts are looked up at every parent domain, URL prefixes and
// exact URLs through the URL's host-suffix x path-prefix expressions, IP
// literals against CIDR ranges. Expired entries stop matching at their
// expiry without a rebuild.
//
// Sized for 10 M host entries in well under 40 bytes each (DESIGN.md): an
// entry is one record in a byte arena (its first label, then varint ids of
// its parent domain and of its shared attributes), found through an
// open-addressing table of 8-byte slots. See list_snapshot.cc for the
// record format and internal/key_table.h for the table.
//
// Thread safety: const methods are safe for concurrent use. The builder is
// single-threaded.
//
// Example:
//   absl::StatusOr<ListSnapshot> lists = BuildListSnapshot(store, now);
//   if (!lists.ok()) return lists.status();
//   std::vector<ListMatch> hits = lists->Match(*analysis, "tenant-a", now);

#ifndef LUREGUARD_SERVER_LISTS_LIST_SNAPSHOT_H_
#define LUREGUARD_SERVER_LISTS_LIST_SNAPSHOT_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/lists/internal/key_table.h"
#include "server/lists/internal/string_pool.h"
#include "server/store/store.h"
#include "server/url/url.h"

namespace lureguard::lists {

// One entry that matched a URL, and how. The views point into the
// snapshot that returned it and stay valid while that snapshot lives (the
// engine holds its shared_ptr for the whole check).
struct ListMatch {
  store::ListType list = store::ListType::kBlock;
  store::EntryKind kind = store::EntryKind::kDomain;
  // What the entry lists: the verdict's threat type when it blocks.
  store::ThreatType threat = store::ThreatType::kPhishing;
  // The entry's normalized value. A copy: the snapshot stores a host as
  // its first label plus a shared parent domain, not contiguously.
  std::string value;
  absl::string_view source;  // "admin" or "feed:NAME"
  absl::string_view reason;
  absl::Time expire_time = absl::InfiniteFuture();
  // "exact-host", "subdomain", "url-prefix", "exact-url", "ip-range", or
  // "alternate-host" when it matched a host only a legacy parser sees.
  absl::string_view technique;
  // Identifies the entry within its snapshot: equal for equal entries.
  uint32_t entry = 0;
};

// Entry counts per list.
struct ListCounts {
  int64_t block = 0;
  int64_t allow = 0;
};

class ListSnapshotBuilder;

class ListSnapshot {
 public:
  // An empty snapshot: nothing matches.
  ListSnapshot() = default;
  // Indexes `entries`; a convenience for tests and small lists, equivalent
  // to adding each to a ListSnapshotBuilder. Entries already expired at
  // match time are skipped then, so the caller need not filter them.
  // REQUIRES: the values add up to less than 4 GiB.
  static ListSnapshot Build(const std::vector<store::ListEntryRecord>& entries);

  ListSnapshot(ListSnapshot&&) = default;
  ListSnapshot& operator=(ListSnapshot&&) = default;

  // Returns every unexpired entry of `tenant` or of every tenant (empty
  // tenant) that matches `url`, allow-list matches first.
  // REQUIRES: url.is_web.
  std::vector<ListMatch> Match(const url::UrlAnalysis& url,
                               absl::string_view tenant, absl::Time now) const;

  ListCounts counts() const { return counts_; }

 private:
  friend class ListSnapshotBuilder;

  // What most entries share: one feed's entries differ only in value. The
  // threat type lives here, not in the record, so it costs an entry
  // nothing.
  struct Attributes {
    store::ListType list;
    store::EntryKind kind;
    store::ThreatType threat;
    uint32_t tenant;  // id in strings_; 0: every tenant
    uint32_t source;  // id in strings_
    uint32_t reason;  // id in strings_
    absl::Time expire_time;
  };
  // A record of `records_`, decoded.
  struct Record {
    absl::string_view head;  // the value up to its tail
    uint32_t tail;           // id in strings_ of the rest of the value
    uint32_t attributes;     // index in attributes_
  };

  Record DecodeRecord(uint32_t ref) const;
  bool HasKey(const Record& record, absl::string_view key) const;
  void MatchHost(absl::string_view host, bool alternate,
                 absl::string_view tenant, absl::Time now,
                 std::vector<ListMatch>& out) const;
  void MatchIp(absl::string_view host, absl::string_view tenant, absl::Time now,
               std::vector<ListMatch>& out) const;
  void Collect(const internal::KeyTable& table, absl::string_view key,
               absl::string_view tenant, absl::Time now,
               bool (*accept)(store::EntryKind), absl::string_view technique,
               std::vector<ListMatch>& out) const;
  // Appends `ref`'s entry to `out` when it applies to `tenant` at `now`.
  void CollectRecord(uint32_t ref, const Record& record,
                     absl::string_view tenant, absl::Time now,
                     bool (*accept)(store::EntryKind),
                     absl::string_view technique,
                     std::vector<ListMatch>& out) const;

  // Every entry's record, back to back; an entry's reference is the offset
  // of its record.
  std::string records_;
  internal::StringPool strings_;  // tenants, sources, reasons, value tails
  std::vector<Attributes> attributes_;
  internal::KeyTable hosts_;        // kHost and kDomain, by host
  internal::KeyTable expressions_;  // kUrlPrefix and kExactUrl, by value
  // kIpRange, by masked address bytes + prefix length, newest last. IP
  // entries are few, so a plain map serves.
  absl::flat_hash_map<std::string, std::vector<uint32_t>> ip_ranges_;
  // Prefix lengths present in ip_ranges_, so a lookup masks only those.
  std::vector<int> ipv4_prefix_lengths_;
  std::vector<int> ipv6_prefix_lengths_;
  ListCounts counts_;
};

// Streams entries into a ListSnapshot, so that a 10 M-entry store never
// exists in memory as records: each Add() appends a few bytes to the
// snapshot's arena, and Build() indexes them.
//
// Example:
//   ListSnapshotBuilder builder;
//   builder.Reserve(entry_count);  // optional
//   for (const store::ListEntryRecord& entry : entries) {
//     if (absl::Status s = builder.Add(entry); !s.ok()) return s;
//   }
//   ListSnapshot lists = std::move(builder).Build();
class ListSnapshotBuilder {
 public:
  ListSnapshotBuilder() = default;
  ListSnapshotBuilder(const ListSnapshotBuilder&) = delete;
  ListSnapshotBuilder& operator=(const ListSnapshotBuilder&) = delete;

  // Sizes the build buffers for about `entries` entries, so that they are
  // allocated once rather than grown by copying. Only a hint: more or fewer
  // entries may follow.
  void Reserve(int64_t entries);

  // Adds `entry` (copying what it needs). Entries of one value are visited
  // newest-added first by Match(). Returns ResourceExhaustedError, adding
  // nothing, when the snapshot's 4 GiB arena is full.
  absl::Status Add(const store::ListEntryView& entry);
  absl::Status Add(const store::ListEntryRecord& entry);

  // Indexes the added entries. The builder is left empty.
  ListSnapshot Build() &&;

 private:
  uint32_t InternAttributes(const store::ListEntryView& entry);

  ListSnapshot snapshot_;
  absl::flat_hash_map<
      std::tuple<int, int, int, uint32_t, uint32_t, uint32_t, absl::Time>,
      uint32_t>
      attribute_ids_;
  uint32_t last_attributes_ = UINT32_MAX;  // of the previous Add()
  // (key hash, record offset) per table, in the order added.
  internal::KeyTableBuilder hosts_;
  internal::KeyTableBuilder expressions_;
};

// Builds the snapshot of every entry of `store` unexpired at `now`: what the
// publisher runs at start and after each write, off the request path. The
// store is read on a second thread while this one indexes, so a rebuild
// takes about the longer of the two rather than their sum (10 M entries
// from SQLite: see README.md). Fails with the store's error, or when the
// entries do not fit (see ListSnapshotBuilder::Add).
absl::StatusOr<ListSnapshot> BuildListSnapshot(store::ListEntryStore& store,
                                               absl::Time now);

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_LIST_SNAPSHOT_H_
