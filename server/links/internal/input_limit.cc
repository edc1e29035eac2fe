#include "server/links/internal/input_limit.h"

#include "absl/strings/str_cat.h"

namespace lureguard::links::internal {

absl::Status CheckInputSize(size_t size, const RewriteOptions& options) {
  if (size <= options.max_input_bytes) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("message: ", size, " bytes exceeds max_input_bytes (",
                   options.max_input_bytes, ")"));
}

}  // namespace lureguard::links::internal
