#include "server/lookalike/internal/deletion_index.h"

#include <algorithm>
#include <array>
#include <bit>

namespace lureguard::lookalike::internal {
namespace {

// Half of splitmix64's finalizer: the polynomial hash is linear, and the
// table needs well-spread high bits (directory) and low bits (filter bits,
// fingerprint). One multiply between two shifts gives both; the second
// round of the full finalizer cost a multiply per variant, and a lookup
// hashes ~100 of them.
uint64_t Mix(uint64_t h, size_t length) {
  h += 0x9e3779b97f4a7c15ULL * (length + 1);
  h = (h ^ (h >> 32)) * 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 29);
}

}  // namespace

template <typename F>
void DeletionIndex::ForEachVariant(absl::string_view s,
                                   const PrefixHashes& hashes, int deletions,
                                   F f) {
  const size_t n = s.size();
  if (n > kMaxIndexedLength) return;
  const uint64_t full = hashes.prefix(n);
  f(Mix(full, n), n, 0);
  if (deletions < 1 || n < 1) return;
  // Deleting s[j]: full + (prefix[j] * (1 - B) - s[j]) * B^(n-1-j).
  auto delta = [&](size_t j, size_t length) {
    return (hashes.prefix(j) * (1 - kPolynomialBase) -
            static_cast<unsigned char>(s[j])) *
           kPolynomialPowers.p[length - 1 - j];
  };
  // In a run of one letter, deleting any of its letters gives the same
  // variant: each is made once, from the run's first letter. Deleting two
  // of a run's letters is made once too, from its first two ("maatamask"
  // is "mtamask" as "metamask" is: two edits apart).
  auto repeats = [&](size_t i) { return i > 0 && s[i] == s[i - 1]; };
  for (size_t k = 0; k < n; ++k) {
    const uint64_t without_k = full + delta(k, n);
    if (repeats(k)) {
      if (deletions >= 2 && !repeats(k - 1)) {
        f(Mix(without_k + delta(k - 1, n - 1), n - 2), n - 2, 2);
      }
      continue;
    }
    f(Mix(without_k, n - 1), n - 1, 1);
    if (deletions < 2) continue;
    for (size_t j = 0; j < k; ++j) {
      if (repeats(j)) continue;
      f(Mix(without_k + delta(j, n - 1), n - 2), n - 2, 2);
    }
  }
}

void DeletionIndex::Add(absl::string_view key, uint32_t id, int max_deletions) {
  if (max_deletions >= 2 && key.size() >= kMinPartitionedLength) {
    if (key.size() <= kMaxIndexedLength) partitioned_.Add(key, id);
    return;
  }
  Table& table = tables_[max_deletions >= 2 ? 1 : 0];
  ForEachVariant(key, PrefixHashes(key), max_deletions,
                 [&](uint64_t h, size_t length, int) {
                   table.pending.emplace_back(h, id);
                   table.variant_lengths |= uint64_t{1} << length;
                 });
}

void DeletionIndex::Finish() {
  // 16 to 32 bits per variant, two set per variant in one word: about 2% of
  // misses pass the filter at the sparsest (a blocked Bloom filter with
  // k = 2 and ~4 keys per 64-bit block).
  const size_t variants = tables_[0].pending.size() + tables_[1].pending.size();
  const size_t words = std::bit_ceil(std::max<size_t>(1, variants / 4));
  filter_mask_ = words - 1;
  filter_.assign(words, 0);
  for (const Table& table : tables_) {
    for (const auto& [hash, id] : table.pending) {
      filter_[FilterWord(hash)] |= FilterBits(hash);
    }
  }
  tables_[0].Finish();
  tables_[1].Finish();
  partitioned_.Finish();
}

void DeletionIndex::Table::Finish() {
  std::sort(pending.begin(), pending.end());
  pending.erase(std::unique(pending.begin(), pending.end()), pending.end());
  // One to four entries per bucket: the run a hit reads is one cache line,
  // and the directory costs 2-4 bytes per variant.
  const size_t buckets =
      std::bit_ceil(std::max<size_t>(16, pending.size() / 2));
  bucket_shift = 64 - std::countr_zero(buckets);
  directory.assign(buckets + 1, 0);
  entries.clear();
  entries.reserve(pending.size());
  size_t bucket = 0;
  for (const auto& [hash, id] : pending) {
    for (const size_t b = Bucket(hash); bucket <= b; ++bucket) {
      directory[bucket] = static_cast<uint32_t>(entries.size());
    }
    entries.push_back(Entry{static_cast<uint32_t>(hash), id});
  }
  for (; bucket <= buckets; ++bucket) {
    directory[bucket] = static_cast<uint32_t>(entries.size());
  }
  pending.clear();
  pending.shrink_to_fit();
}

void DeletionIndex::Table::Lookup(uint64_t hash,
                                  std::vector<uint32_t>* ids) const {
  const size_t b = Bucket(hash);
  const uint32_t fingerprint = static_cast<uint32_t>(hash);
  for (uint32_t e = directory[b], end = directory[b + 1]; e < end; ++e) {
    if (entries[e].fingerprint == fingerprint) ids->push_back(entries[e].id);
  }
}

// The filter words were prefetched as the probes were made: test them,
// prefetch the directory slots of the survivors, then read the entries, so
// that the misses of one query overlap.
void DeletionIndex::LookupProbes(Probe* probes, size_t count,
                                 std::vector<uint32_t>* ids) const {
  size_t kept = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t h = probes[i].hash;
    const uint64_t bits = FilterBits(h);
    if ((filter_[FilterWord(h)] & bits) != bits) continue;
    for (int t = 0; t < 2; ++t) {
      if ((probes[i].tables >> t) & 1) {
        __builtin_prefetch(&tables_[t].directory[tables_[t].Bucket(h)]);
      }
    }
    probes[kept++] = probes[i];
  }
  for (size_t i = 0; i < kept; ++i) {
    for (int t = 0; t < 2; ++t) {
      if ((probes[i].tables >> t) & 1) tables_[t].Lookup(probes[i].hash, ids);
    }
  }
}

void DeletionIndex::Candidates(absl::string_view query, int query_deletions,
                               std::vector<uint32_t>* ids) const {
  // 1 + 63 + 63 * 62 / 2 variants at most.
  constexpr size_t kMaxVariants = 2048;
  std::array<Probe, kMaxVariants> probes;
  size_t count = 0;
  const bool any[2] = {!tables_[0].entries.empty(),
                       !tables_[1].entries.empty()};
  // Variants of lengths no key produces are not even hashed: a long query
  // has ~n^2/2 two-deletion variants, and once the long keys live in the
  // partition index, no short key reaches them.
  const size_t n = query.size();
  const uint64_t lengths =
      tables_[0].variant_lengths | tables_[1].variant_lengths;
  int budget = query_deletions;
  if (budget >= 2 && (n < 2 || n - 2 >= 64 ||
                      ((tables_[1].variant_lengths >> (n - 2)) & 1) == 0)) {
    budget = 1;
  }
  if (budget == 1 &&
      (n < 1 || n - 1 >= 64 || ((lengths >> (n - 1)) & 1) == 0)) {
    budget = 0;
  }
  // Every variant of one deletion count has the same length, so the tables
  // it is looked up in are the same: decided once per count, not per
  // variant.
  uint32_t tables_of[3] = {0, 0, 0};
  for (int deletions = 0; deletions <= budget; ++deletions) {
    if (n < static_cast<size_t>(deletions) || n - deletions >= 64) continue;
    const uint64_t bit = uint64_t{1} << (n - deletions);
    if (any[0] && deletions <= 1 && (tables_[0].variant_lengths & bit) != 0) {
      tables_of[deletions] |= 1;
    }
    if (any[1] && (tables_[1].variant_lengths & bit) != 0) {
      tables_of[deletions] |= 2;
    }
  }
  // Hashed once for the variants and the partition index's probes.
  const PrefixHashes hashes(query);
  ForEachVariant(query, hashes, budget, [&](uint64_t h, size_t, int deletions) {
    const uint32_t tables = tables_of[deletions];
    if (tables == 0) return;
    __builtin_prefetch(&filter_[FilterWord(h)]);
    probes[count++] = Probe{h, tables};
  });
  LookupProbes(probes.data(), count, ids);
  partitioned_.Candidates(query, hashes, query_deletions, ids);
}

}  // namespace lureguard::lookalike::internal
