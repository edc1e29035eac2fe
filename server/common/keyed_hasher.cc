#include "server/common/keyed_hasher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard {
namespace {

constexpr size_t kKeyBytes = 32;
// A key file is a secret, not data: anything larger is a wrong path.
constexpr size_t kMaxKeyBytes = 4096;

}  // namespace

absl::StatusOr<std::string> LoadOrCreateKeyFile(const std::string& path,
                                                FileSystem& fs) {
  absl::StatusOr<std::string> existing = ReadSmallFile(fs, path, kMaxKeyBytes);
  if (existing.ok() && existing->size() >= kKeyBytes) return existing;
  // Only a missing key may be created: an unreadable one must not be
  // replaced, or the ids hashed under it so far would stop matching.
  if (!absl::IsNotFound(existing.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat("key '", path, "' is shorter than ", kKeyBytes,
                     " bytes, longer than ", kMaxKeyBytes, " or unreadable"));
  }
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 1) {
    return absl::InternalError("the system random generator failed");
  }
  // Exclusive: two processes starting at once must not write different
  // keys; the one that loses reads the winner's.
  absl::Status created = CreateOwnerOnlyFileWith(fs, path, key);
  if (absl::IsAlreadyExists(created)) return LoadOrCreateKeyFile(path, fs);
  if (!created.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create the key '", path, "': ", created.message()));
  }
  return key;
}

absl::StatusOr<KeyedHasher> KeyedHasher::LoadOrCreate(const std::string& path) {
  ASSIGN_OR_RETURN(std::string key, LoadOrCreateKeyFile(path));
  return Create(key);
}

absl::StatusOr<KeyedHasher> KeyedHasher::Create(absl::string_view key) {
  if (key.size() < kKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("key: ", key.size(),
                     " bytes; a keyed hash needs at least ", kKeyBytes));
  }
  ASSIGN_OR_RETURN(
      std::shared_ptr<const HmacSha256> hmac,
      HmacSha256::Create(std::string_view(key.data(), key.size())));
  return KeyedHasher(std::move(hmac));
}

std::string KeyedHasher::Hash(absl::string_view tenant,
                              absl::string_view identifier) const {
  std::string message;
  message.reserve(tenant.size() + 1 + identifier.size());
  message.append(tenant.data(), tenant.size());
  message.push_back('\0');
  message.append(absl::AsciiStrToLower(absl::StripAsciiWhitespace(identifier)));
  const HmacSha256::Tag tag = hmac_->Sign(message);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(tag.data()), 16));
}

}  // namespace lureguard
