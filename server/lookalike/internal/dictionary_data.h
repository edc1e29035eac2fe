// The English dictionary as generated at build time by
// internal/make_dictionary.cc from Debian's wamerican: read only by
// internal/dictionary.cc, which knows the entry layout.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DICTIONARY_DATA_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DICTIONARY_DATA_H_

#include <cstddef>
#include <cstdint>

namespace lureguard::lookalike::internal {

extern const size_t kDictionaryWordCount;
extern const size_t kDictionaryMinWordLength;
extern const size_t kDictionaryMaxWordLength;
extern const size_t kDictionaryTrieSize;
// Edge entries of a minimized trie; the layout is make_dictionary.cc's.
extern const uint32_t kDictionaryTrie[];

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_DICTIONARY_DATA_H_
