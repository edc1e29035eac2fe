// Which network addresses the server may connect to on an admin's, a
// feed's or a checked URL's behalf (feed fetches, TLS probes). Such targets
// are attacker-influenced (a compromised feed can redirect, a phishing URL
// names any host), so by default only public unicast addresses are
// reachable: never loopback, private, link-local or cloud metadata
// addresses (SSRF). `--allow_private_targets` (tests only) lifts the rule.
//
// Callers resolve a host once (`ResolveTarget`), which checks every
// address, and then connect only to the addresses it returned, so DNS
// cannot swap them between the check and the connect.
//
// Thread safety: pure functions; `SystemResolver()` is safe for concurrent
// use.
//
// Example:
//   std::optional<absl::string_view> why =
//       NonPublicAddressReason(*ParseIpAddress("169.254.169.254"));
//   // *why == "link-local address"
//   absl::StatusOr<std::vector<IpAddress>> addresses =
//       ResolveTarget("feed.example", SystemResolver(), {}, "fetch");

#ifndef LUREGUARD_SERVER_COMMON_TARGET_GUARD_H_
#define LUREGUARD_SERVER_COMMON_TARGET_GUARD_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/common/ip_range.h"

namespace lureguard {

// Why `address` is not a public unicast address ("loopback address",
// "private address (RFC 1918)", ...), or nullopt when it is one. IPv4
// addresses embedded in IPv6 (mapped, NAT64, 6to4) are judged as IPv4.
std::optional<absl::string_view> NonPublicAddressReason(
    const IpAddress& address);

// Resolves host names to addresses: getaddrinfo() in production, a fixed
// map in tests (so a test can point `paypa1-login.com` at its loopback
// server without DNS).
class Resolver {
 public:
  virtual ~Resolver() = default;
  // The host's distinct addresses. Unavailable (naming the host) when it
  // does not resolve.
  virtual absl::StatusOr<std::vector<IpAddress>> Resolve(
      const std::string& host) const = 0;
};

// getaddrinfo(); lives for the whole process.
const Resolver& SystemResolver();

// What the guard lets through.
struct TargetPolicy {
  // --allow_private_targets: loopback and private addresses are allowed.
  bool allow_private_targets = false;
  // Why an address is refused, or nullopt to allow it; consulted only
  // without allow_private_targets. NonPublicAddressReason when empty.
  // Tests allow their loopback server this way while refusing the rest.
  std::function<std::optional<std::string>(const IpAddress&)> refusal_reason;
};

// PermissionDenied when any of `addresses` (what `host` resolved to) is
// refused by `policy`: "refusing to <verb> <host> (<address>): <why>
// (server not started with --allow_private_targets)"; the address is left
// out when `host` is itself that IP literal.
absl::Status CheckTargetAddresses(absl::string_view host,
                                  const std::vector<IpAddress>& addresses,
                                  const TargetPolicy& policy,
                                  absl::string_view verb);

// Resolves `host` once (an IP literal, with or without brackets, is taken
// as is) and checks every address with CheckTargetAddresses. Unavailable
// when the host does not resolve or has no address.
absl::StatusOr<std::vector<IpAddress>> ResolveTarget(const std::string& host,
                                                     const Resolver& resolver,
                                                     const TargetPolicy& policy,
                                                     absl::string_view verb);

// An address as text: "192.0.2.1", "2001:db8::1" (no brackets).
std::string IpAddressText(const IpAddress& address);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_TARGET_GUARD_H_
