// An immutable open-addressing hash table from a key's 64-bit hash to the
// 32-bit references of the entries stored under that key. It holds no keys:
// the caller keeps them (the list snapshot, in its record arena) and
// confirms each candidate against its own copy. Private to server/lists/.
//
// Why this layout: at 10 M entries a node-based or string-keyed map costs
// more than the entries themselves. A slot here is 8 bytes, the reference
// and 32 further bits of the hash, so a probe rejects a different key
// without touching the arena (a false candidate is about one in 4 billion),
// and a lookup usually reads one cache line of slots. Capacity is 4/3 of
// the entry count (load factor 0.75) and need not be a power of two: the
// home slot is the hash scaled into [0, capacity) by a 128-bit multiply.
// Linear probing keeps a key's entries in consecutive slots, in the order
// they were given to Build(), so one key listed by several sources is a
// run of slots rather than a chain through a side array.
//
// Tables are made by a KeyTableBuilder, below.
//
// Thread safety: const methods are safe for concurrent use.
//
// Example:
//   KeyTableBuilder builder;
//   builder.Add(KeyTable::Hash("evil.test"), record_offset);
//   KeyTable table = std::move(builder).Build();
//   table.ForEachCandidate(KeyTable::Hash(host), [&](uint32_t ref) {
//     if (KeyAt(ref) == host) ...;  // confirm: the table holds no keys
//   });

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_KEY_TABLE_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_KEY_TABLE_H_

#include <cstdint>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace lureguard::lists::internal {

class KeyTable {
 public:
  // The hash Build() and ForEachCandidate() expect for `key`.
  static uint64_t Hash(absl::string_view key) {
    return absl::Hash<absl::string_view>{}(key);
  }

  // Replaces the contents with `refs[i]` stored under `hashes[i]`, as a
  // KeyTableBuilder given them in this order would.
  // REQUIRES: hashes.size() == refs.size(); no ref equals UINT32_MAX.
  void Build(const std::vector<uint64_t>& hashes,
             const std::vector<uint32_t>& refs);

  // Calls `visit(ref)` for every stored ref whose hash may equal `hash`;
  // the caller compares keys. Reads no memory but the table's.
  template <typename Visit>
  void ForEachCandidate(uint64_t hash, Visit&& visit) const {
    if (slots_.empty()) return;
    const uint32_t check = static_cast<uint32_t>(hash);
    for (size_t i = HomeSlot(hash);; i = i + 1 == slots_.size() ? 0 : i + 1) {
      const Slot& slot = slots_[i];
      if (slot.ref == kEmpty) return;
      if (slot.check == check) visit(slot.ref);
    }
  }

  bool empty() const { return slots_.empty(); }
  size_t capacity() const { return slots_.size(); }

 private:
  friend class KeyTableBuilder;

  static constexpr uint32_t kEmpty = UINT32_MAX;

  // `check` holds the hash's low 32 bits; the home slot comes from its high
  // bits, so the two are independent filters.
  struct Slot {
    uint32_t ref = kEmpty;
    uint32_t check = 0;
  };

  size_t HomeSlot(uint64_t hash) const {
    return static_cast<size_t>(
        (static_cast<unsigned __int128>(hash) * slots_.size()) >> 64);
  }

  std::vector<Slot> slots_;
};

// Collects (hash, ref) pairs, then builds the KeyTable holding them.
//
// Why buckets: inserting 10 M pairs in the order given writes a random
// slot of a 100 MB table each time, a cache and TLB miss apiece. Pairs are
// kept instead in kBuckets buckets by the top bits of their hash, and as
// the home slot grows with the hash, each bucket covers one contiguous
// range of slots whatever the capacity turns out to be: Build() fills the
// table a cache-sized range at a time.
//
// Thread safety: none; one thread builds.
class KeyTableBuilder {
 public:
  KeyTableBuilder() = default;
  KeyTableBuilder(KeyTableBuilder&&) = default;
  KeyTableBuilder& operator=(KeyTableBuilder&&) = default;

  // Makes room for about `pairs` pairs, so that buckets are allocated once.
  void Reserve(size_t pairs);

  // Stores `ref` under `hash`. Among refs with equal hashes, the table's
  // ForEachCandidate() visits the one added last first (the newest entry,
  // as the store streams them in id order).
  // REQUIRES: ref != UINT32_MAX.
  void Add(uint64_t hash, uint32_t ref) {
    if (buckets_.empty()) buckets_.resize(kBuckets);
    buckets_[hash >> (64 - kBucketBits)].push_back(Pending{
        static_cast<uint32_t>(hash >> 32), static_cast<uint32_t>(hash), ref});
    ++size_;
  }

  size_t size() const { return size_; }

  // The table of every pair added. The builder is left empty.
  KeyTable Build() &&;

 private:
  // 1024 buckets: at 10 M pairs a bucket's slots span about 100 KB, which
  // stays in the L2 cache while the bucket is inserted.
  static constexpr int kBucketBits = 10;
  static constexpr size_t kBuckets = size_t{1} << kBucketBits;

  // A pair in 12 bytes: the hash in two halves keeps 4-byte alignment.
  struct Pending {
    uint32_t high;
    uint32_t low;
    uint32_t ref;
  };

  std::vector<std::vector<Pending>> buckets_;  // empty until the first Add
  size_t size_ = 0;
};

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_KEY_TABLE_H_
