// A symmetric-deletion index (the SymSpell idea): every key is stored under
// itself and the strings made by deleting up to two of its characters; a
// query looks up the same variants of itself. Two strings within edit
// distance k share a variant with at most k deletions on each side, so the
// index returns a superset of the keys within distance k without a scan;
// callers verify each candidate with BoundedEditDistance.
//
// Variants are not materialized: a polynomial hash of the string with
// characters j (and k) removed is computed in O(1) from prefix hashes.
//
// The table is laid out for a request path where almost every probe misses
// (issue 5: 88k brands, a 2-deletion query on a 20-letter label makes ~200
// probes):
//   - a blocked Bloom filter (two bits in one 64-bit word per variant,
//     16-32 bits per variant) answers most misses from one array a few
//     times smaller than the table; one filter serves both tables below,
//     so a variant both may hold costs one filter read, not two;
//   - the variants that pass are looked up in a sorted array of (32-bit
//     fingerprint, key id) entries with a directory over the top hash bits,
//     8 bytes per variant plus a 4-byte slot per two, instead of an
//     open-addressing table at load 0.6;
//   - a query prefetches each variant's filter word as it hashes the
//     variant, then tests them all and prefetches the directory slots of
//     those that pass, so the cache misses of one query overlap instead of
//     queueing.
// A fingerprint collision only adds a candidate that verification rejects.
//
// Keys of kMinPartitionedLength characters or more indexed for two edits
// are not expanded into their ~n^2/2 variants: they go to a partition index
// (partition_index.h), which finds them with at most 31 probes per query
// instead of ~n^2/2 (issue 5: the 2-deletion variants of long labels were 98%
// of the probes of a lookup with the top 100k protected).
//
// Build once with Add and Finish; afterwards const and thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DELETION_INDEX_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DELETION_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/lookalike/internal/huge_pages.h"
#include "server/lookalike/internal/partition_index.h"
#include "server/lookalike/internal/polynomial_hash.h"

namespace lureguard::lookalike::internal {

// Longest key or query handled: a DNS label is at most 63 bytes.
inline constexpr size_t kMaxIndexedLength = 63;

// Shortest key of two deletions kept in the partition index rather than as
// deletion variants: its segments have 4+ characters, selective enough that
// a query's probes return a handful of candidates.
inline constexpr size_t kMinPartitionedLength = 12;

class DeletionIndex {
 public:
  DeletionIndex() = default;

  // Adds `key` under itself and its variants with up to `max_deletions`
  // (0..2) characters deleted (keys of kMinPartitionedLength or more with
  // two: in the partition index). Keys longer than kMaxIndexedLength are
  // ignored. REQUIRES: Finish() not called yet.
  void Add(absl::string_view key, uint32_t id, int max_deletions);

  // Builds the lookup table; Add may not be called afterwards.
  void Finish();

  // Appends to `*ids` the id of every key that shares a variant with
  // `query` deleted up to min(`query_deletions`, the key's max_deletions)
  // times: every key within its own max_deletions edits of `query` is
  // among them (each edit costs at most one deletion per side; for
  // partitioned keys see partition_index.h). Ids may repeat and include
  // fingerprint collisions: verify each one.
  void Candidates(absl::string_view query, int query_deletions,
                  std::vector<uint32_t>* ids) const;

  // Bytes held by the tables.
  size_t MemoryBytes() const {
    return filter_.capacity() * sizeof(uint64_t) + tables_[0].MemoryBytes() +
           tables_[1].MemoryBytes() + partitioned_.MemoryBytes();
  }
  // Deletion variants plus partition entries.
  size_t variant_count() const {
    return tables_[0].entries.size() + tables_[1].entries.size() +
           partitioned_.entry_count();
  }

 private:
  struct Entry {
    uint32_t fingerprint;  // the low 32 bits of the variant hash
    uint32_t id;
  };

  // The variants of the keys of one deletion budget. Keys of up to one
  // deletion and keys of two are kept apart: a query variant with two
  // deletions is only looked up among the latter, which keeps the many
  // 7-letter variants of 9-letter labels away from the 5-7 letter tokens.
  struct Table {
    std::vector<std::pair<uint64_t, uint32_t>> pending;
    // directory[b] is the first entry whose hash has top bits >= b; one
    // extra slot at the end closes the last bucket.
    HugePageVector<uint32_t> directory;
    int bucket_shift = 63;
    HugePageVector<Entry> entries;  // sorted by variant hash
    // Bit L set when some variant has length L: a query variant of a
    // length no key produces is not looked up at all.
    uint64_t variant_lengths = 0;

    void Finish();
    size_t Bucket(uint64_t hash) const {
      return static_cast<size_t>(hash >> bucket_shift);
    }
    void Lookup(uint64_t hash, std::vector<uint32_t>* ids) const;
    size_t MemoryBytes() const {
      return directory.capacity() * sizeof(uint32_t) +
             entries.capacity() * sizeof(Entry);
    }
  };
  // A query variant to look up, and in which tables: bit t for tables_[t].
  struct Probe {
    uint64_t hash;
    uint32_t tables;
  };

  // Calls `f(hash, length, deletions)` for each variant of `s` with up to
  // `deletions` deletions. `hashes` are those of `s`.
  template <typename F>
  static void ForEachVariant(absl::string_view s, const PrefixHashes& hashes,
                             int deletions, F f);

  size_t FilterWord(uint64_t hash) const {
    return static_cast<size_t>(hash >> 20) & filter_mask_;
  }
  static uint64_t FilterBits(uint64_t hash) {
    return (uint64_t{1} << (hash & 63)) | (uint64_t{1} << ((hash >> 6) & 63));
  }
  void LookupProbes(Probe* probes, size_t count,
                    std::vector<uint32_t>* ids) const;

  // The variants of both tables: a variant hashes the same in either.
  HugePageVector<uint64_t> filter_;
  size_t filter_mask_ = 0;
  Table tables_[2];             // [0]: keys of max_deletions <= 1; [1]: of 2
  PartitionIndex partitioned_;  // long keys of max_deletions 2
};

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DELETION_INDEX_H_
