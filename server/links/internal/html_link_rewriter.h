// Link rewriting in one HTML document, on gumbo's parse tree and its source
// positions: the document is never re-serialised, only the bytes of the
// rewritten href/action attribute values change.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_HTML_LINK_REWRITER_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_HTML_LINK_REWRITER_H_

#include <string>
#include <string_view>

#include "server/links/internal/link_session.h"

namespace lureguard::links::internal {

// Offers every http(s) link of `html` (UTF-8; invalid bytes are tolerated
// and kept) to `session` in source order: <a href>, <area href>,
// <form action> (and <button>/<input> formaction), resolved against the
// first <base href>. Returns `html`
// with the accepted replacements written as double-quoted, HTML-escaped
// attribute values. `part` is copied into each FoundLink.
std::string RewriteHtmlLinks(std::string_view html, std::string_view part,
                             LinkSession& session);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_HTML_LINK_REWRITER_H_
