#include "server/common/hmac_sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "absl/status/status.h"

namespace lureguard {
namespace {

constexpr size_t kBlockBytes = 64;  // SHA-256's block

// Stops the process: a copy of an initialised context fails only when
// memory is exhausted, and a wrong tag must never be returned instead.
void CheckOpenSsl(int ok) {
  if (ok != 1) std::abort();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const HmacSha256>> HmacSha256::Create(
    std::string_view secret) {
  std::array<unsigned char, kBlockBytes> key{};
  if (secret.size() > kBlockBytes) {
    unsigned int length = 0;
    if (EVP_Digest(secret.data(), secret.size(), key.data(), &length,
                   EVP_sha256(), nullptr) != 1) {
      return absl::InternalError("HMAC-SHA256: hashing the key failed");
    }
  } else {
    std::copy(secret.begin(), secret.end(), key.begin());
  }
  std::shared_ptr<HmacSha256> hmac(new HmacSha256());
  hmac->inner_ = EVP_MD_CTX_new();
  hmac->outer_ = EVP_MD_CTX_new();
  std::array<unsigned char, kBlockBytes> pad;
  bool ok = hmac->inner_ != nullptr && hmac->outer_ != nullptr;
  for (auto [ctx, byte] :
       {std::pair{hmac->inner_, 0x36}, std::pair{hmac->outer_, 0x5c}}) {
    for (size_t i = 0; i < kBlockBytes; ++i) pad[i] = key[i] ^ byte;
    ok = ok && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
         EVP_DigestUpdate(ctx, pad.data(), pad.size()) == 1;
  }
  OPENSSL_cleanse(key.data(), key.size());
  OPENSSL_cleanse(pad.data(), pad.size());
  if (!ok) return absl::InternalError("HMAC-SHA256: OpenSSL setup failed");
  return hmac;
}

HmacSha256::~HmacSha256() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

HmacSha256::Tag HmacSha256::Sign(std::string_view message) const {
  Tag inner_hash;
  Tag tag;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  CheckOpenSsl(ctx != nullptr);
  CheckOpenSsl(EVP_MD_CTX_copy_ex(ctx, inner_));
  CheckOpenSsl(EVP_DigestUpdate(ctx, message.data(), message.size()));
  CheckOpenSsl(EVP_DigestFinal_ex(ctx, inner_hash.data(), nullptr));
  CheckOpenSsl(EVP_MD_CTX_copy_ex(ctx, outer_));
  CheckOpenSsl(EVP_DigestUpdate(ctx, inner_hash.data(), inner_hash.size()));
  CheckOpenSsl(EVP_DigestFinal_ex(ctx, tag.data(), nullptr));
  EVP_MD_CTX_free(ctx);
  return tag;
}

}  // namespace lureguard
