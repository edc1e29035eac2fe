#include "server/url/internal/percent_encoding.h"

#include <array>

#include "server/url/url.h"

namespace lureguard::url::internal {
namespace {

constexpr uint8_t Bit(EncodeSet set) { return static_cast<uint8_t>(set); }

// One byte of set membership per input byte, built at compile time.
constexpr std::array<uint8_t, 256> BuildTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t m = 0;
    const bool c0 = c < 0x20 || c > 0x7e;
    if (c0) m |= Bit(EncodeSet::kC0Control);
    const bool fragment =
        c0 || c == ' ' || c == '"' || c == '<' || c == '>' || c == '`';
    if (fragment) m |= Bit(EncodeSet::kFragment);
    const bool query =
        c0 || c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
    if (query) m |= Bit(EncodeSet::kQuery);
    if (query || c == '\'') m |= Bit(EncodeSet::kSpecialQuery);
    const bool path =
        query || c == '?' || c == '^' || c == '`' || c == '{' || c == '}';
    if (path) m |= Bit(EncodeSet::kPath);
    const bool userinfo = path || c == '/' || c == ':' || c == ';' ||
                          c == '=' || c == '@' || (c >= '[' && c <= '^') ||
                          c == '|';
    if (userinfo) m |= Bit(EncodeSet::kUserinfo);
    if (c <= 0x20 || c >= 0x7f || c == '#' || c == '%') {
      m |= Bit(EncodeSet::kSafeBrowsing);
    }
    t[c] = m;
  }
  return t;
}

constexpr std::array<uint8_t, 256> kTable = BuildTable();
constexpr char kUpperHex[] = "0123456789ABCDEF";

}  // namespace

bool InEncodeSet(unsigned char c, EncodeSet set) {
  return (kTable[c] & Bit(set)) != 0;
}

void AppendEscapedByte(unsigned char c, std::string* out) {
  const char escaped[3] = {'%', kUpperHex[c >> 4], kUpperHex[c & 0xf]};
  out->append(escaped, 3);
}

void AppendPercentEncoded(std::string_view in, EncodeSet set,
                          std::string* out) {
  const uint8_t bit = Bit(set);
  size_t run_start = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if ((kTable[c] & bit) == 0) continue;
    out->append(in.data() + run_start, i - run_start);
    AppendEscapedByte(c, out);
    run_start = i + 1;
  }
  out->append(in.data() + run_start, in.size() - run_start);
}

void AppendPercentDecoded(std::string_view in, std::string* out) {
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && IsHexDigit(in[i + 1]) &&
        IsHexDigit(in[i + 2])) {
      out->push_back(
          static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out->push_back(in[i]);
    }
  }
}

void AppendFullyUnescaped(std::string_view in, std::string* out) {
  const size_t base = out->size();
  for (char c : in) {
    out->push_back(c);
    // Only the tail can form a new escape: the output holds none before
    // this byte, and a decoded byte may complete one with earlier bytes.
    while (out->size() - base >= 3) {
      const size_t n = out->size();
      const char a = (*out)[n - 3], h = (*out)[n - 2], l = (*out)[n - 1];
      if (a != '%' || !IsHexDigit(h) || !IsHexDigit(l)) break;
      out->resize(n - 3);
      out->push_back(static_cast<char>(HexValue(h) * 16 + HexValue(l)));
    }
  }
}

}  // namespace lureguard::url::internal

namespace lureguard::url {

std::string PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  internal::AppendPercentDecoded(in, &out);
  return out;
}

}  // namespace lureguard::url
