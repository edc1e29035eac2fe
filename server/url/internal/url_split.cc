#include "server/url/internal/url_split.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/url/internal/ascii.h"

namespace lureguard::url::internal {
namespace {

bool IsC0OrSpace(char c) { return static_cast<unsigned char>(c) <= 0x20; }
bool IsTabOrNewline(char c) { return c == '\t' || c == '\n' || c == '\r'; }
bool IsSlash(char c) { return c == '/' || c == '\\'; }
bool IsSchemeChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '+' ||
         c == '-' || c == '.';
}

SchemeKind KindOf(std::string_view scheme) {
  if (scheme == "http") return SchemeKind::kHttp;
  if (scheme == "https") return SchemeKind::kHttps;
  if (scheme == "ws") return SchemeKind::kWs;
  if (scheme == "wss") return SchemeKind::kWss;
  if (scheme == "ftp") return SchemeKind::kFtp;
  if (scheme == "file") return SchemeKind::kFile;
  return SchemeKind::kOther;
}

// "evil.com:8080/x" and "localhost:80" are a host and a port, not a scheme:
// real schemes have no dots, and lists and users write hosts this way.
bool LooksLikeHostAndPort(std::string_view candidate, std::string_view rest) {
  if (candidate.find('.') == std::string_view::npos &&
      !EqualsIgnoreCase(candidate, "localhost")) {
    return false;
  }
  size_t digits = 0;
  while (digits < rest.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(rest[digits])))
    ++digits;
  if (digits == 0 || digits > 5) return false;
  return digits == rest.size() || IsSlash(rest[digits]) ||
         rest[digits] == '?' || rest[digits] == '#';
}

}  // namespace

std::string_view PreprocessUrl(std::string_view input, std::string* buffer) {
  while (!input.empty() && IsC0OrSpace(input.front())) input.remove_prefix(1);
  while (!input.empty() && IsC0OrSpace(input.back())) input.remove_suffix(1);
  size_t first = 0;
  while (first < input.size() && !IsTabOrNewline(input[first])) ++first;
  if (first == input.size()) return input;
  buffer->assign(input.data(), first);
  for (size_t i = first; i < input.size(); ++i) {
    if (!IsTabOrNewline(input[i])) buffer->push_back(input[i]);
  }
  return *buffer;
}

absl::Status SplitUrl(std::string_view s, UrlSplit* split) {
  *split = UrlSplit();
  if (s.empty()) return absl::InvalidArgumentError("URL is empty");

  size_t pos = 0;
  if (absl::ascii_isalpha(static_cast<unsigned char>(s[0]))) {
    size_t i = 1;
    while (i < s.size() && IsSchemeChar(s[i])) ++i;
    if (i < s.size() && s[i] == ':' &&
        !LooksLikeHostAndPort(s.substr(0, i), s.substr(i + 1))) {
      split->scheme.assign(s.substr(0, i));
      LowercaseAscii(&split->scheme);
      split->scheme_kind = KindOf(split->scheme);
      if (!split->is_special() || split->scheme_kind == SchemeKind::kFile) {
        return absl::OkStatus();
      }
      pos = i + 1;
      // WHATWG "special authority (ignore) slashes": any number of '/' or
      // '\' may precede the authority of a special URL without a base.
      while (pos < s.size() && IsSlash(s[pos])) ++pos;
      split->slashes = static_cast<int>(pos - i - 1);
    }
  }
  if (pos == 0) {
    split->scheme = "http";
    split->scheme_kind = SchemeKind::kHttp;
    split->scheme_less = true;
    if (IsSlash(s[0])) {
      // "//host/path" is scheme-relative; "/path" has no host at all.
      if (s.size() < 2 || !IsSlash(s[1])) {
        return absl::InvalidArgumentError(
            absl::StrCat("URL '", QuoteForMessage(s, 64),
                         "' is a path without a scheme or host"));
      }
      while (pos < s.size() && IsSlash(s[pos])) ++pos;
      split->slashes = static_cast<int>(pos);
    } else if (s[0] == '?' || s[0] == '#') {
      return absl::InvalidArgumentError(absl::StrCat(
          "URL '", QuoteForMessage(s, 64), "' has no scheme or host"));
    }
  }

  // Authority: up to the first '/', '\', '?' or '#'.
  size_t end = pos;
  size_t last_at = std::string_view::npos;
  for (; end < s.size(); ++end) {
    const char c = s[end];
    if (IsSlash(c) || c == '?' || c == '#') break;
    if (c == '@') {
      last_at = end;
      ++split->at_count;
    }
  }
  size_t host_start = pos;
  if (last_at != std::string_view::npos) {
    split->has_at = true;
    split->userinfo = s.substr(pos, last_at - pos);
    host_start = last_at + 1;
  }
  // Host: up to the first ':' outside brackets.
  bool in_brackets = false;
  size_t host_end = host_start;
  for (; host_end < end; ++host_end) {
    const char c = s[host_end];
    if (c == '[') in_brackets = true;
    if (c == ']') in_brackets = false;
    if (c == ':' && !in_brackets) break;
  }
  split->host = s.substr(host_start, host_end - host_start);
  if (host_end < end) {
    split->has_port = true;
    split->port = s.substr(host_end + 1, end - host_end - 1);
  }

  const size_t hash = s.find('#', end);
  const std::string_view before_hash = s.substr(end, hash - end);
  if (hash != std::string_view::npos) {
    split->has_fragment = true;
    split->fragment = s.substr(hash + 1);
  }
  const size_t question = before_hash.find('?');
  split->path = before_hash.substr(0, question);
  if (question != std::string_view::npos) {
    split->has_query = true;
    split->query = before_hash.substr(question + 1);
  }
  return absl::OkStatus();
}

}  // namespace lureguard::url::internal
