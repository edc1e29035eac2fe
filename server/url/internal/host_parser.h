// Host parsing: the WHATWG URL Standard's host parser for special schemes
// (what a browser will contact), and the lenient Safe Browsing host
// canonicalization built on it (what a list entry is hashed from).

#ifndef LUREGUARD_SERVER_URL_INTERNAL_HOST_PARSER_H_
#define LUREGUARD_SERVER_URL_INTERNAL_HOST_PARSER_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "server/url/url.h"

namespace lureguard::url::internal {

// WHATWG "host parser" (not opaque): IPv6 in brackets, else percent-decode,
// domain to ASCII, forbidden domain code points, and IPv4 when the host ends
// in a number. Replaces `*out` with the serialized host. InvalidArgument
// naming the host on failure.
absl::Status ParseWhatwgHost(std::string_view input, std::string* out,
                             HostKind* kind);

// Safe Browsing host rules applied to a host the WHATWG parser accepted:
// leading and trailing dots removed, runs of dots collapsed, and IPv4
// normalization when that leaves a number. False when no label remains.
bool CanonicalizeWhatwgHostForSafeBrowsing(std::string_view whatwg_host,
                                           std::string* out, HostKind* kind);

// Safe Browsing canonicalization of a raw host that the WHATWG parser may
// reject ("host%23.com", " x.com", invalid UTF-8): repeated unescaping, dot
// rules, then the WHATWG parse when it succeeds, else ASCII lowercasing;
// bytes <= 0x20, >= 0x7f, '#' and '%' escaped. False when the host is empty
// or, not being a valid host, holds one of / \ ? @ : once unescaped.
bool CanonicalizeRawHostForSafeBrowsing(std::string_view raw, std::string* out,
                                        HostKind* kind);

// Removes leading and trailing dots and collapses runs of dots in place.
void CollapseDots(std::string* host);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_HOST_PARSER_H_
