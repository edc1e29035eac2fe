#include "server/links/internal/text_link_finder.h"

#include <utility>

#include "server/links/internal/splice.h"
#include "server/links/internal/web_link.h"

namespace lureguard::links::internal {
namespace {

bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Length of the UTF-8 blank starting at `s` (NO-BREAK SPACE, the U+2000
// spaces, ZERO WIDTH SPACE, IDEOGRAPHIC SPACE), or 0. Mail clients end a
// link there as at an ASCII blank.
size_t UnicodeBlankLength(std::string_view s) {
  const auto b = [&](size_t i) {
    return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
  };
  if (b(0) == 0xC2 && b(1) == 0xA0) return 2;
  if (b(0) == 0xE2 && b(1) == 0x80 && b(2) >= 0x80 && b(2) <= 0x8B) return 3;
  if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  return 0;
}

bool EndsUrl(std::string_view rest) {
  const unsigned char c = rest[0];
  if (c <= 0x20 || c == 0x7F) return true;
  if (c == '<' || c == '>' || c == '"' || c == '`') return true;
  return UnicodeBlankLength(rest) > 0;
}

// Drops trailing punctuation that belongs to the sentence, not the URL.
// Bracket and quote counts are kept as the end moves, so a long run of
// ')' costs linear time.
std::string_view TrimTrailing(std::string_view url) {
  int paren = 0, bracket = 0, brace = 0, quotes = 0;  // open minus close
  for (char c : url) {
    paren += c == '(' ? 1 : c == ')' ? -1 : 0;
    bracket += c == '[' ? 1 : c == ']' ? -1 : 0;
    brace += c == '{' ? 1 : c == '}' ? -1 : 0;
    quotes += c == '\'' ? 1 : 0;
  }
  while (!url.empty()) {
    const char last = url.back();
    bool drop = false;
    switch (last) {
      case '.':
      case ',':
      case ';':
      case ':':
      case '!':
      case '?':
        drop = true;
        break;
      case ')':
        drop = paren < 0;
        if (drop) ++paren;
        break;
      case ']':
        drop = bracket < 0;
        if (drop) ++bracket;
        break;
      case '}':
        drop = brace < 0;
        if (drop) ++brace;
        break;
      case '\'':
        drop = quotes % 2 == 1;
        if (drop) --quotes;
        break;
      default:
        break;
    }
    if (!drop) break;
    url.remove_suffix(1);
  }
  return url;
}

}  // namespace

std::vector<TextLink> FindTextLinks(std::string_view text) {
  std::vector<TextLink> links;
  size_t i = 0;
  while (i < text.size()) {
    const std::string_view rest = text.substr(i);
    size_t scheme_length = 0;
    bool www = false;
    if (StartsWithIgnoreCase(rest, "https://")) {
      scheme_length = 8;
    } else if (StartsWithIgnoreCase(rest, "http://")) {
      scheme_length = 7;
    } else if (StartsWithIgnoreCase(rest, "www.")) {
      www = true;
    }
    const bool at_boundary =
        i == 0 ||
        (!IsAlnum(static_cast<unsigned char>(text[i - 1])) &&
         text[i - 1] != '.' && text[i - 1] != '@' && text[i - 1] != '/' &&
         text[i - 1] != '-' && text[i - 1] != '_');
    if ((scheme_length == 0 && !www) || !at_boundary) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && !EndsUrl(text.substr(end))) ++end;
    const std::string_view written = TrimTrailing(text.substr(i, end - i));
    const size_t min_length = www ? 5 : scheme_length + 1;
    if (written.size() < min_length) {
      i = end > i ? end : i + 1;
      continue;
    }
    std::optional<std::string> url = WebLinkUrl(
        www ? "http://" + std::string(written) : std::string(written), nullptr);
    if (url.has_value()) {
      links.push_back({i, written.size(), *std::move(url)});
    }
    i = end;
  }
  return links;
}

std::string RewriteTextLinks(std::string_view text, std::string_view part,
                             LinkSession& session) {
  std::vector<Splice> splices;
  for (TextLink& found : FindTextLinks(text)) {
    FoundLink link;
    link.url = std::move(found.url);
    link.location = LinkLocation::kText;
    link.part = std::string(part);
    std::optional<std::string> replacement = session.Offer(link);
    if (!replacement.has_value()) continue;
    splices.push_back({found.offset, found.length, *std::move(replacement)});
  }
  if (splices.empty()) return std::string(text);
  return ApplySplices(text, splices);
}

}  // namespace lureguard::links::internal
