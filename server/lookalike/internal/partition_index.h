// A partition index for edit distance up to 2 on long keys (the pigeonhole
// filter of PassJoin, Li et al., VLDB 2011). Each key is cut into three
// segments; two edits touch at most two of them, so a key within two edits
// of a query has a segment that appears intact in the query, shifted by at
// most two positions. A query looks up its substrings at those positions.
//
// Why not the symmetric-deletion index (deletion_index.h) for these keys: a
// 2-edit query there looks up all 1 + n + n(n-1)/2 deletion variants of an
// n-letter label, ~150 random memory accesses for a 17-letter label
// (issue 5: 98% of the probes of a lookup with the top 100k protected). Here
// a key costs three entries instead of ~n^2/2 variants, and a query makes at
// most 31 probes (10 for one edit): of the shifts where a segment can be
// intact, only those PassJoin's multi-match-aware selection keeps (47 and
// 17 probes before, issue #19 item 5). The filter is selective
// only when segments are long, which is why deletion_index.h sends it only
// keys of kMinPartitionedLength characters or more.
//
// A segment shared by many keys (the "online" of "xyzbankonline") makes a
// probe return many entries; each entry carries the set of characters of
// its key, and an entry whose set differs from the query's by more than
// two characters either way is dropped before the caller verifies it (an
// edit adds at most one character to a set and removes at most one).
//
// Edit distance here is the optimal string alignment distance of edits.h: a
// transposition counts once but touches two adjacent characters, so one
// across a segment boundary touches two segments. For those the query is
// also probed with the two letters at each boundary swapped back
// ("staemcomumnity" for "steamcommunity": "stea|mcomm|unity").
//
// Which substrings of a query to probe depends only on its length, the edit
// budget and the key lengths present, so Finish computes that plan once per
// query length: a query only hashes the substrings its plan lists (issue 5:
// deriving them per query was two thirds of this index's instructions).
// A segment's hash does not depend on the key's length; each entry carries
// it instead. So one substring of the query stands for the same segment of
// keys of every length it may meet, and a 2-edit query hashes and looks up
// ~18 substrings instead of ~31 (issue #19 item 5); an entry found is kept
// only for the key lengths its probe stands for.
//
// Build once with Add and Finish; afterwards const and thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_PARTITION_INDEX_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_PARTITION_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/lookalike/internal/huge_pages.h"
#include "server/lookalike/internal/polynomial_hash.h"

namespace lureguard::lookalike::internal {

class PartitionIndex {
 public:
  // Keys and queries longer than this are ignored (a DNS label is at most
  // 63 bytes).
  static constexpr size_t kMaxLength = 63;
  // Edits handled: three segments.
  static constexpr int kMaxEdits = 2;

  PartitionIndex() = default;

  // Adds `key` (at least 3 characters) under `id`. REQUIRES: Finish() not
  // called yet.
  void Add(absl::string_view key, uint32_t id);

  // Builds the lookup table; Add may not be called afterwards.
  void Finish();

  // Appends to `*ids` the id of every key within `max_edits` (0 to 2)
  // edits of `query`, and some keys further away. Ids may repeat and include
  // fingerprint collisions: verify each one.
  void Candidates(absl::string_view query, int max_edits,
                  std::vector<uint32_t>* ids) const;
  // The same, with `hashes` those of `query` (the deletion index has them
  // already).
  void Candidates(absl::string_view query, const PrefixHashes& hashes,
                  int max_edits, std::vector<uint32_t>* ids) const;

  // True when some key has a length within `max_edits` of `length`: a
  // caller can skip a query that cannot reach any key.
  bool MayReach(size_t length, int max_edits) const;

  size_t entry_count() const { return entries_.size(); }
  size_t MemoryBytes() const {
    return filter_.capacity() * sizeof(uint64_t) +
           directory_.capacity() * sizeof(uint32_t) +
           entries_.capacity() * sizeof(Entry);
  }

 private:
  struct Entry {
    uint32_t fingerprint;  // the low 32 bits of the segment hash
    uint32_t id;
    uint32_t characters;  // CharacterSet (edits.h) of the key
    uint8_t key_length;
  };

  // One substring of a query to look up: query[begin, begin + length), as
  // segment `segment` of the keys whose lengths `accepts` lists. A
  // transposition across a segment boundary is undone by replacing the
  // substring's last letter with the one after it, or its first with the one
  // before.
  struct Probe {
    enum Kind : uint8_t { kIntact, kLastFromNext, kFirstFromPrevious };
    uint8_t begin;
    uint8_t length;
    Kind kind;
    uint8_t segment;
    // Bit AcceptBit(key_length - n) for each key length a query of n
    // characters looks for here.
    uint8_t accepts;
  };
  static int AcceptBit(int length_difference) {
    return length_difference + kMaxEdits;
  }
  void PlanProbes();

  size_t Bucket(uint64_t hash) const {
    return static_cast<size_t>(hash >> bucket_shift_);
  }
  size_t FilterWord(uint64_t hash) const {
    return static_cast<size_t>(hash >> 20) & filter_mask_;
  }
  static uint64_t FilterBits(uint64_t hash) {
    return (uint64_t{1} << (hash & 63)) | (uint64_t{1} << ((hash >> 6) & 63));
  }

  struct Pending {
    uint64_t hash;
    uint32_t id;
    uint32_t characters;
    uint8_t key_length;
    auto operator<=>(const Pending&) const = default;
  };
  std::vector<Pending> pending_;
  // A blocked Bloom filter over the segment hashes, as in deletion_index.h
  // (two bits in one 64-bit word, 16-32 bits per entry): most probes find
  // no segment, and this answers them from one read of an array a few times
  // smaller than the directory and the entries, which they would otherwise
  // read one after the other (issue #19 item 5).
  HugePageVector<uint64_t> filter_;
  size_t filter_mask_ = 0;
  // directory_[b] is the first entry whose hash has top bits >= b; one
  // extra slot closes the last bucket.
  HugePageVector<uint32_t> directory_;
  int bucket_shift_ = 63;
  HugePageVector<Entry> entries_;  // sorted by segment hash
  uint64_t key_lengths_ = 0;       // bit L set when some key has length L
  // The probes of a query of n characters with a budget of e edits are
  // probes_[plan_[e][n], plan_[e][n + 1]).
  std::vector<Probe> probes_;
  uint32_t plan_[kMaxEdits + 1][kMaxLength + 2] = {};
};

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_PARTITION_INDEX_H_
