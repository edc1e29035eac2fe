// The CLI spelling of list entry kinds (`--kind host|domain|url-prefix|url|
// cidr`) and its mapping onto lureguard.v1.EntryKind. Pure functions.
#ifndef LUREGUARD_CLIENT_ENTRY_KIND_H_
#define LUREGUARD_CLIENT_ENTRY_KIND_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lureguard/v1/admin_service.pb.h"

namespace lureguard::cli {

// Maps a --kind value to the API enum: host → HOST, domain →
// DOMAIN_WITH_SUBDOMAINS, url-prefix → URL_PREFIX, url → EXACT_URL,
// cidr → IP_RANGE. InvalidArgumentError naming the value otherwise.
absl::StatusOr<lureguard::v1::EntryKind> EntryKindFromFlag(
    absl::string_view value);

// The --kind spelling of `kind` for tables ("domain"); "-" when unspecified
// and the enum name for values this CLI does not know.
std::string EntryKindFlagName(lureguard::v1::EntryKind kind);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_ENTRY_KIND_H_
