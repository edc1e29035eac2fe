// IPv6 host literals (WHATWG URL Standard sections 3.5 and 3.6): parsing
// with "::" compression and a trailing dotted IPv4 part, and the compressed
// lowercase serialization browsers show.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_IPV6_H_
#define LUREGUARD_SERVER_URL_INTERNAL_IPV6_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lureguard::url::internal {

using IPv6Address = std::array<uint16_t, 8>;

// Parses the text between the brackets. nullopt on failure.
std::optional<IPv6Address> ParseIPv6(std::string_view input);

// Appends "[...]" with the first longest run of two or more zero pieces
// compressed to "::".
void AppendIPv6(const IPv6Address& address, std::string* out);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_IPV6_H_
