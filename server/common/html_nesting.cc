#include "server/common/html_nesting.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace lureguard {
namespace {

bool IsAsciiAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

bool OneOf(std::string_view name, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

// Elements that have no content (HTML's void elements, and a few legacy
// ones parsers treat so).
bool IsVoid(std::string_view name) {
  return OneOf(name, {"area", "base", "basefont", "bgsound", "br", "col",
                      "embed", "frame", "hr", "image", "img", "input", "keygen",
                      "link", "meta", "param", "source", "track", "wbr"});
}

// Elements whose text is not markup: the tokenizer reads it up to their
// end tag.
bool IsRawText(std::string_view name) {
  return OneOf(name, {"iframe", "noembed", "noframes", "script", "style",
                      "textarea", "title", "xmp"});
}

// Elements a parser never nests in themselves (an <a> closes the open one,
// a <form> inside a form is dropped): never blanked, never counted.
bool NeverNests(std::string_view name) {
  return IsRawText(name) ||
         OneOf(name, {"a", "button", "form", "optgroup", "option", "select"});
}

// The index of the '>' that ends the tag whose name ends before `j`, or
// npos. Follows the tokenizer's attribute states, so that a quote starts a
// value only after '=' ("<div =\"x>" is an attribute named `="x`).
size_t TagEnd(const std::string& s, size_t j) {
  enum { kBeforeName, kName, kAfterName } state = kBeforeName;
  const size_t n = s.size();
  while (j < n) {
    const char c = s[j];
    if (c == '>') return j;
    if (state != kBeforeName && c == '=') {
      ++j;
      while (j < n && IsSpace(s[j])) ++j;
      if (j == n) return std::string::npos;
      if (s[j] == '"' || s[j] == '\'') {
        j = s.find(s[j], j + 1);
        if (j == std::string::npos) return j;
        ++j;
      } else {
        while (j < n && !IsSpace(s[j]) && s[j] != '>') ++j;
      }
      state = kBeforeName;
      continue;
    }
    if (IsSpace(c)) {
      if (state == kName) state = kAfterName;
    } else if (c == '/') {
      state = kBeforeName;
    } else if (state != kName) {
      state = kName;
    }
    ++j;
  }
  return std::string::npos;
}

// Where the text of raw-text element `name` that starts at `from` ends:
// at "</name" followed by a space, '/' or '>', any case; npos if never.
size_t RawTextEnd(const std::string& s, size_t from, std::string_view name) {
  for (size_t i = s.find("</", from); i != std::string::npos;
       i = s.find("</", i + 2)) {
    const size_t after = i + 2 + name.size();
    if (after > s.size()) return std::string::npos;
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k) {
      same = Lower(s[i + 2 + k]) == name[k];
    }
    if (same && (after == s.size() || IsSpace(s[after]) || s[after] == '/' ||
                 s[after] == '>')) {
      return i;
    }
  }
  return std::string::npos;
}

// A tag name as a number: up to eight letters packed, longer names hashed
// (a collision only merges two names' counts).
uint64_t NameKey(std::string_view name) {
  uint64_t key = 0;
  if (name.size() <= 8) {
    for (char c : name) key = key << 8 | static_cast<unsigned char>(c);
    return key;
  }
  for (char c : name)
    key = (key ^ static_cast<unsigned char>(c)) * 0x100000001b3;
  return key | uint64_t{1} << 63;  // apart from the packed names
}

}  // namespace

bool MayNestPast(std::string_view html, size_t max_depth) {
  // Fewer tags than the bound cannot nest past it.
  return static_cast<size_t>(std::count(html.begin(), html.end(), '<')) >
         max_depth;
}

size_t BoundHtmlNesting(std::string& html, size_t max_depth) {
  const size_t n = html.size();
  if (!MayNestPast(html, max_depth)) return 0;
  size_t blanked = 0;
  std::vector<uint64_t> stack;                 // open elements, innermost last
  absl::flat_hash_map<uint64_t, size_t> open;  // name -> count on stack
  std::string name;
  for (size_t i = html.find('<'); i != std::string::npos && i + 1 < n;
       i = html.find('<', i)) {
    if (html.compare(i, 4, "<!--") == 0) {
      // "<!-->" and "<!--->" end at once, as the tokenizer has them.
      const size_t end = html.find("-->", i + 2);
      if (end == std::string::npos) break;
      i = end + 3;
      continue;
    }
    const char next = html[i + 1];
    if (next == '!' || next == '?') {  // doctype, bogus comment
      const size_t end = html.find('>', i + 2);
      if (end == std::string::npos) break;
      i = end + 1;
      continue;
    }
    const bool end_tag = next == '/';
    const size_t name_begin = i + (end_tag ? 2 : 1);
    if (name_begin >= n || !IsAsciiAlpha(html[name_begin])) {
      i = name_begin;  // text: "< 3", "</>"
      continue;
    }
    size_t name_end = name_begin;
    name.clear();
    while (name_end < n && !IsSpace(html[name_end]) && html[name_end] != '/' &&
           html[name_end] != '>') {
      name.push_back(Lower(html[name_end++]));
    }
    const size_t tag_end = TagEnd(html, name_end);
    if (tag_end == std::string::npos) break;  // the rest is one open tag
    const size_t tag_begin = i;
    i = tag_end + 1;
    if (end_tag) {
      const uint64_t key = NameKey(name);
      auto it = open.find(key);
      if (it == open.end() || it->second == 0) continue;  // a stray end tag
      while (!stack.empty()) {
        const bool closes = stack.back() == key;
        --open[stack.back()];
        stack.pop_back();
        if (closes) break;
      }
      continue;
    }
    if (name == "plaintext") break;  // the rest is text
    if (IsRawText(name)) {
      const size_t end = RawTextEnd(html, i, name);
      if (end == std::string::npos) break;
      i = end;
      continue;
    }
    if (IsVoid(name) || NeverNests(name)) continue;
    if (stack.size() >= max_depth) {
      std::fill(html.begin() + tag_begin, html.begin() + tag_end + 1, ' ');
      ++blanked;
      continue;
    }
    const uint64_t key = NameKey(name);
    ++open[key];
    stack.push_back(key);
  }
  return blanked;
}

}  // namespace lureguard
