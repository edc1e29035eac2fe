// The host a lenient pre-WHATWG URL parser would take, to detect inputs
// where filters built on such parsers and browsers disagree. Implemented in
// legacy_parser.cc.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_LEGACY_PARSER_H_
#define LUREGUARD_SERVER_URL_INTERNAL_LEGACY_PARSER_H_

#include <string_view>

namespace lureguard::url::internal {

// The host of preprocessed input as RFC 3986 splitters such as Python's
// urlsplit() see it: the authority follows "scheme://" (or "//", or starts
// the string for scheme-less input), ends at the first '/', '?' or '#' (a
// '\' is data), loses everything up to its last '@', and ends at ':' or
// after "[...]". A view into `input`, not decoded or lowercased; empty when
// there is no authority.
std::string_view LegacyHost(std::string_view input);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_LEGACY_PARSER_H_
