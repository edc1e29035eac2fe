// An Aho-Corasick automaton over bytes: finds every occurrence of many
// patterns (brand token skeletons) in one pass over a text, in time linear
// in the text plus the matches, whatever the number of patterns.
//
// While patterns are added, children are kept as sibling lists. Finish
// renumbers the nodes breadth-first so that each node's children are
// consecutive, instead of chasing a linked list through a trie of ~400k
// nodes (issue 5: that chase was the largest cost of a lookup). The bytes
// on the edges into the nodes are a separate array in the same order,
// one byte per node (400 kB for the top 100k, mostly in L2): a step
// compares its byte with a run of children's bytes 16 at a time, one
// cache line, and then reads the one node it enters. With the byte inside
// each 20-byte node, a step scanned 7.5 children on average and a third of
// the steps left nodes of 12 or more, 3-6 cache lines each (issue #19
// item 5). The root has a direct table because every step that fails
// falls back to it.
//
// Build with Add and Finish; afterwards const and thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_AHO_CORASICK_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_AHO_CORASICK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/string_view.h"
#include "server/lookalike/internal/huge_pages.h"

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

  size_t MemoryBytes() const {
    return nodes_.capacity() * sizeof(Node) + edges_.capacity() +
           build_nodes_.capacity() * sizeof(BuildNode) +
           pattern_length_.capacity() * sizeof(uint32_t);
  }

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  // The trie while patterns are added.
  struct BuildNode {
    uint32_t first_child = kNone;
    uint32_t next_sibling = kNone;
    uint32_t pattern = kNone;
    uint8_t byte = 0;
  };
  // The automaton after Finish: children of a node are the nodes
  // [first_child, first_child + child_count).
  struct Node {
    uint32_t first_child = 0;
    uint32_t fail = 0;
    uint32_t pattern = kNone;  // pattern ending here
    uint32_t output = kNone;   // nearest node on the failure chain with one
    uint16_t child_count = 0;  // at most 256
  };

  uint32_t BuildChild(uint32_t node, uint8_t byte) const;
  uint32_t Child(uint32_t node, uint8_t byte) const;
  uint32_t Step(uint32_t node, uint8_t byte) const;

  std::vector<BuildNode> build_nodes_;
  HugePageVector<Node> nodes_;
  // edges_[c] is the byte on the edge into node c, followed by
  // kEdgePadding bytes that no run reaches, so that a 16-byte load from
  // any run stays inside the array.
  static constexpr size_t kEdgePadding = 16;
  HugePageVector<uint8_t> edges_;
  std::array<uint32_t, 256> root_children_;
  std::vector<uint32_t> pattern_length_;
};

inline uint32_t AhoCorasick::Child(uint32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  const Node& n = nodes_[node];
  const uint8_t* const edges = edges_.data() + n.first_child;
#if defined(__SSE2__)
  const __m128i wanted = _mm_set1_epi8(static_cast<char>(byte));
  for (uint32_t i = 0; i < n.child_count; i += 16) {
    const __m128i run =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(edges + i));
    uint32_t equal =
        static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(run, wanted)));
    // Bytes past the run belong to other nodes.
    if (n.child_count - i < 16) equal &= (1u << (n.child_count - i)) - 1;
    if (equal != 0) {
      return n.first_child + i + static_cast<uint32_t>(__builtin_ctz(equal));
    }
  }
#else
  for (uint32_t i = 0; i < n.child_count; ++i) {
    if (edges[i] == byte) return n.first_child + i;
  }
#endif
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
