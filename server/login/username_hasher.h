// Keyed hashing of usernames, so that counters, logs and stores never hold
// a username: HMAC-SHA256 under a server key that lives in the data dir
// (created with mode 0600 on the first start, like admin.token). Without
// the key, a leaked counter key cannot be tested against a list of
// likely usernames.
//
// Usernames are compared as identity providers usually do: ASCII letters
// lowercased, surrounding blanks dropped. The tenant is part of the hashed
// message, so one person's counters never mix across tenants.
//
// Thread safety: immutable after construction; safe for concurrent use.
//
// Example:
//   absl::StatusOr<UsernameHasher> hasher =
//       UsernameHasher::LoadOrCreate("/var/lib/lureguard/login.key");
//   std::string id = hasher->Hash("acme", "Alice@Example.com");

#ifndef LUREGUARD_SERVER_LOGIN_USERNAME_HASHER_H_
#define LUREGUARD_SERVER_LOGIN_USERNAME_HASHER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::login {

class UsernameHasher {
 public:
  // Reads the key at `path`, or creates it (32 random bytes, mode 0600)
  // when absent. FailedPrecondition naming the path when it cannot be read
  // or written, or holds fewer than 32 bytes.
  static absl::StatusOr<UsernameHasher> LoadOrCreate(const std::string& path);

  // REQUIRES: `key` has at least 32 bytes.
  explicit UsernameHasher(std::string key) : key_(std::move(key)) {}

  // 32 lowercase hex digits: the first 128 bits of
  // HMAC-SHA256(key, tenant NUL normalized-username).
  std::string Hash(absl::string_view tenant, absl::string_view username) const;

 private:
  std::string key_;
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_USERNAME_HASHER_H_
