// IPv4 and IPv6 addresses and CIDR ranges, for IP-literal hosts and IP
// list entries.
//
// Example:
//   absl::StatusOr<IpRange> range = ParseIpRange("203.0.113.0/24");
//   std::optional<IpAddress> ip = ParseIpAddress("203.0.113.9");
//   range->Contains(*ip);  // true

#ifndef LUREGUARD_SERVER_COMMON_IP_RANGE_H_
#define LUREGUARD_SERVER_COMMON_IP_RANGE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard {

// An IPv4 or IPv6 address in network byte order. IPv4 uses the first four
// bytes.
struct IpAddress {
  bool is_v6 = false;
  std::array<uint8_t, 16> bytes{};

  int BitLength() const { return is_v6 ? 128 : 32; }
  int ByteLength() const { return is_v6 ? 16 : 4; }
};

// Parses a textual address: dotted-quad IPv4 or IPv6 (with or without
// brackets). Returns nullopt for anything else.
std::optional<IpAddress> ParseIpAddress(absl::string_view text);

// A network: the address with all bits past `prefix_length` zero.
struct IpRange {
  IpAddress network;
  int prefix_length = 0;

  bool Contains(const IpAddress& address) const;
  // Canonical text, e.g. "203.0.113.0/24", "2001:db8::/32", "192.0.2.1/32".
  std::string ToString() const;
};

// Parses "ADDRESS" (a single host: /32 or /128) or "ADDRESS/LEN". Rejects
// out-of-range lengths and set host bits, with the reason in the message.
absl::StatusOr<IpRange> ParseIpRange(absl::string_view text);

// Returns `address` with the bits past `prefix_length` cleared.
IpAddress MaskAddress(const IpAddress& address, int prefix_length);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_IP_RANGE_H_
