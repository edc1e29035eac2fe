#include "server/url/internal/ipv6.h"

#include "absl/strings/ascii.h"
#include "server/url/internal/percent_encoding.h"

namespace lureguard::url::internal {

// A transcription of the Standard's "IPv6 parser" algorithm, step by step.
std::optional<IPv6Address> ParseIPv6(std::string_view input) {
  IPv6Address address{};
  int piece_index = 0;
  int compress = -1;
  size_t p = 0;
  const size_t n = input.size();
  auto at = [&](size_t i) -> char { return i < n ? input[i] : '\0'; };

  if (at(p) == ':') {
    if (at(p + 1) != ':') return std::nullopt;
    p += 2;
    ++piece_index;
    compress = piece_index;
  }
  while (p < n) {
    if (piece_index == 8) return std::nullopt;
    if (input[p] == ':') {
      if (compress != -1) return std::nullopt;
      ++p;
      ++piece_index;
      compress = piece_index;
      continue;
    }
    int value = 0;
    int length = 0;
    while (length < 4 && p < n && IsHexDigit(input[p])) {
      value = value * 0x10 + HexValue(input[p]);
      ++p;
      ++length;
    }
    if (at(p) == '.') {
      if (length == 0) return std::nullopt;
      p -= length;
      if (piece_index > 6) return std::nullopt;
      int numbers_seen = 0;
      while (p < n) {
        int ipv4_piece = -1;
        if (numbers_seen > 0) {
          if (input[p] == '.' && numbers_seen < 4) {
            ++p;
          } else {
            return std::nullopt;
          }
        }
        if (!absl::ascii_isdigit(static_cast<unsigned char>(at(p)))) {
          return std::nullopt;
        }
        while (absl::ascii_isdigit(static_cast<unsigned char>(at(p)))) {
          const int number = input[p] - '0';
          if (ipv4_piece == -1) {
            ipv4_piece = number;
          } else if (ipv4_piece == 0) {
            return std::nullopt;
          } else {
            ipv4_piece = ipv4_piece * 10 + number;
          }
          if (ipv4_piece > 255) return std::nullopt;
          ++p;
        }
        address[piece_index] =
            static_cast<uint16_t>(address[piece_index] * 0x100 + ipv4_piece);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece_index;
      }
      if (numbers_seen != 4) return std::nullopt;
      break;
    } else if (at(p) == ':') {
      ++p;
      if (p >= n) return std::nullopt;
    } else if (p < n) {
      return std::nullopt;
    }
    address[piece_index] = static_cast<uint16_t>(value);
    ++piece_index;
  }
  if (compress != -1) {
    int swaps = piece_index - compress;
    piece_index = 7;
    while (piece_index != 0 && swaps > 0) {
      std::swap(address[piece_index], address[compress + swaps - 1]);
      --piece_index;
      --swaps;
    }
  } else if (piece_index != 8) {
    return std::nullopt;
  }
  return address;
}

void AppendIPv6(const IPv6Address& address, std::string* out) {
  // Find the first longest run of at least two zero pieces.
  int best_start = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (address[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && address[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('[');
  bool ignore0 = false;
  for (int i = 0; i < 8; ++i) {
    if (ignore0 && address[i] == 0) continue;
    ignore0 = false;
    if (i == best_start) {
      out->append(i == 0 ? "::" : ":");
      ignore0 = true;
      continue;
    }
    const uint16_t v = address[i];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int digit = (v >> shift) & 0xf;
      if (digit == 0 && !started && shift != 0) continue;
      started = true;
      out->push_back(kHex[digit]);
    }
    if (i != 7) out->push_back(':');
  }
  out->push_back(']');
}

}  // namespace lureguard::url::internal
