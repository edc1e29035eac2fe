#include "server/service/tls_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard::service {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Certificate = std::unique_ptr<X509, X509Free>;
using PrivateKey = std::unique_ptr<EVP_PKEY, KeyFree>;

absl::Status FieldError(absl::string_view field, absl::string_view path,
                        absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("tls.", field, ": '", path, "' ", why));
}

absl::StatusOr<std::string> ReadFile(absl::string_view field,
                                     const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return FieldError(field, path, "cannot be read");
  std::stringstream content;
  content << file.rdbuf();
  if (file.bad()) return FieldError(field, path, "cannot be read");
  return content.str();
}

Bio MemoryBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The first certificate of a PEM file, or null.
Certificate FirstCertificate(const std::string& pem) {
  Bio bio = MemoryBio(pem);
  Certificate cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  return cert;
}

}  // namespace

absl::StatusOr<std::optional<TlsFiles>> LoadTlsFiles(const v1::TlsConfig& tls) {
  if (tls.cert_file().empty()) {
    if (!tls.key_file().empty()) {
      return absl::InvalidArgumentError(
          "tls.key_file: is set but tls.cert_file is not");
    }
    if (!tls.client_ca_file().empty() || tls.require_client_cert()) {
      return absl::InvalidArgumentError(
          "tls.client_ca_file: client certificates need TLS; set "
          "tls.cert_file and tls.key_file");
    }
    return std::nullopt;
  }
  if (tls.key_file().empty()) {
    return absl::InvalidArgumentError(
        "tls.key_file: is required when tls.cert_file is set");
  }
  if (tls.require_client_cert() && tls.client_ca_file().empty()) {
    return absl::InvalidArgumentError(
        "tls.client_ca_file: is required when tls.require_client_cert is set");
  }
  TlsFiles files;
  files.require_client_cert = tls.require_client_cert();

  ASSIGN_OR_RETURN(std::string cert, ReadFile("cert_file", tls.cert_file()));
  Certificate leaf = FirstCertificate(cert);
  if (leaf == nullptr) {
    return FieldError("cert_file", tls.cert_file(), "holds no PEM certificate");
  }
  files.cert_chain_pem = std::move(cert);

  ASSIGN_OR_RETURN(std::string key, ReadFile("key_file", tls.key_file()));
  {
    Bio bio = MemoryBio(key);
    PrivateKey parsed(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (parsed == nullptr) {
      return FieldError("key_file", tls.key_file(),
                        "holds no unencrypted PEM private key");
    }
    if (X509_check_private_key(leaf.get(), parsed.get()) != 1) {
      ERR_clear_error();
      return FieldError("key_file", tls.key_file(),
                        absl::StrCat("is not the key of the certificate in '",
                                     tls.cert_file(), "'"));
    }
  }
  files.private_key_pem = std::move(key);

  if (!tls.client_ca_file().empty()) {
    ASSIGN_OR_RETURN(std::string ca,
                     ReadFile("client_ca_file", tls.client_ca_file()));
    if (FirstCertificate(ca) == nullptr) {
      return FieldError("client_ca_file", tls.client_ca_file(),
                        "holds no PEM certificate");
    }
    files.client_ca_pem = std::move(ca);
  }
  return files;
}

}  // namespace lureguard::service
