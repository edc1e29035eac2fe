// Which network addresses the server may fetch from on an admin's or a
// feed's behalf. A feed URL is attacker-influenced (a compromised feed can
// redirect), so by default only public unicast addresses are reachable:
// never loopback, private, link-local or cloud metadata addresses (SSRF).
// `--allow_private_targets` (tests only) lifts the rule.
//
// Thread safety: pure functions.
//
// Example:
//   std::optional<absl::string_view> why =
//       NonPublicAddressReason(*ParseIpAddress("169.254.169.254"));
//   // *why == "link-local address"

#ifndef LUREGUARD_SERVER_LISTS_TARGET_GUARD_H_
#define LUREGUARD_SERVER_LISTS_TARGET_GUARD_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "server/lists/ip_range.h"

namespace lureguard::lists {

// Why `address` is not a public unicast address ("loopback address",
// "private address (RFC 1918)", ...), or nullopt when it is one. IPv4
// addresses embedded in IPv6 (mapped, NAT64, 6to4) are judged as IPv4.
std::optional<absl::string_view> NonPublicAddressReason(
    const IpAddress& address);

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_TARGET_GUARD_H_
