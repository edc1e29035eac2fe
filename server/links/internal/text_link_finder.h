// Finding URLs in plain text the way mail clients linkify them, so the
// links a reader can click are the links we rewrite.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_TEXT_LINK_FINDER_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_TEXT_LINK_FINDER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/links/internal/link_session.h"

namespace lureguard::links::internal {

// A URL written in plain text.
struct TextLink {
  size_t offset = 0;  // of the URL text in the input
  size_t length = 0;
  std::string url;  // http(s) URL; "www.x" is reported as "http://www.x"
};

// The http://, https:// and "www." URLs of `text`, in order. A URL starts
// at a word boundary and runs to a blank, a control character, '<', '>',
// '"' or '`'; then trailing ".,;:!?" and unbalanced ')', ']', '}', '\''
// are dropped ("(see http://x/a_(b))." keeps "a_(b)"). Matches that the
// WHATWG parser rejects are not links.
std::vector<TextLink> FindTextLinks(std::string_view text);

// Offers each link of FindTextLinks(text) to `session`, in order, and
// returns `text` with the accepted replacements written in place.
std::string RewriteTextLinks(std::string_view text, std::string_view part,
                             LinkSession& session);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_TEXT_LINK_FINDER_H_
