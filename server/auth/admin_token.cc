#include "server/auth/admin_token.h"

#include "absl/strings/str_cat.h"

namespace lureguard::auth {

absl::Status WriteAdminTokenFile(const std::string& path,
                                 absl::string_view token, FileSystem& fs) {
  absl::Status written =
      WriteOwnerOnlyFileAtomically(fs, path, absl::StrCat(token, "\n"));
  if (!written.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot write the admin key to '", path, "': ", written.message()));
  }
  return absl::OkStatus();
}

}  // namespace lureguard::auth
