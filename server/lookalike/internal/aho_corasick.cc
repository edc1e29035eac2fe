#include "server/lookalike/internal/aho_corasick.h"

#include <deque>

namespace lureguard::lookalike::internal {

AhoCorasick::AhoCorasick() : nodes_(1) { root_children_.fill(kNone); }

uint32_t AhoCorasick::Add(absl::string_view pattern) {
  uint32_t node = 0;
  for (char ch : pattern) {
    const auto byte = static_cast<uint8_t>(ch);
    uint32_t child = Child(node, byte);
    if (child == kNone) {
      child = static_cast<uint32_t>(nodes_.size());
      Node n;
      n.byte = byte;
      if (node == 0) {
        root_children_[byte] = child;
      } else {
        n.next_sibling = nodes_[node].first_child;
        nodes_[node].first_child = child;
      }
      nodes_.push_back(n);
    }
    node = child;
  }
  if (nodes_[node].pattern == kNone) {
    nodes_[node].pattern = static_cast<uint32_t>(pattern_length_.size());
    pattern_length_.push_back(static_cast<uint32_t>(pattern.size()));
  }
  return nodes_[node].pattern;
}

void AhoCorasick::Finish() {
  // Breadth-first, so a node's failure target is final before its children.
  std::deque<uint32_t> queue;
  for (uint32_t child : root_children_) {
    if (child == kNone) continue;
    nodes_[child].fail = 0;
    queue.push_back(child);
  }
  while (!queue.empty()) {
    const uint32_t node = queue.front();
    queue.pop_front();
    for (uint32_t c = nodes_[node].first_child; c != kNone;
         c = nodes_[c].next_sibling) {
      const uint32_t fail = Step(nodes_[node].fail, nodes_[c].byte);
      nodes_[c].fail = fail;
      nodes_[c].output =
          nodes_[fail].pattern != kNone ? fail : nodes_[fail].output;
      queue.push_back(c);
    }
  }
  nodes_.shrink_to_fit();
}

}  // namespace lureguard::lookalike::internal
