// Which written links are web links, and the URL a browser would follow.
// HTML attributes and plain text share this, so both agree on what reaches
// the LinkHandler: only http(s), never mailto:, tel:, cid:, data:,
// javascript: or a fragment of the same document.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_WEB_LINK_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_WEB_LINK_H_

#include <optional>
#include <string>
#include <string_view>

#include "server/url/url.h"

namespace lureguard::links::internal {

// The http(s) URL a browser follows for `written` (entities already
// decoded), or nullopt when it is not a web link. Leading and trailing
// blanks and embedded tabs and newlines are removed, as browsers do. A
// relative link resolves against `base`; with no base it is not a web
// link. A link written "http://..." or "https://..." is returned as written
// (after that trimming), so a handler sees vendor wrappers byte for byte;
// any other form as the WHATWG parser serialises it. The result always
// starts with "http://" or "https://".
std::optional<std::string> WebLinkUrl(std::string_view written,
                                      const url::ParsedUrl* base);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_WEB_LINK_H_
