#include "server/common/resource_name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace lureguard {

absl::Status ValidateResourceName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxResourceNameLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: must be 1 to ", kMaxResourceNameLength, " characters"));
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = absl::ascii_islower(c) || absl::ascii_isdigit(c) ||
                    (i > 0 && (c == '-' || c == '_' || c == '.'));
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "name: '", name,
          "' must be lowercase letters, digits, '-', '_' and '.', starting "
          "with a letter or digit"));
    }
  }
  return absl::OkStatus();
}

}  // namespace lureguard
