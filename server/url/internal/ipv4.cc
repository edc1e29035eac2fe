#include "server/url/internal/ipv4.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace lureguard::url::internal {
namespace {

// Values above this are only "too big"; saturating keeps the arithmetic
// defined for parts of any length.
constexpr uint64_t kSaturated = uint64_t{1} << 40;

// WHATWG "IPv4 number parser". nullopt on failure.
std::optional<uint64_t> ParseIPv4Number(std::string_view part) {
  if (part.empty()) return std::nullopt;
  int radix = 10;
  if (part.size() >= 2 && part[0] == '0' &&
      (part[1] == 'x' || part[1] == 'X')) {
    radix = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    radix = 8;
    part.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : part) {
    int digit;
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digit = c - '0';
    } else if (radix == 16 &&
               absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      digit = (c | 0x20) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    if (digit >= radix) return std::nullopt;
    value = value * radix + digit;
    if (value > kSaturated) value = kSaturated;
  }
  return value;
}

}  // namespace

bool EndsInANumber(std::string_view host) {
  if (!host.empty() && host.back() == '.') {
    host.remove_suffix(1);
    // A lone "." has one empty part: not a number.
    if (host.empty()) return false;
  }
  const size_t dot = host.rfind('.');
  const std::string_view last =
      dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  bool all_digits = true;
  for (char c : last) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      all_digits = false;
      break;
    }
  }
  return all_digits || ParseIPv4Number(last).has_value();
}

std::optional<uint32_t> ParseIPv4(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  uint64_t numbers[4];
  int count = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = host.find('.', start);
    const std::string_view part = host.substr(
        start,
        dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (count == 4) return std::nullopt;
    const std::optional<uint64_t> n = ParseIPv4Number(part);
    if (!n.has_value()) return std::nullopt;
    numbers[count++] = *n;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  for (int i = 0; i + 1 < count; ++i) {
    if (numbers[i] > 255) return std::nullopt;
  }
  const int last_bits = 8 * (5 - count);
  if (numbers[count - 1] >= (uint64_t{1} << last_bits)) return std::nullopt;
  uint64_t address = numbers[count - 1];
  for (int i = 0; i + 1 < count; ++i) {
    address += numbers[i] << (8 * (3 - i));
  }
  return static_cast<uint32_t>(address);
}

void AppendIPv4(uint32_t address, std::string* out) {
  absl::StrAppend(out, address >> 24, ".", (address >> 16) & 0xff, ".",
                  (address >> 8) & 0xff, ".", address & 0xff);
}

}  // namespace lureguard::url::internal
