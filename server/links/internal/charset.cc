#include "server/links/internal/charset.h"

#include <gmime/gmime.h>

#include <cerrno>

#include "server/links/internal/gmime_init.h"

namespace lureguard::links::internal {
namespace {

bool EqualsIgnoreCase(std::string_view a, const char* b) {
  return g_ascii_strcasecmp(std::string(a).c_str(), b) == 0;
}

std::optional<std::string> Convert(std::string_view in, const char* to,
                                   const char* from) {
  EnsureGMimeInitialized();
  iconv_t cd = g_mime_iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(in.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(in.data());
  size_t in_left = in.size();
  size_t done = 0;
  bool ok = true;
  // The final call with no input flushes a stateful encoding's shift state.
  for (bool flushing = false;;) {
    char* out_ptr = out.data() + done;
    size_t out_left = out.size() - done;
    const size_t r = flushing
                         ? iconv(cd, nullptr, nullptr, &out_ptr, &out_left)
                         : iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    done = out.size() - out_left;
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      ok = false;  // EILSEQ or EINVAL: a byte that does not convert
      break;
    }
    // glibc counts characters it had to approximate as irreversible.
    if (r > 0) {
      ok = false;
      break;
    }
    if (flushing) break;
    flushing = true;
  }
  g_mime_iconv_close(cd);
  if (!ok) return std::nullopt;
  out.resize(done);
  return out;
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
  const std::string name(charset);
  return Convert(bytes, "UTF-8", name.c_str());
}

std::optional<std::string> FromUtf8(std::string_view utf8,
                                    std::string_view charset) {
  const std::string name(charset);
  return Convert(utf8, name.c_str(), "UTF-8");
}

}  // namespace lureguard::links::internal
