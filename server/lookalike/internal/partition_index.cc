#include "server/lookalike/internal/partition_index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>

#include "server/lookalike/internal/edits.h"

namespace lureguard::lookalike::internal {
namespace {

constexpr int kMaxEdits = PartitionIndex::kMaxEdits;
constexpr size_t kSegments = kMaxEdits + 1;

// Most probes of one query: lengths n-2..n+2, three segments at up to three
// shifts, two probes per transposition boundary and shift (PlanProbes
// checks it).
constexpr size_t kMaxProbes = 96;

// The segment hash, salted with the segment's number: "line" ending many
// keys is no candidate for a query whose first segment reads "line". Not
// with the key's length, so that one probe serves keys of every length it
// may meet (the entries tell those apart). splitmix64's finalizer spreads
// the top bits the directory uses.
uint64_t SegmentHash(uint64_t substring, size_t segment) {
  uint64_t h = substring + 0x9e3779b97f4a7c15ULL * (segment + 1);
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

// Segment `i` of a key of `length`: PassJoin's even partition, the longer
// segments last.
struct Segment {
  size_t begin;
  size_t length;
};
Segment SegmentOf(size_t length, size_t i) {
  const size_t shorter = length / kSegments;
  const size_t longer_count = length % kSegments;
  const size_t shorter_count = kSegments - longer_count;
  if (i < shorter_count) return {i * shorter, shorter};
  return {shorter_count * shorter + (i - shorter_count) * (shorter + 1),
          shorter + 1};
}

}  // namespace

void PartitionIndex::Add(absl::string_view key, uint32_t id) {
  const size_t m = key.size();
  if (m < kSegments || m > kMaxLength) return;
  const PrefixHashes hashes(key);
  const uint32_t characters = CharacterSet(key);
  for (size_t i = 0; i < kSegments; ++i) {
    const Segment s = SegmentOf(m, i);
    pending_.push_back(
        Pending{SegmentHash(hashes.Substring(s.begin, s.length), i), id,
                characters, static_cast<uint8_t>(m)});
  }
  key_lengths_ |= uint64_t{1} << m;
}

void PartitionIndex::Finish() {
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  // One to four entries per bucket, as in deletion_index.cc.
  const size_t buckets =
      std::bit_ceil(std::max<size_t>(16, pending_.size() / 2));
  bucket_shift_ = 64 - std::countr_zero(buckets);
  const size_t words = std::bit_ceil(std::max<size_t>(1, pending_.size() / 4));
  filter_mask_ = words - 1;
  filter_.assign(words, 0);
  directory_.assign(buckets + 1, 0);
  entries_.clear();
  entries_.reserve(pending_.size());
  size_t bucket = 0;
  for (const Pending& p : pending_) {
    filter_[FilterWord(p.hash)] |= FilterBits(p.hash);
    for (const size_t b = Bucket(p.hash); bucket <= b; ++bucket) {
      directory_[bucket] = static_cast<uint32_t>(entries_.size());
    }
    entries_.push_back(
        Entry{static_cast<uint32_t>(p.hash), p.id, p.characters, p.key_length});
  }
  for (; bucket <= buckets; ++bucket) {
    directory_[bucket] = static_cast<uint32_t>(entries_.size());
  }
  pending_.clear();
  pending_.shrink_to_fit();
  PlanProbes();
}

void PartitionIndex::PlanProbes() {
  probes_.clear();
  for (int tau = 0; tau <= kMaxEdits; ++tau) {
    for (size_t n = 0; n <= kMaxLength; ++n) {
      plan_[tau][n] = static_cast<uint32_t>(probes_.size());
      const size_t plan_begin = probes_.size();
      // One probe per substring and segment: the plan naming it again for
      // keys of another length adds that length to its accepts.
      auto add = [&](int begin, size_t length, Probe::Kind kind, size_t m,
                     size_t segment) {
        const uint8_t bit = static_cast<uint8_t>(
            1u << AcceptBit(static_cast<int>(m) - static_cast<int>(n)));
        for (size_t k = plan_begin; k < probes_.size(); ++k) {
          Probe& p = probes_[k];
          if (p.begin == begin && p.length == length && p.kind == kind &&
              p.segment == segment) {
            p.accepts |= bit;
            return;
          }
        }
        probes_.push_back(Probe{static_cast<uint8_t>(begin),
                                static_cast<uint8_t>(length), kind,
                                static_cast<uint8_t>(segment), bit});
      };
      for (int delta = -tau; delta <= tau; ++delta) {
        // delta = n - m: the query is `delta` longer than the key.
        const int m_signed = static_cast<int>(n) - delta;
        if (m_signed < static_cast<int>(kSegments) ||
            m_signed > static_cast<int>(kMaxLength) ||
            ((key_lengths_ >> m_signed) & 1) == 0) {
          continue;
        }
        const size_t m = static_cast<size_t>(m_signed);
        for (size_t i = 0; i < kSegments; ++i) {
          const Segment s = SegmentOf(m, i);
          // An intact segment starts `shift` later in the query than in the
          // key, `shift` being insertions minus deletions before it. At most
          // tau insertions and deletions in all, and the rest of them make
          // up the length difference: |shift| + |delta - shift| <= tau.
          // Moreover some intact segment i has at most i edits before it and
          // tau - i after it (PassJoin's multi-match-aware selection: take
          // the first i where the segments 0..i hold fewer edits than
          // i + 1), so segment i is only looked for where |shift| <= i and
          // |delta - shift| <= tau - i: about half the probes of a query
          // (issue #19 item 5). Transpositions across a boundary, which
          // break two segments with one edit, are the probes below.
          for (int shift = -tau; shift <= tau; ++shift) {
            if (std::abs(shift) + std::abs(delta - shift) > tau) continue;
            if (std::abs(shift) > static_cast<int>(i) ||
                std::abs(delta - shift) > tau - static_cast<int>(i)) {
              continue;
            }
            const int begin = static_cast<int>(s.begin) + shift;
            if (begin < 0 || begin + s.length > n) continue;
            add(begin, s.length, Probe::kIntact, m, i);
          }
        }
        // A transposition across a segment boundary touches the segments on
        // both sides with one edit and shifts nothing. Undone in the query
        // (the two letters at the boundary swapped back), at most
        // tau - 1 <= 1 edits remain: none left of the boundary, and the left
        // segment is intact where it is in the key (shift 0), or none right
        // of it, and the right segment is intact shifted by the whole
        // length difference (shift delta). Other shifts need no probe.
        static_assert(kMaxEdits <= 2, "one edit besides the transposition");
        if (tau >= 1 && std::abs(delta) <= tau - 1) {
          for (size_t k = 1; k < kSegments; ++k) {
            const Segment left = SegmentOf(m, k - 1);
            const Segment right = SegmentOf(m, k);
            if (left.begin + left.length < n) {
              add(static_cast<int>(left.begin), left.length,
                  Probe::kLastFromNext, m, k - 1);
            }
            const int right_begin = static_cast<int>(right.begin) + delta;
            if (right_begin >= 1 &&
                static_cast<size_t>(right_begin) + right.length <= n) {
              add(right_begin, right.length, Probe::kFirstFromPrevious, m, k);
            }
          }
        }
      }
      // The bound kMaxProbes relies on; a plan is a pure function of n and
      // tau, so this holds for every query or for none.
      if (probes_.size() - plan_begin > kMaxProbes) std::abort();
    }
    plan_[tau][kMaxLength + 1] = static_cast<uint32_t>(probes_.size());
  }
}

bool PartitionIndex::MayReach(size_t length, int max_edits) const {
  if (entries_.empty() || length > kMaxLength + kMaxEdits) return false;
  const size_t low = length > static_cast<size_t>(max_edits)
                         ? length - static_cast<size_t>(max_edits)
                         : 0;
  const size_t high = std::min(kMaxLength, length + max_edits);
  for (size_t m = low; m <= high; ++m) {
    if ((key_lengths_ >> m) & 1) return true;
  }
  return false;
}

void PartitionIndex::Candidates(absl::string_view query, int max_edits,
                                std::vector<uint32_t>* ids) const {
  Candidates(query, PrefixHashes(query), max_edits, ids);
}

void PartitionIndex::Candidates(absl::string_view query,
                                const PrefixHashes& hashes, int max_edits,
                                std::vector<uint32_t>* ids) const {
  const size_t n = query.size();
  const int tau = std::clamp(max_edits, 0, kMaxEdits);
  if (entries_.empty() || n > kMaxLength) return;
  const uint32_t first = plan_[tau][n];
  const uint32_t last = plan_[tau][n + 1];
  if (first == last) return;
  // Every probe first, then the filter, then the lookups of the probes it
  // lets through, so that the misses of each step overlap.
  std::array<uint64_t, kMaxProbes> probes;
  std::array<uint8_t, kMaxProbes> accepts;
  size_t count = 0;
  for (uint32_t k = first; k < last; ++k) {
    const Probe& p = probes_[k];
    uint64_t h = hashes.Substring(p.begin, p.length);
    // The hash of the substring with one letter replaced (the transposition
    // undone): polynomial hashes are linear in each letter.
    if (p.kind == Probe::kLastFromNext) {
      const size_t end = p.begin + p.length;
      h += static_cast<uint64_t>(static_cast<unsigned char>(query[end])) -
           static_cast<unsigned char>(query[end - 1]);
    } else if (p.kind == Probe::kFirstFromPrevious) {
      h += (static_cast<uint64_t>(
                static_cast<unsigned char>(query[p.begin - 1])) -
            static_cast<unsigned char>(query[p.begin])) *
           kPolynomialPowers.p[p.length - 1];
    }
    h = SegmentHash(h, p.segment);
    __builtin_prefetch(&filter_[FilterWord(h)]);
    probes[count] = h;
    accepts[count] = p.accepts;
    ++count;
  }
  size_t kept = 0;
  for (size_t k = 0; k < count; ++k) {
    const uint64_t h = probes[k];
    const uint64_t bits = FilterBits(h);
    if ((filter_[FilterWord(h)] & bits) != bits) continue;
    __builtin_prefetch(&directory_[Bucket(h)]);
    probes[kept] = h;
    accepts[kept] = accepts[k];
    ++kept;
  }
  count = kept;
  // Most queries have no probe left here.
  if (count == 0) return;
  const uint32_t characters = CharacterSet(query);
  for (size_t k = 0; k < count; ++k) {
    const uint64_t h = probes[k];
    const size_t b = Bucket(h);
    const uint32_t fingerprint = static_cast<uint32_t>(h);
    for (uint32_t e = directory_[b], end = directory_[b + 1]; e < end; ++e) {
      const Entry& entry = entries_[e];
      if (entry.fingerprint != fingerprint) continue;
      const int difference =
          static_cast<int>(entry.key_length) - static_cast<int>(n);
      if (difference < -kMaxEdits || difference > kMaxEdits ||
          ((accepts[k] >> AcceptBit(difference)) & 1) == 0) {
        continue;
      }
      if (!CharacterSetsWithin(entry.characters, characters, tau)) continue;
      ids->push_back(entry.id);
    }
  }
}

}  // namespace lureguard::lookalike::internal
