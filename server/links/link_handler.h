// The links engine's extension point: who decides what a link becomes.
//
// The rewriters (message_rewriter.h) find links in mail bodies and ask a
// LinkHandler, once per link and in document order, what to write instead.
// The handler owns policy (unwrapping, do-not-rewrite lists, signing click
// URLs, skipping links already wrapped by us); the rewriters own the bytes.
//
// Thread-safety: a LinkHandler is called from the thread that runs the
// rewrite and is never shared by the rewriters across threads.
#ifndef LUREGUARD_SERVER_LINKS_LINK_HANDLER_H_
#define LUREGUARD_SERVER_LINKS_LINK_HANDLER_H_

#include <optional>
#include <string>
#include <string_view>

namespace lureguard::links {

// Where a link was found; click pages and per-link results report it.
enum class LinkLocation {
  kHtmlAnchor,  // <a href>
  kHtmlArea,    // <area href> (image maps)
  kHtmlForm,    // <form action>
  kText,        // a URL in plain text
};

// A stable lower-case name for per-link results and logs: "html_anchor",
// "html_area", "html_form", "text".
std::string_view LinkLocationName(LinkLocation location);

// One http(s) link as a reader of the mail would follow it.
struct FoundLink {
  // As a browser would follow it: entities decoded, <base href> applied,
  // leading and trailing blanks trimmed. Always http:// or https:// (a text
  // link written "www.host" is reported as "http://www.host").
  std::string url;
  // Anchor text, tags stripped, whitespace collapsed; empty for kText and
  // kHtmlForm.
  std::string display_text;
  LinkLocation location = LinkLocation::kText;
  // MIME part path ("1", "1.2"); "" for a single body.
  std::string part;
  // In a message attached to this one (message/rfc822, a forwarded mail):
  // its links are offered to be judged, but its bytes stay as they are,
  // so a replacement is not written.
  bool in_attached_message = false;
};

// Decides the fate of each link; called once per link, in document order.
//
// Example:
//   class WrapAll : public LinkHandler {
//    public:
//     std::optional<std::string> Replace(const FoundLink& link) override {
//       if (link.url.starts_with("https://click.example/")) return
//       std::nullopt; return "https://click.example/c/" + Sign(link.url);
//     }
//   };
class LinkHandler {
 public:
  virtual ~LinkHandler() = default;
  // The URL to write in place of link.url, or std::nullopt to leave the
  // link untouched. A URL with a blank or control character is refused
  // (the link stays). The rewriters escape the value for its context (HTML
  // attribute, plain text) and re-encode the part; the handler returns the
  // plain URL.
  virtual std::optional<std::string> Replace(const FoundLink& link) = 0;
};

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_LINK_HANDLER_H_
