// Safe Browsing "URLs and Hashing" canonicalization of URL components that
// the WHATWG split already delimited. Implemented in canonicalize.cc.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_CANONICAL_H_
#define LUREGUARD_SERVER_URL_INTERNAL_CANONICAL_H_

#include <string>
#include <string_view>

namespace lureguard::url::internal {

// Where the parts of a canonical URL are, for slicing expressions out of
// it without copies.
struct CanonicalLayout {
  size_t host_begin = 0;
  size_t path_begin = 0;   // the host ends here
  size_t query_begin = 0;  // the path ends here; at '?' when has_query
  bool has_query = false;
};

// Appends "scheme://host" + canonical path + ["?" canonical query] to
// `*out` and records the layout. `host` must already be canonical.
void AppendCanonicalUrl(std::string_view scheme, std::string_view host,
                        std::string_view path, bool has_query,
                        std::string_view query, std::string* out,
                        CanonicalLayout* layout);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_CANONICAL_H_
