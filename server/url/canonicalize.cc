// Safe Browsing canonicalization ("URLs and Hashing", v4 and v5 pages):
// repeated unescaping, path resolution, and re-escaping of bytes <= 0x20,
// >= 0x7f, '#' and '%' with uppercase hex.

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/url/internal/ascii.h"
#include "server/url/internal/canonical.h"
#include "server/url/internal/host_parser.h"
#include "server/url/internal/percent_encoding.h"
#include "server/url/internal/url_split.h"
#include "server/url/internal/whatwg.h"
#include "server/url/url.h"

namespace lureguard::url {
namespace internal {
namespace {

// True when `text` has nothing to unescape or escape, the common case.
bool IsAlreadyCanonical(std::string_view text) {
  for (char c : text) {
    if (InEncodeSet(static_cast<unsigned char>(c), EncodeSet::kSafeBrowsing)) {
      return false;
    }
  }
  return true;
}

bool PathNeedsResolution(std::string_view path) {
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] == '/' && (path[i + 1] == '/' || path[i + 1] == '.')) {
      return true;
    }
  }
  return false;
}

// Resolves "." and "..", drops empty segments ("//" -> "/"), and appends
// the escaped result. `path` is unescaped and begins with '/'.
void AppendResolvedPath(std::string_view path, std::string* out) {
  std::string resolved;
  resolved.reserve(path.size());
  bool trailing_slash = false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    const bool last = end == path.size();
    if (segment.empty() || segment == ".") {
      trailing_slash = last;
    } else if (segment == "..") {
      const size_t slash = resolved.rfind('/');
      resolved.resize(slash == std::string::npos ? 0 : slash);
      trailing_slash = last;
    } else {
      resolved.push_back('/');
      resolved.append(segment);
      trailing_slash = false;
    }
    start = end + 1;
  }
  if (resolved.empty() || trailing_slash) resolved.push_back('/');
  AppendPercentEncoded(resolved, EncodeSet::kSafeBrowsing, out);
}

void AppendCanonicalPath(std::string_view path, std::string* out) {
  if (path.empty()) {
    out->push_back('/');
    return;
  }
  if (IsAlreadyCanonical(path) && !PathNeedsResolution(path) &&
      path.front() == '/' && !path.ends_with("/.")) {
    out->append(path);
    return;
  }
  std::string unescaped;
  AppendFullyUnescaped(path, &unescaped);
  if (unescaped.empty() || unescaped.front() != '/') {
    unescaped.insert(unescaped.begin(), '/');
  }
  AppendResolvedPath(unescaped, out);
}

void AppendCanonicalQuery(std::string_view query, std::string* out) {
  if (IsAlreadyCanonical(query)) {
    out->append(query);
    return;
  }
  std::string unescaped;
  AppendFullyUnescaped(query, &unescaped);
  AppendPercentEncoded(unescaped, EncodeSet::kSafeBrowsing, out);
}

// "http%3A%2F%2Fhost/" is a whole URL escaped once, as some feeds and
// redirectors write it: decode only that prefix, so the authority is still
// delimited by the normal rules afterwards.
bool DecodeEscapedSchemePrefix(std::string_view s, std::string* buffer) {
  for (std::string_view prefix : {"http%3a%2f%2f", "https%3a%2f%2f"}) {
    if (StartsWithIgnoreCase(s, prefix)) {
      std::string decoded;
      AppendPercentDecoded(prefix, &decoded);
      decoded.append(s.substr(prefix.size()));
      *buffer = std::move(decoded);
      return true;
    }
  }
  return false;
}

}  // namespace

void AppendCanonicalUrl(std::string_view scheme, std::string_view host,
                        std::string_view path, bool has_query,
                        std::string_view query, std::string* out,
                        CanonicalLayout* layout) {
  out->reserve(out->size() + scheme.size() + 3 + host.size() + path.size() +
               query.size() + 2);
  out->append(scheme);
  out->append("://");
  layout->host_begin = out->size();
  out->append(host);
  layout->path_begin = out->size();
  AppendCanonicalPath(path, out);
  layout->query_begin = out->size();
  layout->has_query = has_query;
  if (has_query) {
    out->push_back('?');
    AppendCanonicalQuery(query, out);
  }
}

}  // namespace internal

absl::StatusOr<std::string> CanonicalizeUrl(std::string_view input) {
  std::string buffer;
  std::string_view s = internal::PreprocessUrl(input, &buffer);
  std::string decoded_prefix;
  if (internal::DecodeEscapedSchemePrefix(s, &decoded_prefix)) {
    s = decoded_prefix;
  }
  internal::UrlSplit split;
  RETURN_IF_ERROR(internal::SplitUrl(s, &split));
  if (!split.is_special() || split.scheme_kind == internal::SchemeKind::kFile) {
    return absl::InvalidArgumentError(
        absl::StrCat("scheme '", internal::QuoteForMessage(split.scheme, 32),
                     "' has no host to canonicalize"));
  }
  // RFC 3986 parsers, which the Safe Browsing reference implementations
  // use, read "http:///x" as an empty authority; WHATWG skips the slashes.
  if (split.slashes > 2) {
    return absl::InvalidArgumentError("URL has an empty authority");
  }
  std::string host;
  HostKind kind = HostKind::kDomain;
  if (!internal::CanonicalizeRawHostForSafeBrowsing(split.host, &host, &kind)) {
    return absl::InvalidArgumentError(
        absl::StrCat("host '", internal::QuoteForMessage(split.host),
                     "' is empty or holds a URL delimiter once unescaped"));
  }
  std::string path;
  internal::SerializeWhatwgPath(split.path, &path);
  std::string canonical;
  internal::CanonicalLayout layout;
  internal::AppendCanonicalUrl(split.scheme, host, path, split.has_query,
                               split.query, &canonical, &layout);
  return canonical;
}

}  // namespace lureguard::url
