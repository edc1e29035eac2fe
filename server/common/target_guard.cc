#include "server/common/target_guard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard {
namespace {

struct Block {
  const char* range;
  absl::string_view reason;
};

// IANA's IPv4 and IPv6 special-purpose address registries (RFC 6890 and
// updates): every block that is not globally reachable unicast.
constexpr std::array<Block, 16> kIpv4Blocks = {{
    {"0.0.0.0/8", "unspecified address (0.0.0.0/8)"},
    {"10.0.0.0/8", "private address (RFC 1918)"},
    {"100.64.0.0/10", "shared address space (100.64.0.0/10, CGNAT)"},
    {"127.0.0.0/8", "loopback address"},
    {"169.254.0.0/16", "link-local address"},
    {"172.16.0.0/12", "private address (RFC 1918)"},
    {"192.0.0.0/24", "IETF protocol assignment (192.0.0.0/24)"},
    {"192.0.2.0/24", "documentation address (TEST-NET-1)"},
    {"192.88.99.0/24", "6to4 relay anycast address"},
    {"192.168.0.0/16", "private address (RFC 1918)"},
    {"198.18.0.0/15", "benchmarking address (198.18.0.0/15)"},
    {"198.51.100.0/24", "documentation address (TEST-NET-2)"},
    {"203.0.113.0/24", "documentation address (TEST-NET-3)"},
    {"224.0.0.0/4", "multicast address"},
    {"240.0.0.0/4", "reserved address (240.0.0.0/4)"},
    {"255.255.255.255/32", "broadcast address"},
}};

constexpr std::array<Block, 10> kIpv6Blocks = {{
    {"::/128", "unspecified address"},
    {"::1/128", "loopback address"},
    {"64:ff9b:1::/48", "local-use NAT64 address"},
    {"100::/64", "discard-only address"},
    {"2001::/23", "IETF protocol assignment (2001::/23)"},
    {"2001:db8::/32", "documentation address"},
    {"fc00::/7", "unique local address (fc00::/7)"},
    {"fe80::/10", "link-local address"},
    {"fec0::/10", "site-local address"},
    {"ff00::/8", "multicast address"},
}};

std::optional<absl::string_view> Ipv4Reason(const IpAddress& address) {
  for (const Block& block : kIpv4Blocks) {
    if (ParseIpRange(block.range)->Contains(address)) return block.reason;
  }
  return std::nullopt;
}

IpAddress Ipv4At(const IpAddress& v6, int offset) {
  IpAddress v4;
  for (int i = 0; i < 4; ++i) v4.bytes[i] = v6.bytes[offset + i];
  return v4;
}

bool InRange(const IpAddress& address, const char* range) {
  return ParseIpRange(range)->Contains(address);
}

}  // namespace

std::optional<absl::string_view> NonPublicAddressReason(
    const IpAddress& address) {
  if (!address.is_v6) return Ipv4Reason(address);
  // Addresses that carry an IPv4 address reach that address.
  if (InRange(address, "::ffff:0:0/96") || InRange(address, "64:ff9b::/96")) {
    return Ipv4Reason(Ipv4At(address, 12));
  }
  if (InRange(address, "2002::/16")) return Ipv4Reason(Ipv4At(address, 2));
  for (const Block& block : kIpv6Blocks) {
    if (InRange(address, block.range)) return block.reason;
  }
  // Only 2000::/3 is allocated as global unicast.
  if (!InRange(address, "2000::/3")) {
    return "reserved address (outside 2000::/3)";
  }
  return std::nullopt;
}

namespace {

constexpr absl::string_view kPrivateTargetsHint =
    "(server not started with --allow_private_targets)";

class GetAddrInfoResolver final : public Resolver {
 public:
  absl::StatusOr<std::vector<IpAddress>> Resolve(
      const std::string& host) const override {
    addrinfo hints = {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list); rc != 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot resolve '", host, "': ", gai_strerror(rc)));
    }
    std::vector<IpAddress> addresses;
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
      IpAddress address;
      if (ai->ai_family == AF_INET) {
        address.is_v6 = false;
        std::memcpy(address.bytes.data(),
                    &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, 4);
      } else if (ai->ai_family == AF_INET6) {
        address.is_v6 = true;
        std::memcpy(address.bytes.data(),
                    &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr,
                    16);
      } else {
        continue;
      }
      bool seen = false;
      for (const IpAddress& a : addresses) {
        seen |= a.is_v6 == address.is_v6 && a.bytes == address.bytes;
      }
      if (!seen) addresses.push_back(address);
    }
    freeaddrinfo(list);
    return addresses;
  }
};

}  // namespace

const Resolver& SystemResolver() {
  static const GetAddrInfoResolver* resolver = new GetAddrInfoResolver();
  return *resolver;
}

PinnedResolver::PinnedResolver(
    std::vector<std::pair<std::string, IpAddress>> pins,
    const Resolver& fallback)
    : pins_(std::move(pins)), fallback_(fallback) {}

absl::StatusOr<std::vector<IpAddress>> PinnedResolver::Resolve(
    const std::string& host) const {
  std::vector<IpAddress> pinned;
  for (const auto& [name, address] : pins_) {
    if (name == host) pinned.push_back(address);
  }
  if (!pinned.empty()) return pinned;
  return fallback_.Resolve(host);
}

std::string IpAddressText(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.is_v6 ? AF_INET6 : AF_INET, address.bytes.data(), text,
            sizeof(text));
  return text;
}

absl::Status CheckTargetAddresses(absl::string_view host,
                                  const std::vector<IpAddress>& addresses,
                                  const TargetPolicy& policy,
                                  absl::string_view verb) {
  if (policy.allow_private_targets) return absl::OkStatus();
  const bool literal = ParseIpAddress(host).has_value();
  for (const IpAddress& address : addresses) {
    std::optional<std::string> reason;
    if (policy.refusal_reason) {
      reason = policy.refusal_reason(address);
    } else if (std::optional<absl::string_view> why =
                   NonPublicAddressReason(address)) {
      reason = std::string(*why);
    }
    if (!reason) continue;
    return absl::PermissionDeniedError(absl::StrCat(
        "refusing to ", verb, " ", host,
        literal ? "" : absl::StrCat(" (", IpAddressText(address), ")"), ": ",
        *reason, " ", kPrivateTargetsHint));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<IpAddress>> ResolveTarget(const std::string& host,
                                                     const Resolver& resolver,
                                                     const TargetPolicy& policy,
                                                     absl::string_view verb) {
  std::vector<IpAddress> addresses;
  if (std::optional<IpAddress> literal = ParseIpAddress(host)) {
    addresses.push_back(*literal);
  } else {
    ASSIGN_OR_RETURN(std::vector<IpAddress> resolved, resolver.Resolve(host));
    if (resolved.empty()) {
      return absl::UnavailableError(
          absl::StrCat("'", host, "' has no addresses"));
    }
    addresses = std::move(resolved);
  }
  RETURN_IF_ERROR(CheckTargetAddresses(host, addresses, policy, verb));
  return addresses;
}

}  // namespace lureguard
