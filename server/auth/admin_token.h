// The admin key's file: on the first start the server creates the admin
// API key and writes its token to <data_dir>/admin.token, readable by the
// owner only, so the local CLI works without copying a secret around.
//
// Thread safety: a function of its arguments; safe to call from any thread.
//
// Example:
//   absl::StatusOr<std::string> token = keys.Create("admin", Role::kAdmin, "");
//   if (absl::Status s = WriteAdminTokenFile(data_dir + "/admin.token",
//   *token);
//       !s.ok()) return s;

#ifndef LUREGUARD_SERVER_AUTH_ADMIN_TOKEN_H_
#define LUREGUARD_SERVER_AUTH_ADMIN_TOKEN_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/common/file_system.h"

namespace lureguard::auth {

// Replaces `path` atomically with `token` and a newline, mode 0600.
// FailedPrecondition "cannot write the admin key to '<path>': <why>" when
// it cannot; `path` is then left as it was. `fs` is where the file lives:
// tests pass one that fails.
absl::Status WriteAdminTokenFile(const std::string& path,
                                 absl::string_view token,
                                 FileSystem& fs = DefaultFileSystem());

}  // namespace lureguard::auth

#endif  // LUREGUARD_SERVER_AUTH_ADMIN_TOKEN_H_
