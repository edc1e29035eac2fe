#include "server/common/page_size.h"

#include <algorithm>

namespace lureguard {

absl::StatusOr<int> ResolvePageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: is negative");
  }
  return requested == 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize);
}

}  // namespace lureguard
