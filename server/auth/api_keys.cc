#include "server/auth/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/common/status_macros.h"

namespace lureguard::auth {
namespace {

constexpr char kCollection[] = "api_key";
constexpr char kTokenPrefix[] = "lg_";
constexpr size_t kIdBytes = 8;
constexpr size_t kSecretBytes = 32;  // 256 bits
constexpr size_t kSaltBytes = 16;
constexpr size_t kMaxNameLength = 64;

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()),
                 static_cast<int>(n)) != 1) {
    return absl::InternalError("the system random generator failed");
  }
  return bytes;
}

// SHA-256, fetched from OpenSSL's provider once. The one-shot SHA256()
// fetches it on every call (OpenSSL 3's implicit fetch), which was most of
// the ~0.8 us a key check took on every request.
const EVP_MD* Sha256() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// SHA-256(salt || secret); empty when OpenSSL fails, which matches no key.
std::string Hash(absl::string_view salt, absl::string_view secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && Sha256() != nullptr &&
                  EVP_DigestInit_ex(ctx, Sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, salt.data(), salt.size()) == 1 &&
                  EVP_DigestUpdate(ctx, secret.data(), secret.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || length != sizeof(digest)) return "";
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// Whether `a` and `b` hold the same bytes, in time that depends on their
// lengths only (which are public: every secret and hash has a fixed size).
bool SameBytes(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Encode(const ApiKeyInfo& info, absl::string_view salt,
                   absl::string_view hash) {
  return absl::StrCat("id=", info.key_id,
                      "\nrole=", static_cast<int>(info.role),
                      "\ntenant=", absl::CEscape(info.tenant),
                      "\nsalt=", absl::BytesToHexString(salt),
                      "\nhash=", absl::BytesToHexString(hash),
                      "\ncreate_us=", absl::ToUnixMicros(info.create_time),
                      "\nsubject=", absl::CEscape(info.client_subject), "\n");
}

absl::Status Unauthenticated() {
  return absl::UnauthenticatedError("the API key is not valid");
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kVerdict:
      return "verdict";
    case Role::kAdmin:
      return "admin";
    case Role::kReadonlyAdmin:
      return "readonly-admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role : {Role::kVerdict, Role::kAdmin, Role::kReadonlyAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

KeyRing::KeyRing(store::Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

absl::Status KeyRing::Load() {
  int64_t writes_before;
  {
    absl::MutexLock lock(&mu_);
    writes_before = local_writes_;
  }
  ASSIGN_OR_RETURN(std::vector<store::StoredRecord> records,
                   store_.ListRecords(kCollection));
  absl::flat_hash_map<std::string, Key> keys;
  for (const store::StoredRecord& record : records) {
    Key key;
    key.info.name = record.name;
    key.info.tenant = record.tenant;
    for (absl::string_view line : absl::StrSplit(record.payload, '\n')) {
      const size_t eq = line.find('=');
      if (eq == absl::string_view::npos) continue;
      const absl::string_view k = line.substr(0, eq);
      const absl::string_view v = line.substr(eq + 1);
      int64_t n = 0;
      if (k == "id") key.info.key_id = std::string(v);
      if (k == "role" && absl::SimpleAtoi(v, &n)) {
        key.info.role = static_cast<Role>(n);
      }
      if (k == "salt") key.salt = absl::HexStringToBytes(v);
      if (k == "hash") key.hash = absl::HexStringToBytes(v);
      if (k == "create_us" && absl::SimpleAtoi(v, &n)) {
        key.info.create_time = absl::FromUnixMicros(n);
      }
      if (k == "subject") absl::CUnescape(v, &key.info.client_subject);
    }
    if (key.info.key_id.empty() || key.hash.size() != SHA256_DIGEST_LENGTH) {
      return absl::DataLossError(
          absl::StrCat("API key '", record.name, "': malformed record"));
    }
    keys.emplace(key.info.key_id, std::move(key));
  }
  absl::MutexLock lock(&mu_);
  if (local_writes_ != writes_before) return absl::OkStatus();
  // A key read again unchanged keeps the secret a call proved.
  for (auto& [id, key] : keys) {
    auto old = by_id_.find(id);
    if (old != by_id_.end() && old->second.hash == key.hash) {
      key.proven_secret = std::move(old->second.proven_secret);
    }
  }
  by_id_ = std::move(keys);
  return absl::OkStatus();
}

absl::StatusOr<std::string> KeyRing::Create(absl::string_view name, Role role,
                                            absl::string_view tenant,
                                            absl::string_view client_subject) {
  if (name.empty() || name.size() > kMaxNameLength ||
      !std::all_of(name.begin(), name.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
      })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: '", name, "' must be 1 to 64 letters, digits, '.', '_', '-'"));
  }
  if (!ParseRole(RoleName(role))) {
    return absl::InvalidArgumentError("role: unknown role");
  }
  // RFC 5280 caps a CN at 64 characters; control characters would let a
  // subject spoof log lines.
  if (client_subject.size() > kMaxNameLength ||
      std::any_of(client_subject.begin(), client_subject.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      })) {
    return absl::InvalidArgumentError(
        "client_subject: must be at most 64 characters without control "
        "characters");
  }
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, key] : by_id_) {
      if (key.info.name == name) {
        return absl::AlreadyExistsError(
            absl::StrCat("name: a key named '", name, "' exists"));
      }
      if (!client_subject.empty() &&
          key.info.client_subject == client_subject) {
        return absl::AlreadyExistsError(
            absl::StrCat("client_subject: key '", key.info.name,
                         "' already maps '", client_subject, "'"));
      }
    }
  }
  absl::StatusOr<std::string> id = RandomBytes(kIdBytes);
  absl::StatusOr<std::string> secret = RandomBytes(kSecretBytes);
  absl::StatusOr<std::string> salt = RandomBytes(kSaltBytes);
  if (!id.ok() || !secret.ok() || !salt.ok()) {
    return absl::InternalError("the system random generator failed");
  }
  Key key;
  key.info.name = std::string(name);
  key.info.key_id = absl::BytesToHexString(*id);
  key.info.role = role;
  key.info.tenant = std::string(tenant);
  key.info.create_time = clock_.Now();
  key.info.client_subject = std::string(client_subject);
  key.salt = *salt;
  const std::string secret_text = absl::WebSafeBase64Escape(*secret);
  key.hash = Hash(key.salt, secret_text);
  if (key.hash.empty()) return absl::InternalError("SHA-256 is unavailable");

  store::StoredRecord record;
  record.collection = kCollection;
  record.tenant = key.info.tenant;
  record.name = key.info.name;
  record.payload = Encode(key.info, key.salt, key.hash);
  record.update_time = key.info.create_time;
  RETURN_IF_ERROR(store_.PutRecord(record, /*affects_snapshot=*/false));
  std::string token =
      absl::StrCat(kTokenPrefix, key.info.key_id, "_", secret_text);
  absl::MutexLock lock(&mu_);
  ++local_writes_;
  by_id_.emplace(key.info.key_id, std::move(key));
  return token;
}

absl::Status KeyRing::Revoke(absl::string_view name) {
  std::optional<Key> found;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, key] : by_id_) {
      if (key.info.name == name) found = key;
    }
  }
  if (!found) {
    return absl::NotFoundError(absl::StrCat("name: no key named '", name, "'"));
  }
  RETURN_IF_ERROR(store_
                      .DeleteRecord(kCollection, found->info.tenant,
                                    found->info.name, std::nullopt)
                      .status());
  absl::MutexLock lock(&mu_);
  ++local_writes_;
  by_id_.erase(found->info.key_id);
  return absl::OkStatus();
}

std::vector<ApiKeyInfo> KeyRing::List() const {
  std::vector<ApiKeyInfo> keys;
  absl::MutexLock lock(&mu_);
  for (const auto& [id, key] : by_id_) keys.push_back(key.info);
  std::sort(
      keys.begin(), keys.end(),
      [](const ApiKeyInfo& a, const ApiKeyInfo& b) { return a.name < b.name; });
  return keys;
}

bool KeyRing::empty() const {
  absl::MutexLock lock(&mu_);
  return by_id_.empty();
}

absl::StatusOr<Principal> KeyRing::Authenticate(absl::string_view token) const {
  if (!absl::ConsumePrefix(&token, kTokenPrefix)) return Unauthenticated();
  const size_t underscore = token.find('_');
  if (underscore != kIdBytes * 2) return Unauthenticated();
  const absl::string_view id = token.substr(0, underscore);
  const absl::string_view secret = token.substr(underscore + 1);
  std::string hash;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return Unauthenticated();
    const Key& key = it->second;
    if (!key.proven_secret.empty()) {
      if (!SameBytes(secret, key.proven_secret)) return Unauthenticated();
      return Principal{key.info.name, key.info.role, key.info.tenant};
    }
    hash = Hash(key.salt, secret);
    if (!SameBytes(hash, key.hash)) return Unauthenticated();
  }
  // The first call with this key since it was loaded: remember the secret
  // it proved, unless the key was revoked or replaced meanwhile.
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.hash != hash) return Unauthenticated();
  it->second.proven_secret = std::string(secret);
  return Principal{it->second.info.name, it->second.info.role,
                   it->second.info.tenant};
}

absl::StatusOr<Principal> KeyRing::AuthenticateClientSubject(
    absl::string_view common_name) const {
  if (common_name.empty()) return Unauthenticated();
  absl::ReaderMutexLock lock(&mu_);
  // Linear: keys number in the tens, and this runs only for calls that
  // carry a certificate but no token.
  for (const auto& [id, key] : by_id_) {
    if (key.info.client_subject == common_name) {
      return Principal{key.info.name, key.info.role, key.info.tenant};
    }
  }
  return absl::UnauthenticatedError(absl::StrCat(
      "no API key maps the client certificate subject '", common_name, "'"));
}

}  // namespace lureguard::auth
