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
// Thread safety: const methods are safe for concurrent use.
//
// Example:
//   KeyTable table;
//   table.Build({KeyTable::Hash("evil.test")}, {record_offset});
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

  // Replaces the contents with `refs[i]` stored under `hashes[i]`. Among
  // refs with equal hashes, ForEachCandidate() visits the higher index
  // first (the newest entry, as the store streams them in id order).
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

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_KEY_TABLE_H_
