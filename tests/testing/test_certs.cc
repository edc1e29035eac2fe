#include "tests/testing/test_certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lureguard::testing {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "test certificate: %s failed\n", what);
    std::abort();
  }
}

EVP_PKEY* NewKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  Check(key != nullptr, "EVP_EC_gen");
  return key;
}

std::string KeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr,
                                 nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, length);
  BIO_free(bio);
  return pem;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  Check(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

void AddNameEntry(X509_NAME* name, const char* field, const std::string& v) {
  if (v.empty()) return;
  X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(v.c_str()),
                             -1, -1, 0);
}

// Builds and signs a certificate. `issuer` null means self-signed.
TestCert Build(const TestCertSpec& spec, EVP_PKEY* key, X509* issuer,
               EVP_PKEY* issuer_key, bool is_ca, X509** out_cert) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), spec.serial);
  ASN1_TIME_set(X509_getm_notBefore(cert), absl::ToTimeT(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert), absl::ToTimeT(spec.not_after));
  X509_NAME* subject = X509_get_subject_name(cert);
  AddNameEntry(subject, "O", spec.organization);
  AddNameEntry(subject, "CN", spec.cn);
  X509_set_issuer_name(
      cert, issuer != nullptr ? X509_get_subject_name(issuer) : subject);
  X509_set_pubkey(cert, key);
  X509* signer = issuer != nullptr ? issuer : cert;
  AddExtension(cert, signer, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) {
    AddExtension(cert, signer, NID_authority_key_identifier, "keyid:always");
  }
  AddExtension(cert, signer, NID_basic_constraints,
               is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (is_ca) AddExtension(cert, signer, NID_key_usage, "keyCertSign,cRLSign");
  if (!spec.dns_sans.empty()) {
    std::vector<std::string> names;
    for (const std::string& san : spec.dns_sans) {
      names.push_back(absl::StrCat("DNS:", san));
    }
    AddExtension(cert, signer, NID_subject_alt_name, absl::StrJoin(names, ","));
  }
  Check(X509_sign(cert, issuer_key != nullptr ? issuer_key : key,
                  EVP_sha256()) > 0,
        "X509_sign");

  TestCert result;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  result.cert_pem.assign(data, length);
  BIO_free(bio);
  unsigned char* der = nullptr;
  const int der_length = i2d_X509(cert, &der);
  Check(der_length > 0, "i2d_X509");
  result.der.assign(reinterpret_cast<char*>(der), der_length);
  OPENSSL_free(der);
  result.key_pem = KeyPem(key);
  if (out_cert != nullptr) {
    *out_cert = cert;
  } else {
    X509_free(cert);
  }
  return result;
}

}  // namespace

struct TestCa::Keys {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  ~Keys() {
    EVP_PKEY_free(key);
    X509_free(cert);
  }
};

TestCa::TestCa(std::unique_ptr<Keys> keys, TestCert root)
    : keys_(std::move(keys)), root_(std::move(root)) {}
TestCa::TestCa(TestCa&&) noexcept = default;
TestCa::~TestCa() = default;

TestCa TestCa::Create(const std::string& cn, const std::string& organization) {
  auto keys = std::make_unique<Keys>();
  keys->key = NewKey();
  TestCertSpec spec;
  spec.cn = cn;
  spec.organization = organization;
  spec.serial = 1;
  spec.not_after = absl::Now() + absl::Hours(24 * 3650);
  TestCert root =
      Build(spec, keys->key, nullptr, nullptr, /*is_ca=*/true, &keys->cert);
  return TestCa(std::move(keys), std::move(root));
}

TestCert TestCa::Issue(const TestCertSpec& spec) const {
  EVP_PKEY* key = NewKey();
  TestCert cert =
      Build(spec, key, keys_->cert, keys_->key, /*is_ca=*/false, nullptr);
  EVP_PKEY_free(key);
  return cert;
}

TestCert MakeSelfSignedCert(const TestCertSpec& spec) {
  EVP_PKEY* key = NewKey();
  TestCert cert = Build(spec, key, nullptr, nullptr, /*is_ca=*/false, nullptr);
  EVP_PKEY_free(key);
  return cert;
}

}  // namespace lureguard::testing
