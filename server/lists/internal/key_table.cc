#include "server/lists/internal/key_table.h"

#include <cassert>
#include <utility>

#include "server/lists/internal/huge_pages.h"

namespace lureguard::lists::internal {

void KeyTable::Build(const std::vector<uint64_t>& hashes,
                     const std::vector<uint32_t>& refs) {
  assert(hashes.size() == refs.size());
  KeyTableBuilder builder;
  builder.Reserve(refs.size());
  for (size_t i = 0; i < refs.size(); ++i) builder.Add(hashes[i], refs[i]);
  *this = std::move(builder).Build();
}

void KeyTableBuilder::Reserve(size_t pairs) {
  if (buckets_.empty()) buckets_.resize(kBuckets);
  // A bucket's share is binomial: one eighth more than the mean is more
  // than ten standard deviations above it from 10 k pairs a bucket up.
  const size_t per_bucket = pairs / kBuckets + pairs / kBuckets / 8 + 8;
  for (std::vector<Pending>& bucket : buckets_) bucket.reserve(per_bucket);
}

KeyTable KeyTableBuilder::Build() && {
  KeyTable table;
  if (size_ > 0) {
    // Load factor 0.75; at least one slot stays empty, which ends every
    // probe sequence.
    std::vector<KeyTable::Slot>& slots = table.slots_;
    const size_t capacity = size_ + size_ / 3 + 1;
    slots.reserve(capacity);
    AdviseHugePages(slots.data(), capacity * sizeof(KeyTable::Slot));
    slots.resize(capacity);
    for (std::vector<Pending>& bucket : buckets_) {
      // Newest first, so that a key's newest entry takes the earliest slot
      // of its run and is visited first. Equal hashes share a bucket.
      for (size_t n = bucket.size(); n-- > 0;) {
        const Pending& pending = bucket[n];
        size_t i = table.HomeSlot(uint64_t{pending.high} << 32 | pending.low);
        while (slots[i].ref != KeyTable::kEmpty) {
          i = i + 1 == slots.size() ? 0 : i + 1;
        }
        slots[i] = KeyTable::Slot{pending.ref, pending.low};
      }
      bucket = std::vector<Pending>();  // lowers the peak as the table fills
    }
  }
  buckets_.clear();
  size_ = 0;
  return table;
}

}  // namespace lureguard::lists::internal
