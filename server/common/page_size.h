// The one rule for the page size an admin list call asks for (list
// entries, alerts, beacon flags, audit records), so that every list
// method pages the same way: 0 means the default, more than the maximum
// is cut to it, a negative size is the caller's mistake.

#ifndef LUREGUARD_SERVER_COMMON_PAGE_SIZE_H_
#define LUREGUARD_SERVER_COMMON_PAGE_SIZE_H_

#include "absl/status/statusor.h"

namespace lureguard {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// The page size to read for `requested`: kDefaultPageSize for 0, at most
// kMaxPageSize. InvalidArgument "page_size: is negative" below 0.
absl::StatusOr<int> ResolvePageSize(int requested);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_PAGE_SIZE_H_
