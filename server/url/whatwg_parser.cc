// ParseUrl: the WHATWG URL Standard's basic URL parser for http(s), with no
// base URL. Steps are named as in the Standard so they can be checked
// against it.

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/url/internal/ascii.h"
#include "server/url/internal/host_parser.h"
#include "server/url/internal/percent_encoding.h"
#include "server/url/internal/url_split.h"
#include "server/url/internal/whatwg.h"
#include "server/url/url.h"

namespace lureguard::url {
namespace internal {
namespace {

constexpr int kMaxPort = 65535;

int DefaultPort(SchemeKind kind) {
  switch (kind) {
    case SchemeKind::kHttp:
    case SchemeKind::kWs:
      return 80;
    case SchemeKind::kHttps:
    case SchemeKind::kWss:
      return 443;
    case SchemeKind::kFtp:
      return 21;
    default:
      return -1;
  }
}

bool IsSingleDot(std::string_view s) {
  return s == "." || EqualsIgnoreCase(s, "%2e");
}

bool IsDoubleDot(std::string_view s) {
  return s == ".." || EqualsIgnoreCase(s, ".%2e") ||
         EqualsIgnoreCase(s, "%2e.") || EqualsIgnoreCase(s, "%2e%2e");
}

// "shorten a url's path" for non-file URLs: drop the last segment.
void ShortenPath(std::string* path) {
  const size_t slash = path->rfind('/');
  if (slash != std::string::npos) path->resize(slash);
}

}  // namespace

void SerializeWhatwgPath(std::string_view raw, std::string* out) {
  out->clear();
  // Path start state consumes one leading separator.
  size_t start = (!raw.empty() && (raw[0] == '/' || raw[0] == '\\')) ? 1 : 0;
  while (true) {
    size_t end = start;
    while (end < raw.size() && raw[end] != '/' && raw[end] != '\\') ++end;
    const std::string_view segment = raw.substr(start, end - start);
    const bool at_end = end == raw.size();
    if (IsDoubleDot(segment)) {
      ShortenPath(out);
      if (at_end) out->push_back('/');
    } else if (IsSingleDot(segment)) {
      if (at_end) out->push_back('/');
    } else {
      out->push_back('/');
      AppendPercentEncoded(segment, EncodeSet::kPath, out);
    }
    if (at_end) break;
    start = end + 1;
  }
}

absl::Status ParseSplitUrl(const UrlSplit& split, ParsedUrl* out) {
  out->scheme = split.scheme;
  out->username.clear();
  out->password.clear();
  if (split.has_at) {
    if (split.host.empty()) {
      return absl::InvalidArgumentError(
          "URL has credentials but no host after '@'");
    }
    const size_t colon = split.userinfo.find(':');
    AppendPercentEncoded(split.userinfo.substr(0, colon), EncodeSet::kUserinfo,
                         &out->username);
    if (colon != std::string_view::npos) {
      AppendPercentEncoded(split.userinfo.substr(colon + 1),
                           EncodeSet::kUserinfo, &out->password);
    }
  }
  if (split.host.empty()) return absl::InvalidArgumentError("URL has no host");
  RETURN_IF_ERROR(ParseWhatwgHost(split.host, &out->host, &out->host_kind));

  out->port = -1;
  if (split.has_port && !split.port.empty()) {
    int port = 0;
    for (char c : split.port) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "port '", QuoteForMessage(split.port, 16), "' is not a number"));
      }
      port = port * 10 + (c - '0');
      if (port > kMaxPort) {
        return absl::InvalidArgumentError(
            absl::StrCat("port '", QuoteForMessage(split.port, 16),
                         "' is above ", kMaxPort));
      }
    }
    if (port != DefaultPort(split.scheme_kind)) out->port = port;
  }

  SerializeWhatwgPath(split.path, &out->path);
  out->has_query = split.has_query;
  out->query.clear();
  if (split.has_query) {
    AppendPercentEncoded(split.query, EncodeSet::kSpecialQuery, &out->query);
  }
  out->has_fragment = split.has_fragment;
  out->fragment.clear();
  if (split.has_fragment) {
    AppendPercentEncoded(split.fragment, EncodeSet::kFragment, &out->fragment);
  }
  return absl::OkStatus();
}

}  // namespace internal

void ParsedUrl::Clear() {
  scheme.clear();
  username.clear();
  password.clear();
  host.clear();
  host_kind = HostKind::kDomain;
  port = -1;
  path.clear();
  has_query = false;
  query.clear();
  has_fragment = false;
  fragment.clear();
}

std::string ParsedUrl::Href() const {
  std::string href;
  href.reserve(scheme.size() + host.size() + path.size() + query.size() +
               fragment.size() + 16);
  absl::StrAppend(&href, scheme, "://");
  if (!username.empty() || !password.empty()) {
    href += username;
    if (!password.empty()) absl::StrAppend(&href, ":", password);
    href += '@';
  }
  href += host;
  if (port >= 0) absl::StrAppend(&href, ":", port);
  href += path;
  if (has_query) absl::StrAppend(&href, "?", query);
  if (has_fragment) absl::StrAppend(&href, "#", fragment);
  return href;
}

absl::StatusOr<ParsedUrl> ParseUrl(std::string_view input) {
  std::string buffer;
  const std::string_view s = internal::PreprocessUrl(input, &buffer);
  internal::UrlSplit split;
  RETURN_IF_ERROR(internal::SplitUrl(s, &split));
  if (!split.is_web()) {
    return absl::InvalidArgumentError(
        absl::StrCat("scheme '", internal::QuoteForMessage(split.scheme, 32),
                     "' is not http or https"));
  }
  ParsedUrl parsed;
  RETURN_IF_ERROR(internal::ParseSplitUrl(split, &parsed));
  return parsed;
}

}  // namespace lureguard::url
