// The admin side of API keys: what an admin's create and revoke of a key
// decide beyond KeyRing's own work. Only verdict keys may be bound to a
// tenant (admin reads and writes span every tenant: feeds, brands,
// status, so a tenant-bound admin key would promise an isolation it
// cannot keep); each change writes one audit record (the key's role,
// tenant and client subject; never its secret) in the change's
// transaction, for a Caller.
//
// Thread safety: safe for concurrent use (KeyRing is).
//
// Example:
//   KeyAdmin admin(keys, SystemClock());
//   absl::StatusOr<CreatedKey> created =
//       admin.Create(caller, {.name = "gw", .role = Role::kVerdict});
//   // created->token is shown once.

#ifndef LUREGUARD_SERVER_AUTH_KEY_ADMIN_H_
#define LUREGUARD_SERVER_AUTH_KEY_ADMIN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/auth/api_keys.h"
#include "server/auth/caller.h"
#include "server/common/clock.h"

namespace lureguard::auth {

// A key an admin asks for.
struct NewApiKey {
  std::string name;
  Role role = Role::kVerdict;
  std::string tenant;          // empty: every tenant
  std::string client_subject;  // certificate CN acting as the key; or empty
};

// A key just created: its token, shown once, and the key as listed (none
// when another replica revoked it in between).
struct CreatedKey {
  std::string token;
  std::optional<ApiKeyInfo> info;
};

class KeyAdmin {
 public:
  // `keys` and `clock` must outlive the owner.
  KeyAdmin(KeyRing& keys, const Clock& clock);

  // Creates the key. InvalidArgument names the field ("tenant: only
  // VERDICT keys can be bound to a tenant"); AlreadyExists as KeyRing.
  absl::StatusOr<CreatedKey> Create(const Caller& caller, const NewApiKey& key);

  // Revokes key `name`. NotFound when there is none.
  absl::Status Revoke(const Caller& caller, const std::string& name);

  std::vector<ApiKeyInfo> List() const;

 private:
  KeyRing& keys_;
  const Clock& clock_;
};

}  // namespace lureguard::auth

#endif  // LUREGUARD_SERVER_AUTH_KEY_ADMIN_H_
