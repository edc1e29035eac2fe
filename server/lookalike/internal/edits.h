// Edit distance and the names of typo techniques, in the vocabulary of
// dnstwist's fuzzers, so an explanation says how a label differs from the
// brand token it imitates ("transposition of 'ap' in 'paypal'").
//
// Pure functions on bytes; thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_EDITS_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_EDITS_H_

#include <cstdint>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

// Optimal-string-alignment distance (Damerau-Levenshtein where no substring
// is edited twice) between `a` and `b`, or `limit + 1` as soon as it is
// known to exceed `limit`.
int BoundedEditDistance(absl::string_view a, absl::string_view b, int limit);

// The keyboard layouts whose adjacency explains replacements and insertions.
enum class Keyboard { kQwerty, kQwertz, kAzerty };

// True when `a` and `b` are distinct keys next to each other on `keyboard`.
bool KeysAdjacent(char a, char b, Keyboard keyboard);

// True when `a` and `b` are adjacent on any of the three layouts.
bool KeysAdjacentOnAny(char a, char b);

// How `candidate` was made from `token`, for a pair at distance 1: one of
// "addition" (a letter appended), "plural" (an 's' appended), "repetition"
// (a letter doubled), "insertion" (a letter inserted inside), "hyphenation"
// (a '-' inserted), "omission", "transposition", "bitsquatting",
// "keyboard-replacement", "vowel-swap" or "replacement". `detail` receives a
// short phrase for the explanation ("'l' doubled"). For pairs at distance 2
// returns "double-typo".
std::string ClassifyEdit(absl::string_view candidate, absl::string_view token,
                         std::string* detail);

// Whether `candidate` is `token` with one '-' added: what ClassifyEdit calls
// "hyphenation", answered without building its strings.
bool IsHyphenInsertion(absl::string_view candidate, absl::string_view token);

// The bit of each byte in CharacterSet: a table, as the set is computed for
// every part and label looked up.
struct CharacterBits {
  uint32_t bit[256];
  constexpr CharacterBits() : bit() {
    for (int c = 0; c < 256; ++c) {
      if (c >= 'a' && c <= 'z') {
        bit[c] = uint32_t{1} << (c - 'a');
      } else if (c >= '0' && c <= '9') {
        bit[c] = uint32_t{1} << (26 + (c - '0') / 3 % 4);
      } else if (c == '-') {
        bit[c] = uint32_t{1} << 30;
      } else {
        bit[c] = uint32_t{1} << 31;
      }
    }
  }
};
inline constexpr CharacterBits kCharacterBits;

// A coarse set of the characters of `s`: letters on bits 0-25, digits on
// 26-29 (three each), '-' on 30, anything else on 31. An edit adds at most
// one character to a string's set and removes at most one, so strings whose
// sets differ by more than `limit` either way are more than `limit` edits
// apart: CharacterSetsWithin rejects most index candidates from a few bytes
// kept per key, before their text is read.
inline uint32_t CharacterSet(absl::string_view s) {
  uint32_t set = 0;
  for (const char c : s) set |= kCharacterBits.bit[static_cast<uint8_t>(c)];
  return set;
}

// False when strings with these CharacterSets are more than `limit` (0-2)
// edits apart; true means they may be within it.
inline bool CharacterSetsWithin(uint32_t a, uint32_t b, int limit) {
  // std::popcount is a library call without -mpopcnt. Clearing the lowest
  // set bit of 0 leaves 0, so no test is needed between the steps: this
  // runs for every partition entry a probe finds.
  auto more_bits_than_limit = [limit](uint32_t x) {
    if (limit >= 1) x &= x - 1;
    if (limit >= 2) x &= x - 1;
    return x != 0;
  };
  return !more_bits_than_limit(a & ~b) && !more_bits_than_limit(b & ~a);
}

// How many bytes of a string fall in each of 16 classes (a byte's low four
// bits: "a" and "q" share one), saturating at 255. A substitution changes
// two counts by one, an insertion or a deletion one, a transposition none,
// so strings within `limit` edits have counts at most 2 * limit apart,
// summed over the classes (merging letters into classes only lowers the
// sum). Unlike CharacterSet it sees repeated letters and letters both
// strings have, which rejects most of the long tokens that share a segment
// with a part ("...online") before their edit distance is computed (issue
// #19 item 5: that verification was a third of the slowest lookups).
struct CharacterCounts {
  uint8_t count[16] = {};
};

inline CharacterCounts CountCharacters(absl::string_view s) {
  CharacterCounts counts;
  for (const char c : s) {
    uint8_t& n = counts.count[static_cast<uint8_t>(c) & 15];
    if (n < 255) ++n;
  }
  return counts;
}

// False when strings with these CharacterCounts are more than `limit`
// edits apart; true means they may be within it.
inline bool CharacterCountsWithin(const CharacterCounts& a,
                                  const CharacterCounts& b, int limit) {
#if defined(__SSE2__)
  // Asked for every candidate the deletion index returns, once per
  // skeleton: the sum of the 16 absolute differences in one SAD instead of
  // a loop of 16 compares.
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.count));
  const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.count));
  const __m128i sums = _mm_sad_epu8(x, y);
  const int distance = _mm_cvtsi128_si32(sums) +
                       _mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums));
#else
  int distance = 0;
  for (int i = 0; i < 16; ++i) {
    distance += a.count[i] > b.count[i] ? a.count[i] - b.count[i]
                                        : b.count[i] - a.count[i];
  }
#endif
  return distance <= 2 * limit;
}

// True when `a` and `b` have the same length and differ only where both
// have a digit ("office365" and "office366"): versions, not typos.
bool DiffersOnlyInDigits(absl::string_view a, absl::string_view b);

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_EDITS_H_
