// Build-time generator of the English dictionary that the lookalike
// matcher's false-positive guards read (internal/dictionary.h):
//
//   make_dictionary WORD_LIST OUTPUT.cc
//
// WORD_LIST is Debian's wamerican (/usr/share/dict/american-english, from
// SCOWL; scripts/setup installs it), one word a line. The output defines
// kDictionaryTrie (internal/dictionary_data.h): the words as a minimized
// trie (a DAWG: identical subtrees stored once) in 32-bit edge entries, so
// the table is compiled into the binary and nothing reads the word list at
// run time. The list itself is not committed.
//
// Kept: lowercase ASCII entries of kMinWordLength letters or more. Capitals
// are proper nouns (and brand names), apostrophes are possessives, and the
// accented entries are French loan words that never meet an ASCII label.

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

// wamerican lists single letters and hundreds of two- and three-letter
// abbreviations ("mfr", "pkg"); inside a host label those read as noise,
// not as words. Four letters is also the shortest brand token that the
// matcher looks for inside longer labels (kMinShortComboLength).
constexpr size_t kMinWordLength = 4;

// Entry layout, shared with internal/dictionary.cc: bits 0-7 the edge's
// byte, bit 8 set when the node it enters ends a word, bit 9 set on the
// last entry of a node's children, bits 10-31 the index of the first entry
// of the children of the node it enters (0: none; the root's children
// start at 0 and no edge enters the root).
constexpr uint32_t kTerminalBit = 1u << 8;
constexpr uint32_t kLastBit = 1u << 9;
constexpr int kChildShift = 10;
constexpr uint32_t kMaxChildIndex = (1u << (32 - kChildShift)) - 1;

struct Node {
  bool terminal = false;
  std::map<char, std::unique_ptr<Node>> children;
};

// Lays the trie out bottom-up: a node's children become one block of
// entries, and a block equal to one already written (the same bytes,
// flags and child blocks) is reused. The root's block comes first.
class Writer {
 public:
  explicit Writer(const Node& root) : entries_(root.children.size()) {
    const std::vector<uint32_t> block = Block(root);
    std::copy(block.begin(), block.end(), entries_.begin());
  }

  const std::vector<uint32_t>& entries() const { return entries_; }

 private:
  // The entries of `node`'s children, each child's own children written.
  std::vector<uint32_t> Block(const Node& node) {
    std::vector<uint32_t> block;
    for (const auto& [byte, child] : node.children) {
      block.push_back(static_cast<uint8_t>(byte) |
                      (child->terminal ? kTerminalBit : 0) |
                      (WriteChildren(*child) << kChildShift));
    }
    if (!block.empty()) block.back() |= kLastBit;
    return block;
  }

  // The index of the block of `node`'s children, 0 if it has none.
  uint32_t WriteChildren(const Node& node) {
    if (node.children.empty()) return 0;
    const std::vector<uint32_t> block = Block(node);
    std::string key(reinterpret_cast<const char*>(block.data()),
                    block.size() * sizeof(uint32_t));
    auto it = blocks_.find(key);
    if (it != blocks_.end()) return it->second;
    const uint32_t index = static_cast<uint32_t>(entries_.size());
    entries_.insert(entries_.end(), block.begin(), block.end());
    blocks_.emplace(std::move(key), index);
    return index;
  }

  std::map<std::string, uint32_t> blocks_;
  std::vector<uint32_t> entries_;
};

bool Keep(const std::string& word) {
  if (word.size() < kMinWordLength) return false;
  for (char c : word) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_dictionary WORD_LIST OUTPUT.cc\n";
    return 1;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "make_dictionary: cannot read " << argv[1]
              << " (Debian package wamerican; scripts/setup installs it)\n";
    return 1;
  }
  Node root;
  size_t words = 0, longest = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!Keep(line)) continue;
    Node* node = &root;
    for (char c : line) {
      std::unique_ptr<Node>& child = node->children[c];
      if (child == nullptr) child = std::make_unique<Node>();
      node = child.get();
    }
    if (!node->terminal) ++words;
    node->terminal = true;
    longest = std::max(longest, line.size());
  }
  if (words == 0) {
    std::cerr << "make_dictionary: no words in " << argv[1] << "\n";
    return 1;
  }
  const Writer writer(root);
  const std::vector<uint32_t>& entries = writer.entries();
  if (entries.size() > kMaxChildIndex) {
    std::cerr << "make_dictionary: " << entries.size()
              << " entries do not fit 22-bit indexes\n";
    return 1;
  }
  std::ofstream out(argv[2]);
  out << "// Generated by server/lookalike/internal/make_dictionary.cc from "
         "wamerican;\n// do not edit.\n\n"
         "#include \"server/lookalike/internal/dictionary_data.h\"\n\n"
         "namespace lureguard::lookalike::internal {\n\n"
      << "const size_t kDictionaryWordCount = " << words << ";\n"
      << "const size_t kDictionaryMinWordLength = " << kMinWordLength << ";\n"
      << "const size_t kDictionaryMaxWordLength = " << longest << ";\n"
      << "const size_t kDictionaryTrieSize = " << entries.size() << ";\n"
      << "const uint32_t kDictionaryTrie[] = {";
  for (size_t i = 0; i < entries.size(); ++i) {
    out << (i % 8 == 0 ? "\n   " : "") << " 0x" << std::hex << entries[i]
        << std::dec << "u,";
  }
  out << "\n};\n\n}  // namespace lureguard::lookalike::internal\n";
  if (!out) {
    std::cerr << "make_dictionary: cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}
