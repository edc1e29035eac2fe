// Safe Browsing host-suffix x path-prefix expressions. Implemented in
// expressions.cc.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_EXPRESSIONS_H_
#define LUREGUARD_SERVER_URL_INTERNAL_EXPRESSIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/url/url.h"

namespace lureguard::url::internal {

// Writes over `*out` the expressions of a canonical URL split into `host`,
// `path` and `query` (without '?'; used only when `has_query` and
// non-empty): up to 5 hosts (the exact host, then suffixes of its last 5
// labels down to 2 labels; IP literals only exactly) times up to 6 paths
// (path with query, path, and up to 4 prefixes "/", "/a/", ... shorter
// than the path). The strings already in `*out` are reused.
void WriteExpressions(std::string_view host, HostKind kind,
                      std::string_view path, bool has_query,
                      std::string_view query, std::vector<std::string>* out);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_EXPRESSIONS_H_
