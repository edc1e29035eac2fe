#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "server/url/internal/ipv6.h"
#include "server/url/url.h"

namespace lureguard::url {

std::optional<std::string> EmbeddedIpv4(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::optional<internal::IPv6Address> address =
      internal::ParseIPv6(host);
  if (!address) return std::nullopt;
  const internal::IPv6Address& a = *address;
  const bool zero_80 =
      a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0;
  const bool mapped = zero_80 && a[5] == 0xffff;
  const bool compatible =
      zero_80 && a[5] == 0 && (a[6] != 0 || a[7] > 1);  // not :: or ::1
  const bool nat64 = a[0] == 0x64 && a[1] == 0xff9b && a[2] == 0 && a[3] == 0 &&
                     a[4] == 0 && a[5] == 0;
  if (!mapped && !compatible && !nat64) return std::nullopt;
  return absl::StrCat(a[6] >> 8, ".", a[6] & 0xff, ".", a[7] >> 8, ".",
                      a[7] & 0xff);
}

}  // namespace lureguard::url
