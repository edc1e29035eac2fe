// HTML escaping for what Lureguard writes into HTML: the click pages'
// text and the rewritten href values of mail bodies. One function, so
// both escape the same characters.

#ifndef LUREGUARD_SERVER_LINKS_HTML_ESCAPE_H_
#define LUREGUARD_SERVER_LINKS_HTML_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace lureguard::links {

// `text` with &, <, >, " and ' replaced by character references: safe in
// element content and in quoted attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_HTML_ESCAPE_H_
