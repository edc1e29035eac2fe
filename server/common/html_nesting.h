// Bounds how deeply elements nest in an HTML document before gumbo parses
// it. gumbo 0.10 takes time that grows faster than the square of the depth
// of open elements: 2,000 nested <div> parse in 0.04 s, 10,000 in 0.8 s,
// 25,000 (150 kB) in 21 s, and one mail attachment of them held a core
// for minutes past every deadline (a red-team pass). Browsers bound the
// depth too: Chromium's parser nests at most 512 elements and attaches
// deeper ones to the 512th.
//
// BoundHtmlNesting follows the tokenizer as far as depth needs (tags with
// quoted attribute values, comments, raw-text and RCDATA elements,
// <plaintext>) and keeps a stack of open elements: an end tag closes up to
// its element only when that element is open, so stray end tags
// ("<div></span><div></span>") cannot hide depth. A start tag that would
// open an element deeper than `max_depth` is overwritten with spaces, in
// place: the text keeps its length, so a caller may parse the bounded copy
// and splice the original at the offsets it finds (the link rewriter).
// Void elements, and those that never nest in a parser's tree (a, form,
// button, select, option, textarea, script, style, iframe, title), are
// always kept, so a page's forms, fields, links and scripts survive.
//
// Thread safety: a pure function.

#ifndef LUREGUARD_SERVER_COMMON_HTML_NESTING_H_
#define LUREGUARD_SERVER_COMMON_HTML_NESTING_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace lureguard {

// Deeper than any page people write, and parsed in ~0.01 s.
inline constexpr size_t kMaxHtmlNesting = 1024;

// False when `html` has too few tags to nest deeper than `max_depth`, so
// that BoundHtmlNesting would change nothing: one count of '<', which lets
// a caller skip the copy it would bound. Most documents stop here.
bool MayNestPast(std::string_view html, size_t max_depth = kMaxHtmlNesting);

// Blanks the start tags of `html` that would nest deeper than `max_depth`;
// returns how many it blanked (0: `html` is unchanged).
size_t BoundHtmlNesting(std::string& html, size_t max_depth = kMaxHtmlNesting);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_HTML_NESTING_H_
