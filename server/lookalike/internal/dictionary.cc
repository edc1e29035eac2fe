#include "server/lookalike/internal/dictionary.h"

#include <array>
#include <bitset>
#include <cstdint>
#include <vector>

#include "server/lookalike/internal/dictionary_data.h"

namespace lureguard::lookalike::internal {
namespace {

// The entry layout of make_dictionary.cc.
constexpr uint32_t kByteMask = 0xFF;
constexpr uint32_t kTerminalBit = 1u << 8;
constexpr uint32_t kLastBit = 1u << 9;
constexpr int kChildShift = 10;
constexpr uint32_t kNoEntry = 0xFFFFFFFFu;

// The entry for byte `c` among the children that start at `block` (sorted
// by byte), or kNoEntry.
uint32_t FindChild(uint32_t block, unsigned char c) {
  for (uint32_t i = block;; ++i) {
    const uint32_t entry = kDictionaryTrie[i];
    const uint32_t byte = entry & kByteMask;
    if (byte == c) return i;
    if (byte > c || (entry & kLastBit) != 0) return kNoEntry;
  }
}

// The root's entry for byte `c`, or kNoEntry: one table read instead of a
// scan of up to 26 entries, as every walk starts at the root.
uint32_t RootChild(unsigned char c) {
  static const std::array<uint32_t, 256>* const table = [] {
    auto* t = new std::array<uint32_t, 256>();
    t->fill(kNoEntry);
    for (uint32_t i = 0;; ++i) {
      (*t)[kDictionaryTrie[i] & kByteMask] = i;
      if ((kDictionaryTrie[i] & kLastBit) != 0) break;
    }
    return t;
  }();
  return (*table)[c];
}

// The first child of the node entry `entry` enters, 0 when it has none.
uint32_t Children(uint32_t entry) {
  return kDictionaryTrie[entry] >> kChildShift;
}

}  // namespace

bool IsDictionaryWord(absl::string_view word) {
  if (word.size() < kDictionaryMinWordLength ||
      word.size() > kDictionaryMaxWordLength) {
    return false;
  }
  uint32_t entry = RootChild(static_cast<unsigned char>(word[0]));
  for (size_t i = 1; i < word.size() && entry != kNoEntry; ++i) {
    const uint32_t block = Children(entry);
    if (block == 0) return false;
    entry = FindChild(block, static_cast<unsigned char>(word[i]));
  }
  if (entry == kNoEntry) return false;
  return (kDictionaryTrie[entry] & kTerminalBit) != 0;
}

bool AnyLongerDictionaryWordCovers(
    absl::string_view text, size_t begin, size_t end,
    absl::FunctionRef<bool(size_t word_begin, size_t word_end)> on_word) {
  const size_t length = end - begin;
  if (length >= kDictionaryMaxWordLength) return false;
  const size_t first =
      end > kDictionaryMaxWordLength ? end - kDictionaryMaxWordLength : 0;
  // One walk down the trie from each start at or before `begin`; a walk
  // ends at the first byte no word continues with (most end at once).
  for (size_t start = first; start <= begin; ++start) {
    uint32_t block = 0;
    for (size_t i = start; i < text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      const uint32_t entry = i == start ? RootChild(c) : FindChild(block, c);
      if (entry == kNoEntry) break;
      if (i + 1 >= end && i + 1 - start > length &&
          (kDictionaryTrie[entry] & kTerminalBit) != 0 &&
          on_word(start, i + 1)) {
        return true;
      }
      block = Children(entry);
      if (block == 0) break;
    }
  }
  return false;
}

namespace {

constexpr size_t kLetters = 26;

// Bit (a * 26 + b) * 26 + c for every three letters some word holds in a
// row: 17,576 bits, gathered once by walking every path of the trie (each
// path a word's prefix, so every word's every run of three is met).
const std::bitset<kLetters * kLetters * kLetters>& WordTrigrams() {
  static const auto* const trigrams = [] {
    auto* bits = new std::bitset<kLetters * kLetters * kLetters>();
    // Depth-first over entries, with the last two letters of the path.
    struct Frame {
      uint32_t entry;
      int before_last;  // -1 when the path is shorter
      int last;
    };
    std::vector<Frame> stack;
    auto push_children = [&](uint32_t block, int before_last, int last) {
      for (uint32_t i = block;; ++i) {
        stack.push_back(Frame{i, before_last, last});
        if ((kDictionaryTrie[i] & kLastBit) != 0) break;
      }
    };
    push_children(0, -1, -1);
    while (!stack.empty()) {
      const Frame f = stack.back();
      stack.pop_back();
      const uint32_t byte = kDictionaryTrie[f.entry] & kByteMask;
      if (byte < 'a' || byte > 'z') continue;
      const int letter = static_cast<int>(byte - 'a');
      if (f.before_last >= 0) {
        bits->set((static_cast<size_t>(f.before_last) * kLetters +
                   static_cast<size_t>(f.last)) *
                      kLetters +
                  static_cast<size_t>(letter));
      }
      const uint32_t block = Children(f.entry);
      if (block != 0) push_children(block, f.last, letter);
    }
    return bits;
  }();
  return *trigrams;
}

}  // namespace

bool AnyDictionaryWordContains(absl::string_view letters) {
  if (letters.size() != 3) return false;
  size_t bit = 0;
  for (const char c : letters) {
    if (c < 'a' || c > 'z') return false;
    bit = bit * kLetters + static_cast<size_t>(c - 'a');
  }
  return WordTrigrams().test(bit);
}

size_t DictionaryWordCount() { return kDictionaryWordCount; }

}  // namespace lureguard::lookalike::internal
