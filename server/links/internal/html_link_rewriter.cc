#include "server/links/internal/html_link_rewriter.h"

#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/html_nesting.h"
#include "server/links/html_escape.h"
#include "server/links/internal/splice.h"
#include "server/links/internal/web_link.h"

namespace lureguard::links::internal {
namespace {

// Anchor text longer than this is cut: enough for any display-text check,
// and bounded work for a page-long anchor.
constexpr size_t kMaxDisplayText = 2048;

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

// A link attribute found in the tree, before the handler sees it.
struct Candidate {
  size_t offset = 0;  // of the attribute value token, quotes included
  size_t length = 0;
  std::string url;
  LinkLocation location = LinkLocation::kHtmlAnchor;
  const GumboNode* element = nullptr;
};

bool IsHtmlBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Text content of `element`: text nodes in tree order, runs of blanks
// collapsed to one space, trimmed. Iterative: malformed mail can nest
// deeper than a recursion should go.
std::string DisplayText(const GumboNode* element) {
  std::string raw;
  std::vector<const GumboNode*> stack = {element};
  while (!stack.empty() && raw.size() < kMaxDisplayText) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
      raw += node->v.text.text;  // "foo<b>bar</b>" reads "foobar"
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) {
      continue;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
  std::string text;
  bool blank = false;
  for (char c : raw) {
    if (IsHtmlBlank(c)) {
      blank = !text.empty();
      continue;
    }
    if (blank) text += ' ';
    blank = false;
    text += c;
    if (text.size() >= kMaxDisplayText) break;
  }
  return text;
}

// The quoted, escaped attribute value token for `url`.
std::string QuotedAttributeValue(std::string_view url) {
  return absl::StrCat(
      "\"", HtmlEscape(absl::string_view(url.data(), url.size())), "\"");
}

// The source range of `attribute`'s value token inside `html`, or nullopt
// when gumbo did not take it from the source (implied or copied from
// elsewhere) or the token is not one we can safely replace.
std::optional<std::pair<size_t, size_t>> ValueRange(
    std::string_view html, const GumboAttribute* attribute) {
  const GumboStringPiece& v = attribute->original_value;
  if (v.data == nullptr || v.length == 0) return std::nullopt;
  if (v.data < html.data() || v.data + v.length > html.data() + html.size()) {
    return std::nullopt;
  }
  const char first = v.data[0];
  if (first == '"' || first == '\'') {
    if (v.length < 2 || v.data[v.length - 1] != first) return std::nullopt;
  }
  return std::make_pair(static_cast<size_t>(v.data - html.data()), v.length);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] >= 'A' && a[i] <= 'Z' ? a[i] | 0x20 : a[i]) != lower[i]) {
      return false;
    }
  }
  return true;
}

// Source ranges (within `tag`, a start tag's source) of the value tokens
// of the second and later `name` attributes. Gumbo keeps only the first,
// as the HTML Standard and browsers do, but a mail reader with another
// parser may follow a later one, so those are links too. Follows the
// Standard's attribute states: names end at a blank, '/', '>' or '=';
// values are quoted or run to a blank or '>'.
std::vector<std::pair<size_t, size_t>> DuplicateValues(std::string_view tag,
                                                       std::string_view name) {
  std::vector<std::pair<size_t, size_t>> out;
  const size_t n = tag.size();
  size_t i = 1;  // after '<'
  while (i < n && !IsHtmlBlank(tag[i]) && tag[i] != '/' && tag[i] != '>') ++i;
  int seen = 0;
  while (i < n) {
    while (i < n && (IsHtmlBlank(tag[i]) || tag[i] == '/')) ++i;
    if (i >= n || tag[i] == '>') break;
    const size_t name_start = i++;  // a leading '=' belongs to the name
    while (i < n && !IsHtmlBlank(tag[i]) && tag[i] != '/' && tag[i] != '>' &&
           tag[i] != '=') {
      ++i;
    }
    const std::string_view attribute = tag.substr(name_start, i - name_start);
    while (i < n && IsHtmlBlank(tag[i])) ++i;
    std::optional<std::pair<size_t, size_t>> value;
    if (i < n && tag[i] == '=') {
      ++i;
      while (i < n && IsHtmlBlank(tag[i])) ++i;
      if (i < n && (tag[i] == '"' || tag[i] == '\'')) {
        const size_t close = tag.find(tag[i], i + 1);
        if (close == std::string_view::npos) break;
        value = std::make_pair(i, close + 1 - i);
        i = close + 1;
      } else {
        const size_t start = i;
        while (i < n && !IsHtmlBlank(tag[i]) && tag[i] != '>') ++i;
        if (i > start) value = std::make_pair(start, i - start);
      }
    }
    if (EqualsIgnoreCase(attribute, name) && seen++ > 0 && value.has_value()) {
      out.push_back(*value);
    }
  }
  return out;
}

// The value of an attribute value token as gumbo decodes it (character
// references, quotes), by parsing a one-attribute tag.
std::string DecodeAttributeValue(std::string_view token) {
  const std::string tag = "<a x=" + std::string(token) + ">";
  std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
      gumbo_parse(tag.c_str()));
  std::string value;
  std::vector<const GumboNode*> stack = {output->root};
  while (!stack.empty() && value.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT) continue;
    if (node->v.element.tag == GUMBO_TAG_A) {
      const GumboAttribute* x =
          gumbo_get_attribute(&node->v.element.attributes, "x");
      if (x != nullptr) value = x->value;
      break;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i]));
    }
  }
  return value;
}

// False when `html` has no start tag that can carry a link: every element
// gumbo builds comes from a "<name" in the source, so a document without
// "<a", "<form", "<button" or "<input" (any case) needs no parse.
bool MayHaveLinks(std::string_view html) {
  static constexpr std::string_view kTags[] = {"a", "form", "button", "input"};
  for (size_t at = html.find('<'); at != std::string_view::npos;
       at = html.find('<', at + 1)) {
    const std::string_view rest = html.substr(at + 1);
    for (std::string_view tag : kTags) {
      if (rest.size() < tag.size()) continue;
      bool match = true;
      for (size_t i = 0; i < tag.size() && match; ++i) {
        match = (rest[i] | 0x20) == tag[i];
      }
      if (match) return true;
    }
  }
  return false;
}

// The attribute of an element that holds its link, and where a link
// there sits; name is null for elements without one.
struct LinkSlot {
  const char* name = nullptr;
  LinkLocation location = LinkLocation::kHtmlAnchor;
};

LinkSlot LinkSlotOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
      return {"href", LinkLocation::kHtmlAnchor};
    case GUMBO_TAG_AREA:
      return {"href", LinkLocation::kHtmlArea};
    case GUMBO_TAG_FORM:
      return {"action", LinkLocation::kHtmlForm};
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_INPUT:
      // A submit button's formaction overrides its form's action.
      return {"formaction", LinkLocation::kHtmlForm};
    default:
      return {};
  }
}

// A link attribute as gumbo kept it, before its URL is resolved.
struct FoundAttribute {
  const GumboNode* element;
  const GumboAttribute* attribute;
  const char* name;
  LinkLocation location;
};

// Every link attribute of a document, in tree order, and its base URL.
struct DocumentLinks {
  std::vector<FoundAttribute> found;
  std::optional<url::ParsedUrl> base;  // of the first <base href>
};

// The base URL a <base href> sets; nullopt when it is no web URL.
std::optional<url::ParsedUrl> BaseUrlOf(const GumboAttribute& href) {
  std::optional<std::string> base_url = WebLinkUrl(href.value, nullptr);
  if (!base_url.has_value()) return std::nullopt;
  absl::StatusOr<url::ParsedUrl> parsed = url::ParseUrl(*base_url);
  if (!parsed.ok()) return std::nullopt;
  return *std::move(parsed);
}

// Calls `visit` on every node of `output` in tree order. Iterative:
// malformed mail can nest deeper than a recursion should go.
template <typename Visit>
void ForEachNode(const GumboOutput& output, Visit visit) {
  std::vector<const GumboNode*> stack = {output.document};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    visit(node);
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT ||
               node->type == GUMBO_NODE_TEMPLATE) {
      children = &node->v.element.children;
    }
    if (children == nullptr) continue;
    for (unsigned i = children->length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children->data[i - 1]));
    }
  }
}

// One pass in tree order: the first <base href> sets the base for every
// link (browsers apply it to the whole document), so links are resolved
// after the walk.
DocumentLinks FindLinkAttributes(const GumboOutput& output) {
  DocumentLinks links;
  bool base_seen = false;
  ForEachNode(output, [&](const GumboNode* node) {
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) {
      return;
    }
    const GumboElement& element = node->v.element;
    if (element.tag == GUMBO_TAG_BASE && !base_seen) {
      if (const GumboAttribute* href =
              gumbo_get_attribute(&element.attributes, "href");
          href != nullptr) {
        base_seen = true;
        links.base = BaseUrlOf(*href);
      }
    }
    LinkSlot slot = LinkSlotOf(element.tag);
    // Outlook's VML buttons ("<v:roundrect href=...>"): a link in the
    // mail Outlook shows.
    if (slot.name == nullptr && element.tag == GUMBO_TAG_UNKNOWN &&
        std::string_view(element.original_tag.data, element.original_tag.length)
                .find(':') != std::string_view::npos) {
      slot = {"href", LinkLocation::kHtmlAnchor};
    }
    if (slot.name != nullptr) {
      if (const GumboAttribute* attribute =
              gumbo_get_attribute(&element.attributes, slot.name);
          attribute != nullptr) {
        links.found.push_back({node, attribute, slot.name, slot.location});
      }
    }
  });
  return links;
}

// The links of `html`'s attributes, in source order: each attribute
// gumbo kept, then the later duplicates it dropped. Gumbo clones
// formatting elements such as <a> when it repairs misnested markup; a
// clone points at the same source bytes, so each offset counts once.
std::vector<Candidate> LinkCandidates(std::string_view html,
                                      const DocumentLinks& links) {
  std::vector<Candidate> candidates;
  std::unordered_set<size_t> offsets_seen;
  const url::ParsedUrl* base_url =
      links.base.has_value() ? &*links.base : nullptr;
  for (const FoundAttribute& f : links.found) {
    std::optional<std::pair<size_t, size_t>> range =
        ValueRange(html, f.attribute);
    if (range.has_value() && offsets_seen.insert(range->first).second) {
      if (std::optional<std::string> url =
              WebLinkUrl(f.attribute->value, base_url);
          url.has_value()) {
        candidates.push_back({range->first, range->second, *std::move(url),
                              f.location, f.element});
      }
    }
    const GumboStringPiece& tag = f.element->v.element.original_tag;
    if (tag.data == nullptr || tag.data < html.data() ||
        tag.data + tag.length > html.data() + html.size()) {
      continue;
    }
    const size_t tag_offset = tag.data - html.data();
    for (const auto& [start, length] :
         DuplicateValues(std::string_view(tag.data, tag.length), f.name)) {
      if (!offsets_seen.insert(tag_offset + start).second) continue;
      std::optional<std::string> url = WebLinkUrl(
          DecodeAttributeValue(html.substr(tag_offset + start, length)),
          base_url);
      if (!url.has_value()) continue;
      candidates.push_back(
          {tag_offset + start, length, *std::move(url), f.location, f.element});
    }
  }
  // Tree order can differ from source order (foster parenting in tables);
  // the handler sees links in the order a reader meets them.
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) {
              return a.offset < b.offset;
            });
  return candidates;
}

// The markup inside Outlook's downlevel-hidden conditional comments
// ("<!--[if mso]> ... <![endif]-->"), as views into the parsed buffer:
// Outlook renders it and other readers do not, so its links are links
// only Outlook users see, and click.
std::vector<std::string_view> ConditionalCommentMarkup(
    const GumboOutput& output) {
  std::vector<std::string_view> markup;
  ForEachNode(output, [&](const GumboNode* node) {
    if (node->type != GUMBO_NODE_COMMENT) return;
    const GumboStringPiece& original = node->v.text.original_text;
    const std::string_view comment(original.data, original.length);
    // "<!--[if mso]>" ... "<![endif]-->", any case and spacing.
    size_t at = 4;
    while (at < comment.size() && absl::ascii_isspace(comment[at])) ++at;
    if (comment.size() < 7 || comment.substr(0, 4) != "<!--" ||
        !absl::StartsWithIgnoreCase(
            absl::string_view(comment.data() + at, comment.size() - at),
            "[if")) {
      return;
    }
    const size_t open_end = comment.find("]>", at);
    if (open_end == std::string_view::npos) return;
    size_t end = comment.size();
    if (comment.ends_with("-->")) end -= 3;
    const size_t endif = comment.rfind("<![endif]", end);
    if (endif != std::string_view::npos && endif > open_end) end = endif;
    if (end > open_end + 2) {
      markup.push_back(comment.substr(open_end + 2, end - open_end - 2));
    }
  });
  return markup;
}

// Offers each link to the session; the splices put its replacements in.
std::vector<Splice> OfferLinks(std::vector<Candidate>& candidates,
                               std::string_view part, LinkSession& session) {
  std::vector<Splice> splices;
  for (Candidate& c : candidates) {
    FoundLink link;
    link.url = std::move(c.url);
    link.location = c.location;
    if (c.location != LinkLocation::kHtmlForm) {
      link.display_text = DisplayText(c.element);
    }
    link.part = std::string(part);
    std::optional<std::string> replacement = session.Offer(link);
    if (!replacement.has_value()) continue;
    splices.push_back({c.offset, c.length, QuotedAttributeValue(*replacement)});
  }
  return splices;
}

}  // namespace

std::string RewriteHtmlLinks(std::string_view html, std::string_view part,
                             LinkSession& session) {
  if (!MayHaveLinks(html)) return std::string(html);
  GumboOptions options = kGumboDefaultOptions;
  // Parse errors are not used; recording them costs an allocation each.
  options.max_errors = 0;
  // gumbo's time grows faster than the square of the nesting depth
  // (html_nesting.h): a deeply nested body is parsed with its deepest
  // start tags blanked, at the same offsets, and the original is spliced.
  // Most bodies have too few tags for that, and are parsed where they lie.
  std::string bounded;
  if (MayNestPast(html)) {
    bounded.assign(html);
    BoundHtmlNesting(bounded);
  }
  const std::string_view parsed = bounded.empty() ? html : bounded;
  std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
      gumbo_parse_with_options(&options, parsed.data(), parsed.size()));
  if (output == nullptr) return std::string(html);

  DocumentLinks links = FindLinkAttributes(*output);
  std::vector<Candidate> candidates = LinkCandidates(parsed, links);
  // Conditional comments are parsed where they lie in the buffer, so the
  // offsets of their links are the document's; their trees must outlive
  // the candidates that point into them.
  std::vector<std::unique_ptr<GumboOutput, GumboOutputDeleter>> hidden;
  for (std::string_view markup : ConditionalCommentMarkup(*output)) {
    const size_t offset = static_cast<size_t>(markup.data() - parsed.data());
    // A comment's tags count in the document's: only a bounded document
    // can hold one that nests too deep.
    if (!bounded.empty()) {
      std::string inner(markup);
      if (BoundHtmlNesting(inner) > 0) {
        bounded.replace(offset, inner.size(), inner);
      }
    }
    auto& tree = hidden.emplace_back(gumbo_parse_with_options(
        &options, parsed.data() + offset, markup.size()));
    if (tree == nullptr) continue;
    DocumentLinks inner_links = FindLinkAttributes(*tree);
    if (!inner_links.base.has_value()) inner_links.base = links.base;
    std::vector<Candidate> more = LinkCandidates(parsed, inner_links);
    candidates.insert(candidates.end(), std::make_move_iterator(more.begin()),
                      std::make_move_iterator(more.end()));
  }
  if (!hidden.empty()) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                       return a.offset < b.offset;
                     });
  }
  std::vector<Splice> splices = OfferLinks(candidates, part, session);
  if (splices.empty()) return std::string(html);
  return ApplySplices(html, splices);
}

}  // namespace lureguard::links::internal
