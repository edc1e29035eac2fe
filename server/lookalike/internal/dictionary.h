// An English dictionary for the matcher's false-positive guards: Debian's
// wamerican word list (SCOWL, American English, permissive licence),
// compiled into the binary at build time (internal/make_dictionary.cc), so
// nothing is read at run time. Where the short curated lists of
// word_lists.h name the words that matter most, this one knows the long
// tail: "revolution", "canvas", "stripes", "motion".
//
// Words of four letters or more only, lowercase ASCII (the generator's
// kMinWordLength says why). Immutable; safe from any thread.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DICTIONARY_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DICTIONARY_H_

#include <cstddef>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

// True when `word` is a dictionary word ("motion", "stripes").
bool IsDictionaryWord(absl::string_view word);

// Calls on_word(word_begin, word_end) for dictionary words longer than
// text[begin, end) that cover that span inside `text` ("revolution" covers
// "revolut" in "revolutionparts", "canvas" covers "canva" in "canvaslms"),
// until it returns true; returns whether it did.
// REQUIRES: begin <= end <= text.size().
bool AnyLongerDictionaryWordCovers(
    absl::string_view text, size_t begin, size_t end,
    absl::FunctionRef<bool(size_t word_begin, size_t word_end)> on_word);

// True when some dictionary word contains the three letters `letters`
// ("ups" in "groups", "att" in "attach"); false for "dhl" or "bbc", and for
// anything but three lowercase ASCII letters.
bool AnyDictionaryWordContains(absl::string_view letters);

// How many words the table holds (63,072 from wamerican 2020.12.07).
size_t DictionaryWordCount();

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DICTIONARY_H_
