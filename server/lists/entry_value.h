// Turns what an admin or a feed writes into the normalized value a list
// entry is stored and matched under.
//
// Hosts go through the URL engine's host canonicalization (IDNA, lowercase,
// numeric IPv4 forms), URL prefixes and URLs through Safe Browsing
// canonicalization, so an entry matches exactly the hosts and URLs the URL
// engine produces at check time.
//
// Example:
//   absl::StatusOr<EntryValue> v = NormalizeEntryValue("HTTP://Evil.COM./x/",
//                                                      std::nullopt);
//   // v->kind == EntryKind::kUrlPrefix, v->value == "evil.com/x/"

#ifndef LUREGUARD_SERVER_LISTS_ENTRY_VALUE_H_
#define LUREGUARD_SERVER_LISTS_ENTRY_VALUE_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/store.h"
#include "server/url/url.h"

namespace lureguard::lists {

using store::EntryKind;
using store::ListType;

// A normalized list entry value and the kind it was given or inferred.
struct EntryValue {
  EntryKind kind = EntryKind::kDomain;
  std::string value;
};

// Normalizes `value` for `kind`; infers the kind when `kind` is nullopt:
// an IP or CIDR is kIpRange, a URL with a query kExactUrl, a URL with a
// path other than "/" kUrlPrefix, anything else kDomain. An IP address given
// as a host or domain becomes a single-address kIpRange. InvalidArgument
// says why a value cannot be an entry of that kind.
absl::StatusOr<EntryValue> NormalizeEntryValue(absl::string_view value,
                                               std::optional<EntryKind> kind);

// The Safe Browsing expression of an analyzed URL without its scheme:
// "host/path" or, with `with_query`, "host/path?query". List entries of
// kinds kUrlPrefix and kExactUrl are stored in this form.
std::string UrlExpression(const url::UrlAnalysis& analysis, bool with_query);

// CLI and log names of entry kinds: "host", "domain", "url-prefix", "url",
// "cidr".
absl::string_view EntryKindName(EntryKind kind);
std::optional<EntryKind> ParseEntryKindName(absl::string_view name);

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_ENTRY_VALUE_H_
