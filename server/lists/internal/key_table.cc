#include "server/lists/internal/key_table.h"

#include <cassert>

namespace lureguard::lists::internal {

void KeyTable::Build(const std::vector<uint64_t>& hashes,
                     const std::vector<uint32_t>& refs) {
  assert(hashes.size() == refs.size());
  slots_.clear();
  slots_.shrink_to_fit();
  if (refs.empty()) return;
  // Load factor 0.75; at least one slot stays empty, which ends every
  // probe sequence.
  slots_.resize(refs.size() + refs.size() / 3 + 1);
  // Newest first, so that a key's newest entry takes the earliest slot of
  // its run and is visited first, as the former chained index did.
  for (size_t n = refs.size(); n-- > 0;) {
    size_t i = HomeSlot(hashes[n]);
    while (slots_[i].ref != kEmpty) i = i + 1 == slots_.size() ? 0 : i + 1;
    slots_[i] = Slot{refs[n], static_cast<uint32_t>(hashes[n])};
  }
}

}  // namespace lureguard::lists::internal
