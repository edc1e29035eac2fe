#include "server/common/keyed_hasher.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lureguard {
namespace {

constexpr size_t kKeyBytes = 32;
// A key file is a secret, not data: anything larger is a wrong path.
constexpr size_t kMaxKeyBytes = 4096;

}  // namespace

absl::StatusOr<std::string> LoadOrCreateKeyFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    std::string key;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
      key.append(buffer, static_cast<size_t>(n));
      if (key.size() > kMaxKeyBytes) break;
    }
    close(fd);
    if (n < 0 || key.size() < kKeyBytes || key.size() > kMaxKeyBytes) {
      return absl::FailedPreconditionError(
          absl::StrCat("key '", path, "' is shorter than ", kKeyBytes,
                       " bytes, longer than ", kMaxKeyBytes, " or unreadable"));
    }
    return key;
  }
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 1) {
    return absl::InternalError("the system random generator failed");
  }
  // O_EXCL: two processes starting at once must not write different keys.
  fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return LoadOrCreateKeyFile(path);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create the key '", path, "'"));
  }
  const bool written =
      fchmod(fd, 0600) == 0 &&
      write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
      fsync(fd) == 0;
  close(fd);
  if (!written) {
    unlink(path.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the key '", path, "'"));
  }
  return key;
}

absl::StatusOr<KeyedHasher> KeyedHasher::LoadOrCreate(const std::string& path) {
  absl::StatusOr<std::string> key = LoadOrCreateKeyFile(path);
  if (!key.ok()) return key.status();
  return Create(*key);
}

absl::StatusOr<KeyedHasher> KeyedHasher::Create(absl::string_view key) {
  if (key.size() < kKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("key: ", key.size(),
                     " bytes; a keyed hash needs at least ", kKeyBytes));
  }
  absl::StatusOr<std::shared_ptr<const HmacSha256>> hmac =
      HmacSha256::Create(std::string_view(key.data(), key.size()));
  if (!hmac.ok()) return hmac.status();
  return KeyedHasher(*std::move(hmac));
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
