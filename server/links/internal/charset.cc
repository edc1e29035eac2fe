#include "server/links/internal/charset.h"

#include <gmime/gmime.h>

#include <cerrno>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "server/links/internal/gmime_init.h"

namespace lureguard::links::internal {
namespace {

bool EqualsIgnoreCase(std::string_view a, const char* b) {
  return g_ascii_strcasecmp(std::string(a).c_str(), b) == 0;
}

// U+10FE00 + b in UTF-8 is F4 8F B8+(b>>6) 80+(b&0x3F): plane 16 is
// private use, and no legacy charset maps a character there.
constexpr char kEscapeLead0 = '\xF4';
constexpr char kEscapeLead1 = '\x8F';
constexpr unsigned char kEscapeThirdFirst = 0xB8;

void AppendEscapedByte(unsigned char byte, std::string& out) {
  out.push_back(kEscapeLead0);
  out.push_back(kEscapeLead1);
  out.push_back(static_cast<char>(kEscapeThirdFirst + (byte >> 6)));
  out.push_back(static_cast<char>(0x80 + (byte & 0x3F)));
}

// The byte escaped at `text[at]`, or -1 when no escape starts there.
int EscapedByteAt(std::string_view text, size_t at) {
  if (at + 4 > text.size() || text[at] != kEscapeLead0 ||
      text[at + 1] != kEscapeLead1) {
    return -1;
  }
  const auto third = static_cast<unsigned char>(text[at + 2]);
  const auto fourth = static_cast<unsigned char>(text[at + 3]);
  if (third < kEscapeThirdFirst || third > kEscapeThirdFirst + 3 ||
      (fourth & 0xC0) != 0x80) {
    return -1;
  }
  return ((third - kEscapeThirdFirst) << 6) | (fourth & 0x3F);
}

// The bytes of one code unit of `charset`: a UTF-16 or UTF-32 decoder
// that refuses a unit goes on at the next unit, not inside it.
size_t CodeUnitBytes(std::string_view charset) {
  const absl::string_view name(charset.data(), charset.size());
  for (absl::string_view prefix : {"utf-16", "utf16", "ucs-2", "ucs2"}) {
    if (absl::StartsWithIgnoreCase(name, prefix)) return 2;
  }
  for (absl::string_view prefix : {"utf-32", "utf32", "ucs-4", "ucs4"}) {
    if (absl::StartsWithIgnoreCase(name, prefix)) return 4;
  }
  return 1;
}

// Converts `in` with `cd`, appending to `out`. With `escape_unit` > 0,
// the code unit of that many bytes iconv refuses is appended escaped and
// conversion goes on after it; with 0, it fails the conversion. Also
// fails on a character glibc could only approximate (iconv counts those
// as irreversible).
bool Convert(iconv_t cd, std::string_view in, size_t escape_unit,
             std::string& out) {
  char* in_ptr = const_cast<char*>(in.data());
  size_t in_left = in.size();
  std::string buffer(in.size() * 2 + 16, '\0');
  // The final call with no input flushes a stateful encoding's shift state.
  for (bool flushing = false;;) {
    char* out_ptr = buffer.data();
    size_t out_left = buffer.size();
    const size_t r = flushing
                         ? iconv(cd, nullptr, nullptr, &out_ptr, &out_left)
                         : iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    out.append(buffer.data(), buffer.size() - out_left);
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ or EINVAL: a byte that does not convert, or a sequence the
      // input ends inside.
      if (escape_unit == 0 || in_left == 0) return false;
      for (size_t i = 0; i < escape_unit && in_left > 0; ++i) {
        AppendEscapedByte(static_cast<unsigned char>(*in_ptr), out);
        ++in_ptr;
        --in_left;
      }
      continue;
    }
    if (r > 0) return false;
    if (flushing) return true;
    flushing = true;
  }
}

}  // namespace

bool IsUtf8Charset(std::string_view charset) {
  return EqualsIgnoreCase(charset, "utf-8") ||
         EqualsIgnoreCase(charset, "utf8");
}

bool IsUsAsciiCharset(std::string_view charset) {
  return EqualsIgnoreCase(charset, "us-ascii") ||
         EqualsIgnoreCase(charset, "ascii");
}

std::optional<std::string> ToUtf8(std::string_view bytes,
                                  std::string_view charset) {
  EnsureGMimeInitialized();
  iconv_t cd = g_mime_iconv_open("UTF-8", std::string(charset).c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  const bool ok = Convert(cd, bytes, CodeUnitBytes(charset), out);
  g_mime_iconv_close(cd);
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> FromUtf8(std::string_view utf8,
                                    std::string_view charset) {
  EnsureGMimeInitialized();
  iconv_t cd = g_mime_iconv_open(std::string(charset).c_str(), "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.reserve(utf8.size());
  bool ok = true;
  size_t run = 0;
  for (size_t at = 0; ok && at <= utf8.size();) {
    const int escaped = at < utf8.size() ? EscapedByteAt(utf8, at) : -1;
    if (at < utf8.size() && escaped < 0) {
      ++at;
      continue;
    }
    ok = Convert(cd, utf8.substr(run, at - run), /*escape_unit=*/0, out);
    if (escaped < 0) break;  // the end
    out.push_back(static_cast<char>(escaped));
    at += 4;
    run = at;
  }
  g_mime_iconv_close(cd);
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace lureguard::links::internal
