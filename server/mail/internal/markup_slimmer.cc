#include "server/mail/internal/markup_slimmer.h"

#include <array>

namespace lureguard::mail::internal {
namespace {

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool IsAlpha(char c) {
  c = Lower(c);
  return c >= 'a' && c <= 'z';
}

// `s` at `i` starts with `lower_word`, any case.
bool At(std::string_view s, size_t i, std::string_view lower_word) {
  if (s.size() - i < lower_word.size() || i > s.size()) return false;
  for (size_t k = 0; k < lower_word.size(); ++k) {
    if (Lower(s[i + k]) != lower_word[k]) return false;
  }
  return true;
}

// Elements whose content the tokenizer reads as text up to their end tag
// (raw text and RCDATA), <style> first.
constexpr std::array<std::string_view, 9> kTextElements = {
    "style",  "script",  "textarea", "title",   "xmp",
    "iframe", "noembed", "noframes", "noscript"};

// Raster image types whose data: payload is never inspected.
constexpr std::array<std::string_view, 6> kRasterUris = {
    "data:image/png", "data:image/jpeg", "data:image/jpg",
    "data:image/gif", "data:image/webp", "data:image/x-icon"};

// The end of `name`'s end tag search from `from`: the index of "</name"
// followed by a space, '/' or '>' (or the end), or npos.
size_t FindEndTag(std::string_view s, size_t from, std::string_view name) {
  for (size_t i = s.find("</", from); i != std::string_view::npos;
       i = s.find("</", i + 2)) {
    if (!At(s, i + 2, name)) continue;
    const size_t after = i + 2 + name.size();
    if (after >= s.size() || IsSpace(s[after]) || s[after] == '/' ||
        s[after] == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string SlimMarkup(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t copied = 0;  // html[copied, i) is still to be copied
  size_t i = 0;
  auto drop = [&](size_t from, size_t to, std::string_view keep) {
    out.append(html.substr(copied, from - copied));
    out.append(keep);
    copied = to;
  };
  while (i < html.size()) {
    const size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) break;
    i = lt + 1;
    if (At(html, i, "!--")) {
      const size_t end = html.find("-->", i + 3);
      if (end == std::string_view::npos) break;
      i = end + 3;
      continue;
    }
    if (At(html, i, "plaintext")) break;  // the rest is text
    if (i >= html.size() || !IsAlpha(html[i])) continue;
    // A start tag: its name, then attributes up to the '>' outside quotes.
    size_t name_end = i;
    while (name_end < html.size() && !IsSpace(html[name_end]) &&
           html[name_end] != '/' && html[name_end] != '>') {
      ++name_end;
    }
    const std::string_view name = html.substr(i, name_end - i);
    size_t p = name_end;
    while (p < html.size() && html[p] != '>') {
      if (html[p] == '"' || html[p] == '\'') {
        const char quote = html[p];
        const size_t close = html.find(quote, p + 1);
        if (close == std::string_view::npos) {
          p = html.size();
          break;
        }
        const size_t value = p + 1;
        for (std::string_view raster : kRasterUris) {
          if (At(html, value, raster) && close - value > kMaxKeptImageUri) {
            drop(value + kMaxKeptImageUri, close, "");
            break;
          }
        }
        p = close + 1;
      } else {
        ++p;
      }
    }
    if (p >= html.size()) break;
    i = p + 1;  // after '>'
    std::string_view text_element;
    for (std::string_view element : kTextElements) {
      if (name.size() == element.size() && At(name, 0, element)) {
        text_element = element;
        break;
      }
    }
    if (text_element.empty()) continue;
    const size_t end = FindEndTag(html, i, text_element);
    if (end == std::string_view::npos) break;  // text to the end
    if (text_element == "style" &&
        html.substr(i, end - i).find('<') == std::string_view::npos) {
      drop(i, end, "");
    }
    i = end;
  }
  if (copied == 0) return std::string(html);
  out.append(html.substr(copied));
  return out;
}

}  // namespace lureguard::mail::internal
