// A symmetric-deletion index (the SymSpell idea): every key is stored under
// itself and the strings made by deleting up to two of its characters; a
// query looks up the same variants of itself. Two strings within edit
// distance k share a variant with at most k deletions on each side, so the
// index returns a superset of the keys within distance k without a scan;
// callers verify each candidate with BoundedEditDistance.
//
// Variants are not materialized: a polynomial hash of the string with
// characters j (and k) removed is computed in O(1) from prefix hashes. The
// table stores a 32-bit fingerprint and the key id per variant, so a
// fingerprint collision only adds a candidate that verification rejects.
//
// Build once with Add and Finish; afterwards const and thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DELETION_INDEX_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DELETION_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

// Longest key or query handled: a DNS label is at most 63 bytes.
inline constexpr size_t kMaxIndexedLength = 63;

class DeletionIndex {
 public:
  DeletionIndex() = default;

  // Adds `key` under itself and its variants with up to `max_deletions`
  // (0..2) characters deleted. Keys longer than kMaxIndexedLength are
  // ignored. REQUIRES: Finish() not called yet.
  void Add(absl::string_view key, uint32_t id, int max_deletions);

  // Builds the lookup table; Add may not be called afterwards.
  void Finish();

  // Appends to `*ids` the id of every key that shares a variant with
  // `query` deleted up to `query_deletions` (0..2) times. Ids may repeat
  // and include fingerprint collisions: verify each one.
  void Candidates(absl::string_view query, int query_deletions,
                  std::vector<uint32_t>* ids) const;

  // Bytes held by the table.
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }
  size_t variant_count() const { return variant_count_; }

 private:
  struct Slot {
    uint32_t fingerprint = 0;  // 0 marks an empty slot
    uint32_t id = 0;
  };

  // Calls `f(hash)` for each variant of `s` with up to `deletions` deletions.
  template <typename F>
  static void ForEachVariant(absl::string_view s, int deletions, F f);
  void Lookup(uint64_t hash, std::vector<uint32_t>* ids) const;

  std::vector<std::pair<uint64_t, uint32_t>> pending_;
  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  int shift_ = 64;
  size_t variant_count_ = 0;
};

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DELETION_INDEX_H_
