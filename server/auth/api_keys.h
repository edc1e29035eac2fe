// Caller identity: API keys with a role and an optional tenant.
//
// A key may also name the common name (CN) of a client certificate: a call
// over mTLS whose verified certificate has that CN acts as the key without
// sending its token.
//
// A key is shown once, when created, as "lg_<id>_<secret>"; the store keeps
// only a random salt and SHA-256(salt || secret) per key (collection
// "api_key"), so a copy of the database does not hand out keys. The secret
// has 256 random bits, which is why a fast hash is enough here (password
// hashing exists to slow down guessing of low-entropy secrets).
//
// Hashing every call cost a sixth of a CheckUrl, so the first call that
// proves a key's secret leaves that secret in this process's memory, and
// later calls are compared with it (in constant time) instead of hashed.
// The store still holds only the hash; the process saw the token in every
// request anyway.
//
// Thread safety: safe for concurrent use. Authenticate takes a reader lock
// only, but for the first call of each key; keys change rarely.
//
// Example:
//   KeyRing keys(*store, SystemClock());
//   if (absl::Status s = keys.Load(); !s.ok()) return s;
//   absl::StatusOr<std::string> token = keys.Create("gw", Role::kVerdict, "");
//   absl::StatusOr<Principal> who = keys.Authenticate(*token);

#ifndef LUREGUARD_SERVER_AUTH_API_KEYS_H_
#define LUREGUARD_SERVER_AUTH_API_KEYS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/store/store.h"

namespace lureguard::auth {

// What a key may do. Values are persisted: never renumber.
enum class Role {
  kVerdict = 1,        // URL (and later login, link) checks
  kAdmin = 2,          // everything
  kReadonlyAdmin = 3,  // admin reads: lists, status
};

// "verdict", "admin", "readonly-admin".
absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

// Who is calling.
struct Principal {
  std::string key_name;
  Role role = Role::kVerdict;
  std::string tenant;  // empty: every tenant
};

// A key as listed (never its secret).
struct ApiKeyInfo {
  std::string name;
  std::string key_id;
  Role role = Role::kVerdict;
  std::string tenant;
  absl::Time create_time = absl::UnixEpoch();
  std::string client_subject;  // certificate CN acting as this key; or empty
};

class KeyRing {
 public:
  // `store` and `clock` must outlive the key ring.
  KeyRing(store::Store& store, const Clock& clock);

  // Reads every key from the store, replacing what was read before: keys
  // other processes created or revoked appear or go. A Create or Revoke
  // of this ring that overlaps the read wins (the read is dropped; the
  // next Load sees the store with it).
  absl::Status Load();

  // Creates key `name` (1-64 of [A-Za-z0-9._-]) and returns its token,
  // which is not stored and cannot be shown again. AlreadyExists when the
  // name, or the non-empty `client_subject`, is taken.
  absl::StatusOr<std::string> Create(absl::string_view name, Role role,
                                     absl::string_view tenant,
                                     absl::string_view client_subject = "");

  // Deletes key `name`; calls with it fail from now on. NotFound if none.
  absl::Status Revoke(absl::string_view name);

  std::vector<ApiKeyInfo> List() const;
  bool empty() const;

  // The principal of `token`; Unauthenticated (saying only that the key is
  // not valid) for a malformed, unknown or revoked key.
  absl::StatusOr<Principal> Authenticate(absl::string_view token) const;

  // The principal of the key bound to a verified client certificate's
  // common name; Unauthenticated when no key names it.
  // REQUIRES: the TLS layer verified the certificate against the
  // configured client CA.
  absl::StatusOr<Principal> AuthenticateClientSubject(
      absl::string_view common_name) const;

 private:
  struct Key {
    ApiKeyInfo info;
    std::string salt;  // raw bytes
    std::string hash;  // SHA-256(salt || secret), raw bytes
    // The secret a call has proved against `hash`; empty before. Set by
    // Authenticate (const) under the exclusive lock.
    mutable std::string proven_secret;
  };

  store::Store& store_;
  const Clock& clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Key> by_id_ ABSL_GUARDED_BY(mu_);
  // Creates and revokes so far, so that Load can tell whether one
  // overlapped its read of the store.
  int64_t local_writes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lureguard::auth

#endif  // LUREGUARD_SERVER_AUTH_API_KEYS_H_
