// A dnstwist-style permutation generator, written for the recall tests: from
// a brand domain to the hosts a phisher would register. It goes the way
// dnstwist goes so the index, which goes the other way, can be measured.

#ifndef LUREGUARD_TESTS_UNIT_LOOKALIKE_PERMUTATIONS_H_
#define LUREGUARD_TESTS_UNIT_LOOKALIKE_PERMUTATIONS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::testing {

// One generated lookalike host and the fuzzer that made it ("omission").
struct Permutation {
  std::string host;
  std::string fuzzer;
};

// Every fuzzer name Permutations() uses, in a stable order.
const std::vector<std::string>& FuzzerNames();

// Permutations of `label` + "." + `suffix` (e.g. "paypal", "com"): addition,
// omission, repetition, keyboard replacement and insertion (qwerty, qwertz,
// azerty), transposition, vowel swap, bitsquatting, plural, ASCII and
// Cyrillic homoglyphs, whole-script Cyrillic, hyphenation, subdomain split,
// dropped dot, TLD swap, combosquatting, target embedding and hosting
// platforms. Hosts equal to the original are left out; duplicates too.
std::vector<Permutation> Permutations(absl::string_view label,
                                      absl::string_view suffix);

// Whether no phisher can register `host`, so that a permutation equal to
// it is no lookalike to catch: it is (under) a domain some default brand
// owns, or its public suffix vets registrants (internal/suffixes.h:
// "caxia.gov.br" of Caixa's caixa.gov.br).
bool OutOfReach(const std::string& host);

}  // namespace lureguard::lookalike::testing

#endif  // LUREGUARD_TESTS_UNIT_LOOKALIKE_PERMUTATIONS_H_
