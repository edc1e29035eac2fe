// Keyed hashing of personal identifiers (login usernames, mail
// recipients), so that counters, logs, stores and click tokens never hold
// one: HMAC-SHA256 under a server key that lives in the data dir (created
// with mode 0600 on the first start, like admin.token). Without the key, a
// leaked id cannot be tested against a list of likely names or addresses.
//
// Identifiers are compared as identity providers and mail systems usually
// do: ASCII letters lowercased, surrounding blanks dropped. The tenant is
// part of the hashed message, so one person's ids never mix across
// tenants.
//
// Thread safety: immutable after construction; safe for concurrent use.
//
// Example:
//   absl::StatusOr<KeyedHasher> hasher =
//       KeyedHasher::LoadOrCreate("/var/lib/lureguard/login.key");
//   std::string id = hasher->Hash("acme", "Alice@Example.com");

#ifndef LUREGUARD_SERVER_COMMON_KEYED_HASHER_H_
#define LUREGUARD_SERVER_COMMON_KEYED_HASHER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/common/file_system.h"
#include "server/common/hmac_sha256.h"

namespace lureguard {

// Reads the secret key file at `path`, or creates it (32 random bytes,
// mode 0600, created exclusively so two processes starting at once agree)
// when absent. FailedPrecondition naming the path when it cannot be read
// or written (a partly written key is removed), or holds fewer than 32
// bytes. Longer files (up to 4096 bytes) are used whole. `fs` is where
// the file lives: tests pass one that fails.
absl::StatusOr<std::string> LoadOrCreateKeyFile(
    const std::string& path, FileSystem& fs = DefaultFileSystem());

// HMAC-SHA256 of a tenant's identifiers under one server key.
class KeyedHasher {
 public:
  // The hasher under the key file at `path` (LoadOrCreateKeyFile).
  static absl::StatusOr<KeyedHasher> LoadOrCreate(const std::string& path);

  // The hasher under `key`. InvalidArgument when it is shorter than 32
  // bytes; InternalError when OpenSSL offers no SHA-256.
  static absl::StatusOr<KeyedHasher> Create(absl::string_view key);

  // 32 lowercase hex digits: the first 128 bits of
  // HMAC-SHA256(key, tenant NUL normalized-identifier).
  std::string Hash(absl::string_view tenant,
                   absl::string_view identifier) const;

 private:
  explicit KeyedHasher(std::shared_ptr<const HmacSha256> hmac)
      : hmac_(std::move(hmac)) {}

  std::shared_ptr<const HmacSha256> hmac_;
};

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_KEYED_HASHER_H_
