#include "server/lookalike/internal/deletion_index.h"

#include <algorithm>
#include <array>
#include <bit>

namespace lureguard::lookalike::internal {
namespace {

constexpr uint64_t kBase = 0x100000001b3ULL;  // FNV prime: odd, mixes bits

struct Powers {
  std::array<uint64_t, kMaxIndexedLength + 2> p;
  constexpr Powers() : p() {
    p[0] = 1;
    for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * kBase;
  }
};
constexpr Powers kPowers;

// splitmix64's finalizer: the polynomial hash is linear, the table needs
// well-spread high bits.
uint64_t Mix(uint64_t h, size_t length) {
  h += 0x9e3779b97f4a7c15ULL * (length + 1);
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace

template <typename F>
void DeletionIndex::ForEachVariant(absl::string_view s, int deletions, F f) {
  const size_t n = s.size();
  if (n > kMaxIndexedLength) return;
  std::array<uint64_t, kMaxIndexedLength + 2> prefix;
  prefix[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    prefix[i + 1] = prefix[i] * kBase + static_cast<unsigned char>(s[i]);
  }
  const uint64_t full = prefix[n];
  f(Mix(full, n));
  if (deletions < 1 || n < 1) return;
  // Deleting s[j]: full + (prefix[j] * (1 - B) - s[j]) * B^(n-1-j).
  auto delta = [&](size_t j, size_t length) {
    return (prefix[j] * (1 - kBase) - static_cast<unsigned char>(s[j])) *
           kPowers.p[length - 1 - j];
  };
  for (size_t k = 0; k < n; ++k) {
    if (k > 0 && s[k] == s[k - 1]) continue;  // same variant as k - 1
    const uint64_t without_k = full + delta(k, n);
    f(Mix(without_k, n - 1));
    if (deletions < 2) continue;
    for (size_t j = 0; j < k; ++j) {
      if (j > 0 && s[j] == s[j - 1]) continue;
      f(Mix(without_k + delta(j, n - 1), n - 2));
    }
  }
}

void DeletionIndex::Add(absl::string_view key, uint32_t id, int max_deletions) {
  ForEachVariant(key, max_deletions,
                 [&](uint64_t h) { pending_.emplace_back(h, id); });
}

void DeletionIndex::Finish() {
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  variant_count_ = pending_.size();
  // Load factor at most 0.6 keeps linear probes short.
  const size_t wanted = std::max<size_t>(16, pending_.size() * 5 / 3 + 1);
  const size_t capacity = std::bit_ceil(wanted);
  shift_ = 64 - std::countr_zero(capacity);
  mask_ = capacity - 1;
  slots_.assign(capacity, Slot{});
  for (const auto& [hash, id] : pending_) {
    size_t slot = hash >> shift_;
    while (slots_[slot].fingerprint != 0) slot = (slot + 1) & mask_;
    slots_[slot].fingerprint = static_cast<uint32_t>(hash) | 1u;
    slots_[slot].id = id;
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

void DeletionIndex::Lookup(uint64_t hash, std::vector<uint32_t>* ids) const {
  if (slots_.empty()) return;
  const uint32_t fingerprint = static_cast<uint32_t>(hash) | 1u;
  for (size_t slot = hash >> shift_; slots_[slot].fingerprint != 0;
       slot = (slot + 1) & mask_) {
    if (slots_[slot].fingerprint == fingerprint)
      ids->push_back(slots_[slot].id);
  }
}

void DeletionIndex::Candidates(absl::string_view query, int query_deletions,
                               std::vector<uint32_t>* ids) const {
  ForEachVariant(query, query_deletions, [&](uint64_t h) { Lookup(h, ids); });
}

}  // namespace lureguard::lookalike::internal
