// IPv4 host forms of the WHATWG URL Standard (section 3.5): a browser
// contacts 127.0.0.1 for "2130706433", "0x7f.1" and "0177.0.0.01".

#ifndef LUREGUARD_SERVER_URL_INTERNAL_IPV4_H_
#define LUREGUARD_SERVER_URL_INTERNAL_IPV4_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lureguard::url::internal {

// The "ends in a number checker": true when the last label (ignoring one
// trailing dot) is all digits or a valid 0x/octal/decimal number, in which
// case the host must parse as IPv4 or the URL is invalid.
bool EndsInANumber(std::string_view host);

// The "IPv4 parser": 1 to 4 dot-separated parts, each decimal, octal
// (leading 0) or hex (0x), the last part filling the remaining bytes.
// nullopt on failure.
std::optional<uint32_t> ParseIPv4(std::string_view host);

// Dotted-quad serialization, appended to `out`.
void AppendIPv4(uint32_t address, std::string* out);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_IPV4_H_
