// An Aho-Corasick automaton over bytes: finds every occurrence of many
// patterns (brand token skeletons) in one pass over a text, in time linear
// in the text plus the matches, whatever the number of patterns.
//
// Children are kept as sibling lists (a label's alphabet is ~37 bytes, so a
// list is short) except at the root, which has a direct table because every
// step that fails falls back to it.
//
// Build with Add and Finish; afterwards const and thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_AHO_CORASICK_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_AHO_CORASICK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

class AhoCorasick {
 public:
  AhoCorasick();

  // Adds `pattern` (non-empty) and returns its number; adding the same
  // pattern twice returns the same number. REQUIRES: Finish() not called.
  uint32_t Add(absl::string_view pattern);

  // Computes the failure links. REQUIRES: called once, after the last Add.
  void Finish();

  // Calls `on_match(end, pattern, length)` for every occurrence, where
  // text[end - length, end) is the pattern.
  template <typename F>
  void Scan(absl::string_view text, F on_match) const;

  size_t pattern_count() const { return pattern_length_.size(); }
  size_t MemoryBytes() const {
    return nodes_.capacity() * sizeof(Node) +
           pattern_length_.capacity() * sizeof(uint32_t);
  }

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct Node {
    uint32_t first_child = kNone;
    uint32_t next_sibling = kNone;
    uint32_t fail = 0;
    uint32_t pattern = kNone;  // pattern ending here
    uint32_t output = kNone;   // nearest node on the failure chain with one
    uint8_t byte = 0;
  };

  uint32_t Child(uint32_t node, uint8_t byte) const;
  uint32_t Step(uint32_t node, uint8_t byte) const;

  std::vector<Node> nodes_;
  std::array<uint32_t, 256> root_children_;
  std::vector<uint32_t> pattern_length_;
};

inline uint32_t AhoCorasick::Child(uint32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  for (uint32_t c = nodes_[node].first_child; c != kNone;
       c = nodes_[c].next_sibling) {
    if (nodes_[c].byte == byte) return c;
  }
  return kNone;
}

inline uint32_t AhoCorasick::Step(uint32_t node, uint8_t byte) const {
  while (true) {
    const uint32_t child = Child(node, byte);
    if (child != kNone) return child;
    if (node == 0) return 0;
    node = nodes_[node].fail;
  }
}

template <typename F>
void AhoCorasick::Scan(absl::string_view text, F on_match) const {
  uint32_t node = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    node = Step(node, static_cast<uint8_t>(text[i]));
    for (uint32_t out = nodes_[node].pattern != kNone ? node
                                                      : nodes_[node].output;
         out != kNone; out = nodes_[out].output) {
      const uint32_t pattern = nodes_[out].pattern;
      on_match(i + 1, pattern, pattern_length_[pattern]);
    }
  }
}

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_AHO_CORASICK_H_
