// Edit distance and the names of typo techniques, in the vocabulary of
// dnstwist's fuzzers, so an explanation says how a label differs from the
// brand token it imitates ("transposition of 'ap' in 'paypal'").
//
// Pure functions on bytes; thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_EDITS_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_EDITS_H_

#include <string>

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

// True when `a` and `b` have the same length and differ only where both
// have a digit ("office365" and "office366"): versions, not typos.
bool DiffersOnlyInDigits(absl::string_view a, absl::string_view b);

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_EDITS_H_
