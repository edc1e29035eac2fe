// ResolveUrl: the WHATWG URL Standard's parser given an http(s) base URL,
// for links written relative to a document (<base href>). The reference is
// joined to the base as the Standard's relative states would, then the
// joined absolute URL goes through ParseUrl, so host, port and path rules
// (dot segments, backslashes, percent-encoding) are the parser's own.

#include "absl/strings/str_cat.h"
#include "server/url/internal/ascii.h"
#include "server/url/internal/url_split.h"
#include "server/url/url.h"

namespace lureguard::url {
namespace {

bool IsSlash(char c) { return c == '/' || c == '\\'; }
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }

// Length of a leading "scheme:" (scheme only), or 0 when there is none.
size_t SchemeLength(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return 0;
  size_t i = 1;
  while (i < s.size() &&
         (IsAlnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  return i < s.size() && s[i] == ':' ? i : 0;
}

// scheme://userinfo@host:port of `base`, without path.
std::string Origin(const ParsedUrl& base) {
  std::string out = absl::StrCat(base.scheme, "://");
  if (!base.username.empty() || !base.password.empty()) {
    out += base.username;
    if (!base.password.empty()) absl::StrAppend(&out, ":", base.password);
    out += '@';
  }
  out += base.host;
  if (base.port >= 0) absl::StrAppend(&out, ":", base.port);
  return out;
}

}  // namespace

absl::StatusOr<ParsedUrl> ResolveUrl(std::string_view reference,
                                     const ParsedUrl& base) {
  std::string buffer;
  std::string_view s = internal::PreprocessUrl(reference, &buffer);
  if (const size_t n = SchemeLength(s); n > 0) {
    std::string scheme(s.substr(0, n));
    internal::LowercaseAscii(&scheme);
    const std::string_view rest = s.substr(n + 1);
    // "http:path" and "http:/path" under an http base are relative to it
    // (special relative state); with any other scheme, or "//" after it, the
    // reference is absolute.
    if (scheme != base.scheme ||
        (rest.size() >= 2 && IsSlash(rest[0]) && IsSlash(rest[1]))) {
      return ParseUrl(s);
    }
    s = rest;
  }
  std::string joined;
  if (s.size() >= 2 && IsSlash(s[0]) && IsSlash(s[1])) {
    joined = base.scheme + ":";
    joined += s;
  } else if (!s.empty() && IsSlash(s[0])) {
    joined = Origin(base);
    joined += s;
  } else if (s.empty() || s[0] == '?' || s[0] == '#') {
    joined = absl::StrCat(Origin(base), base.path);
    if (s.empty() || s[0] == '#') {
      if (base.has_query) absl::StrAppend(&joined, "?", base.query);
    }
    joined += s;
  } else {
    // Path-relative: replaces the base path's last segment.
    const std::string_view dir =
        std::string_view(base.path).substr(0, base.path.rfind('/') + 1);
    joined = Origin(base);
    joined += dir;
    joined += s;
  }
  return ParseUrl(joined);
}

}  // namespace lureguard::url
