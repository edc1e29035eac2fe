// Safe Browsing "Suffix/Prefix Expressions" (v4 "URLs and Hashing").

#include "server/url/internal/expressions.h"

namespace lureguard::url::internal {
namespace {

// The spec's limits: 5 host variants (exact + 4 suffixes) and 6 path
// variants (with query, exact, 4 prefixes).
constexpr int kMaxHostSuffixLabels = 5;
constexpr int kMaxHosts = 5;
constexpr int kMaxPathPrefixes = 4;
constexpr int kMaxPaths = 6;

}  // namespace

void WriteExpressions(std::string_view host, HostKind kind,
                      std::string_view path, bool has_query,
                      std::string_view query, std::vector<std::string>* out) {
  std::string_view hosts[kMaxHosts];
  int host_count = 0;
  hosts[host_count++] = host;
  if (kind == HostKind::kDomain) {
    // Start of each of the last kMaxHostSuffixLabels labels, right to left.
    size_t starts[kMaxHostSuffixLabels];
    int labels = 0;
    size_t end = host.size();
    while (labels < kMaxHostSuffixLabels) {
      const size_t dot = host.rfind('.', end == 0 ? 0 : end - 1);
      if (end == 0 || dot == std::string_view::npos) {
        starts[labels++] = 0;
        break;
      }
      starts[labels++] = dot + 1;
      end = dot;
    }
    // Suffixes of kMaxHostSuffixLabels..2 labels, never the TLD alone.
    for (int i = labels - 1; i >= 1; --i) {
      const std::string_view suffix = host.substr(starts[i]);
      if (suffix.size() != host.size()) hosts[host_count++] = suffix;
    }
  }

  std::string_view paths[kMaxPaths];
  int path_count = 0;
  const std::string_view path_and_query =
      has_query && !query.empty()
          ? std::string_view(path.data(), path.size() + 1 + query.size())
          : std::string_view();
  if (!path_and_query.empty()) paths[path_count++] = path_and_query;
  paths[path_count++] = path;
  int prefixes = 0;
  for (size_t slash = path.find('/');
       slash != std::string_view::npos && prefixes < kMaxPathPrefixes;
       slash = path.find('/', slash + 1)) {
    if (slash + 1 == path.size()) break;  // the path itself
    paths[path_count++] = path.substr(0, slash + 1);
    ++prefixes;
  }

  // resize keeps the strings already there, and assign their capacity.
  out->resize(host_count * path_count);
  std::string* e = out->data();
  for (int h = 0; h < host_count; ++h) {
    for (int p = 0; p < path_count; ++p, ++e) {
      e->reserve(hosts[h].size() + paths[p].size());
      e->assign(hosts[h]);
      e->append(paths[p]);
    }
  }
}

}  // namespace lureguard::url::internal

namespace lureguard::url {

std::string_view CanonicalPathAndQuery(std::string_view canonical_url) {
  // "scheme://host/path[?query]", its path and query escaped so that the
  // first '/' after the host is where they start (canonical.h).
  const size_t authority = canonical_url.find("://");
  const size_t path = canonical_url.find(
      '/', authority == std::string_view::npos ? 0 : authority + 3);
  return path == std::string_view::npos ? std::string_view("/")
                                        : canonical_url.substr(path);
}

void LookupExpressions(const UrlAnalysis& url, std::vector<std::string>& out) {
  if (!url.is_web) {
    out.clear();
    return;
  }
  const std::string_view path_and_query =
      CanonicalPathAndQuery(url.canonical_url);
  const size_t question = path_and_query.find('?');
  const bool has_query = question != std::string_view::npos;
  internal::WriteExpressions(
      url.host, url.host_kind, path_and_query.substr(0, question), has_query,
      has_query ? path_and_query.substr(question + 1) : std::string_view(),
      &out);
}

}  // namespace lureguard::url
