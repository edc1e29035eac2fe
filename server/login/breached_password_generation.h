// Which breached-password file the replicas sharing a store should serve.
//
// The file itself is too large for the store (22 bytes a hash: 20 GB for
// the public corpus), so replicas share it on a volume they all mount at
// `login.breached_password_path`. What they share through the store is
// which file that is: the replica that imported it records its generation
// (hash count, size, header time) as the record "breached_passwords"//
// "file", in a write every replica is notified of; each replica compares
// the record with the file it has open on each look at the store and
// reopens the path when they differ.
//
// Example:
//   std::string payload = EncodeBreachedPasswordGeneration(GenerationOf(s));
//   absl::StatusOr<BreachedPasswordGeneration> recorded =
//       DecodeBreachedPasswordGeneration(payload);

#ifndef LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORD_GENERATION_H_
#define LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORD_GENERATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/login/breached_passwords.h"

namespace lureguard::login {

// The store record naming the shared file's generation.
inline constexpr char kBreachedPasswordCollection[] = "breached_passwords";
inline constexpr char kBreachedPasswordRecord[] = "file";

// What tells one import's file from another's: an import rewrites the
// header time (to the second) and nearly always the count and size.
struct BreachedPasswordGeneration {
  int64_t hashes = 0;
  int64_t file_bytes = 0;
  absl::Time update_time = absl::UnixEpoch();

  bool operator==(const BreachedPasswordGeneration&) const = default;
};

BreachedPasswordGeneration GenerationOf(const BreachedPasswordStore& store);

// "key=value" lines (server/common/record_fields.h).
std::string EncodeBreachedPasswordGeneration(
    const BreachedPasswordGeneration& generation);
// DataLoss naming the field when the payload is not one.
absl::StatusOr<BreachedPasswordGeneration> DecodeBreachedPasswordGeneration(
    absl::string_view payload);

// "1200 hashes, 26424 bytes, written 2026-12-06T15:20:00Z", for logs.
std::string DescribeGeneration(const BreachedPasswordGeneration& generation);

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORD_GENERATION_H_
