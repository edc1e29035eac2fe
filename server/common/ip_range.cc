#include "server/common/ip_range.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lureguard {

std::optional<IpAddress> ParseIpAddress(absl::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  // Longest textual IPv6 address with an embedded IPv4 tail is 45 bytes.
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buffer[46];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  IpAddress address;
  if (inet_pton(AF_INET, buffer, address.bytes.data()) == 1) return address;
  if (inet_pton(AF_INET6, buffer, address.bytes.data()) == 1) {
    address.is_v6 = true;
    return address;
  }
  return std::nullopt;
}

IpAddress MaskAddress(const IpAddress& address, int prefix_length) {
  IpAddress masked = address;
  for (int i = 0; i < masked.ByteLength(); ++i) {
    const int bits_in_byte = prefix_length - i * 8;
    if (bits_in_byte >= 8) continue;
    if (bits_in_byte <= 0) {
      masked.bytes[i] = 0;
    } else {
      masked.bytes[i] &= static_cast<uint8_t>(0xff << (8 - bits_in_byte));
    }
  }
  return masked;
}

bool IpRange::Contains(const IpAddress& address) const {
  if (address.is_v6 != network.is_v6) return false;
  return MaskAddress(address, prefix_length).bytes == network.bytes;
}

std::string IpRange::ToString() const {
  char buffer[INET6_ADDRSTRLEN];
  inet_ntop(network.is_v6 ? AF_INET6 : AF_INET, network.bytes.data(), buffer,
            sizeof(buffer));
  return absl::StrCat(buffer, "/", prefix_length);
}

absl::StatusOr<IpRange> ParseIpRange(absl::string_view text) {
  absl::string_view address_text = text;
  std::optional<int> length;
  if (size_t slash = text.find('/'); slash != absl::string_view::npos) {
    address_text = text.substr(0, slash);
    int parsed = 0;
    absl::string_view length_text = text.substr(slash + 1);
    if (length_text.empty() || length_text.size() > 3 ||
        !absl::SimpleAtoi(length_text, &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "': prefix length is not a number"));
    }
    length = parsed;
  }
  std::optional<IpAddress> address = ParseIpAddress(address_text);
  if (!address) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': not an IPv4 or IPv6 address"));
  }
  IpRange range;
  range.prefix_length = length.value_or(address->BitLength());
  if (range.prefix_length < 0 || range.prefix_length > address->BitLength()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "': prefix length must be 0..", address->BitLength()));
  }
  range.network = MaskAddress(*address, range.prefix_length);
  if (range.network.bytes != address->bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "': host bits are set; the network is ", range.ToString()));
  }
  return range;
}

}  // namespace lureguard
