#include "server/certs/cert_features.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lureguard::certs {
namespace {

bool ContainsIgnoreCase(absl::string_view text, absl::string_view part) {
  return absl::StrContains(absl::AsciiStrToLower(text),
                           absl::AsciiStrToLower(part));
}

struct OpenSslFree {
  void operator()(X509* x) const { X509_free(x); }
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
  void operator()(BIGNUM* bn) const { BN_free(bn); }
  void operator()(char* text) const { OPENSSL_free(text); }
};

// The first entry `nid` of `name` as UTF-8, or "" when absent or
// undecodable.
std::string NameEntry(const X509_NAME* name, int nid) {
  if (name == nullptr) return "";
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  const ASN1_STRING* data =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return "";
  std::string text(reinterpret_cast<char*>(utf8), length);
  OPENSSL_free(utf8);
  return text;
}

absl::StatusOr<absl::Time> ToTime(const ASN1_TIME* time,
                                  absl::string_view field) {
  struct tm tm = {};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate ", field, ": cannot be decoded"));
  }
  return absl::FromTimeT(timegm(&tm));
}

// A subject CN counts as a DNS name when it could be one: CAs still copy
// a SAN into the CN, but many self-made certificates put a person's or
// company's name there.
bool LooksLikeHostName(absl::string_view text) {
  if (text.empty() || text.size() > 253 || !absl::StrContains(text, '.')) {
    return false;
  }
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '-' && c != '*' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string Hex(const unsigned char* data, size_t length) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(data), length));
}

}  // namespace

bool IsFreeDvIssuer(absl::string_view issuer_organization,
                    absl::string_view issuer_cn) {
  // Issuers of free ACME (or hosting-panel) DV certificates, by the
  // organisation names in their intermediates (crt.sh, 2024).
  constexpr absl::string_view kOrganizations[] = {"Let's Encrypt", "ZeroSSL",
                                                  "Google Trust Services",
                                                  "cPanel", "Cloudflare"};
  for (absl::string_view org : kOrganizations) {
    if (ContainsIgnoreCase(issuer_organization, org)) return true;
  }
  // Buypass also sells certificates; only its "Go" line is free.
  return ContainsIgnoreCase(issuer_organization, "Buypass") &&
         ContainsIgnoreCase(issuer_cn, "Go SSL");
}

std::vector<std::string> CertDnsNames(const GENERAL_NAMES* sans,
                                      const X509_NAME* subject) {
  // More names than any CA puts in one certificate (Let's Encrypt allows
  // 100).
  constexpr size_t kMaxNames = 1000;
  std::vector<std::string> names;
  absl::flat_hash_set<std::string> seen;
  auto add = [&](absl::string_view raw) {
    std::string name = absl::AsciiStrToLower(raw);
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (name.empty() || names.size() >= kMaxNames) return;
    if (seen.insert(name).second) names.push_back(std::move(name));
  };
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = name->d.dNSName;
    add(absl::string_view(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
        ASN1_STRING_length(dns)));
  }
  const std::string cn = NameEntry(subject, NID_commonName);
  if (LooksLikeHostName(cn)) add(cn);
  return names;
}

absl::StatusOr<CertFeatures> ExtractCertFeatures(const X509* cert) {
  CertFeatures features;
  features.subject_cn = NameEntry(X509_get_subject_name(cert), NID_commonName);
  const X509_NAME* issuer = X509_get_issuer_name(cert);
  features.issuer_organization = NameEntry(issuer, NID_organizationName);
  features.issuer_cn = NameEntry(issuer, NID_commonName);
  features.free_dv_issuer =
      IsFreeDvIssuer(features.issuer_organization, features.issuer_cn);

  absl::StatusOr<absl::Time> not_before =
      ToTime(X509_get0_notBefore(cert), "notBefore");
  if (!not_before.ok()) return not_before.status();
  absl::StatusOr<absl::Time> not_after =
      ToTime(X509_get0_notAfter(cert), "notAfter");
  if (!not_after.ok()) return not_after.status();
  features.not_before = *not_before;
  features.not_after = *not_after;
  features.validity = *not_after - *not_before;

  int critical = 0;
  std::unique_ptr<GENERAL_NAMES, OpenSslFree> sans(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, &critical, nullptr)));
  if (sans == nullptr && critical == -2) {
    return absl::InvalidArgumentError(
        "certificate subjectAltName: appears more than once");
  }
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    if (name->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = name->d.dNSName;
    features.san_dns_names.push_back(absl::AsciiStrToLower(absl::string_view(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
        ASN1_STRING_length(dns))));
  }
  features.dns_names = CertDnsNames(sans.get(), X509_get_subject_name(cert));

  // X509_self_signed takes a non-const certificate only because it caches
  // decoded extensions inside it; the certificate itself is unchanged.
  features.self_signed =
      X509_self_signed(const_cast<X509*>(cert), /*verify_signature=*/1) == 1;

  std::unique_ptr<BIGNUM, OpenSslFree> serial(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (serial != nullptr) {
    std::unique_ptr<char, OpenSslFree> hex(BN_bn2hex(serial.get()));
    if (hex != nullptr) features.serial_hex = hex.get();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &digest_length) == 1) {
    features.sha256_hex = Hex(digest, digest_length);
  }
  return features;
}

absl::StatusOr<CertFeatures> ExtractCertFeaturesFromDer(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, OpenSslFree> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "certificate: ", der.size(), " bytes are not a DER X.509 certificate"));
  }
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "certificate: ",
        der.size() - (p - reinterpret_cast<const unsigned char*>(der.data())),
        " bytes follow the certificate"));
  }
  return ExtractCertFeatures(cert.get());
}

}  // namespace lureguard::certs
