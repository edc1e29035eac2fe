// The one rule for tenant names, wherever one arrives: an admin call that
// writes or reads a tenant's data, a check that names the tenant it runs
// for, and the store that keeps it. One rule means a tenant that can be
// checked can also own entries, brands and keys, and the other way round.
//
// A tenant is empty (global: every tenant) or up to 128 printable ASCII
// characters without spaces, so that it is safe in log lines, metric
// labels, audit records and CLI arguments without quoting.

#ifndef LUREGUARD_SERVER_COMMON_TENANT_H_
#define LUREGUARD_SERVER_COMMON_TENANT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lureguard {

inline constexpr size_t kMaxTenantBytes = 128;

// OK for a tenant the rule above allows; else InvalidArgument naming the
// field and the value, cut short and escaped: `tenant: "acme corp" must be
// up to 128 printable ASCII characters without spaces`.
absl::Status ValidateTenant(absl::string_view tenant);

// Sets `key` to "tenant NUL name", a cache key for what `name` (a host, a
// URL) is for one tenant: tenant names hold no NUL, so keys of different
// tenants cannot collide. Takes a buffer so that a caller can reuse one
// per thread and allocate nothing once it has grown.
void AssignTenantKey(absl::string_view tenant, absl::string_view name,
                     std::string& key);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_TENANT_H_
