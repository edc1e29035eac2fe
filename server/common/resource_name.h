// The one rule for names that admins give to things they configure (feeds,
// CT logs): short, lowercase, safe in URLs, metric labels, log lines and
// shell commands without quoting.

#ifndef LUREGUARD_SERVER_COMMON_RESOURCE_NAME_H_
#define LUREGUARD_SERVER_COMMON_RESOURCE_NAME_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lureguard {

inline constexpr size_t kMaxResourceNameLength = 64;

// OK for 1 to 64 characters of lowercase ASCII letters, digits, '-', '_'
// and '.', starting with a letter or digit; else InvalidArgument whose
// message starts with "name: " and says why.
absl::Status ValidateResourceName(absl::string_view name);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_RESOURCE_NAME_H_
