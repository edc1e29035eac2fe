#include "server/lookalike/internal/aho_corasick.h"

namespace lureguard::lookalike::internal {

AhoCorasick::AhoCorasick() : build_nodes_(1) { root_children_.fill(kNone); }

uint32_t AhoCorasick::BuildChild(uint32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  for (uint32_t c = build_nodes_[node].first_child; c != kNone;
       c = build_nodes_[c].next_sibling) {
    if (build_nodes_[c].byte == byte) return c;
  }
  return kNone;
}

uint32_t AhoCorasick::Add(absl::string_view pattern) {
  uint32_t node = 0;
  for (char ch : pattern) {
    const auto byte = static_cast<uint8_t>(ch);
    uint32_t child = BuildChild(node, byte);
    if (child == kNone) {
      child = static_cast<uint32_t>(build_nodes_.size());
      BuildNode n;
      n.byte = byte;
      if (node == 0) {
        root_children_[byte] = child;
      } else {
        n.next_sibling = build_nodes_[node].first_child;
        build_nodes_[node].first_child = child;
      }
      build_nodes_.push_back(n);
    }
    node = child;
  }
  if (build_nodes_[node].pattern == kNone) {
    build_nodes_[node].pattern = static_cast<uint32_t>(pattern_length_.size());
    pattern_length_.push_back(static_cast<uint32_t>(pattern.size()));
  }
  return build_nodes_[node].pattern;
}

void AhoCorasick::Finish() {
  // Breadth-first renumbering: the children of each node are enqueued
  // together, so they get consecutive numbers. `order[new] = old`.
  const size_t count = build_nodes_.size();
  std::vector<uint32_t> order;
  order.reserve(count);
  order.push_back(0);
  nodes_.assign(count, Node{});
  edges_.assign(count + kEdgePadding, 0);
  std::array<uint32_t, 256> old_root = root_children_;
  for (size_t next = 0; next < order.size(); ++next) {
    const uint32_t old = order[next];
    Node& n = nodes_[next];
    n.pattern = build_nodes_[old].pattern;
    n.first_child = static_cast<uint32_t>(order.size());
    if (old == 0) {
      for (int byte = 0; byte < 256; ++byte) {
        if (old_root[byte] == kNone) continue;
        root_children_[byte] = static_cast<uint32_t>(order.size());
        edges_[order.size()] = static_cast<uint8_t>(byte);
        order.push_back(old_root[byte]);
      }
    } else {
      for (uint32_t c = build_nodes_[old].first_child; c != kNone;
           c = build_nodes_[c].next_sibling) {
        edges_[order.size()] = build_nodes_[c].byte;
        order.push_back(c);
      }
    }
    n.child_count = static_cast<uint16_t>(static_cast<uint32_t>(order.size()) -
                                          n.first_child);
  }
  build_nodes_.clear();
  build_nodes_.shrink_to_fit();
  // Failure links in breadth-first order, so a node's failure target is
  // final before its children's.
  for (uint32_t node = 0; node < nodes_.size(); ++node) {
    const Node n = nodes_[node];
    for (uint32_t c = n.first_child; c < n.first_child + n.child_count; ++c) {
      const uint32_t fail = node == 0 ? 0 : Step(n.fail, edges_[c]);
      nodes_[c].fail = fail;
      nodes_[c].output =
          nodes_[fail].pattern != kNone ? fail : nodes_[fail].output;
    }
  }
}

}  // namespace lureguard::lookalike::internal
