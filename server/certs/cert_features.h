// Certificate features: the facts a phishing verdict and the CT monitor read
// from one X.509 certificate. Pure functions (certificate in, facts out), so
// the TLS probe, Certificate Transparency entries and tests share them.
//
// Facts that need more than the certificate (chain verification, hostname
// match, age at check time, brand imitation) live with the probe
// (tls_prober.h) and the verdict (cert_reasons.h).
//
// Thread safety: pure functions; safe to call from any thread.
//
// Example:
//   absl::StatusOr<CertFeatures> f = ExtractCertFeaturesFromDer(der);
//   for (const std::string& name : f->dns_names) ...  // CN + SANs, lowercase

#ifndef LUREGUARD_SERVER_CERTS_CERT_FEATURES_H_
#define LUREGUARD_SERVER_CERTS_CERT_FEATURES_H_

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::certs {

// What one certificate says about itself.
struct CertFeatures {
  // Subject common name, as written (empty when absent).
  std::string subject_cn;
  // subjectAltName dNSName entries in certificate order, lowercased, with
  // wildcards kept ("*.example.com").
  std::vector<std::string> san_dns_names;
  // Every DNS name the certificate names: the SANs, then the subject CN when
  // it looks like a host name and is not already a SAN. Lowercased,
  // without duplicates. This is what the CT monitor and brand checks read.
  std::vector<std::string> dns_names;
  // Issuer organisation and common name (empty when absent).
  std::string issuer_organization;
  std::string issuer_cn;
  // The issuer is a CA that issues domain-validated certificates for free
  // and by automation (Let's Encrypt, ZeroSSL, Buypass Go, Google Trust
  // Services, SSL.com free tier...), the CAs most phishing sites use.
  bool free_dv_issuer = false;
  absl::Time not_before = absl::UnixEpoch();
  absl::Time not_after = absl::UnixEpoch();
  // not_after - not_before.
  absl::Duration validity = absl::ZeroDuration();
  // Subject equals issuer and the certificate's own key verifies its
  // signature.
  bool self_signed = false;
  // Serial number, uppercase hex.
  std::string serial_hex;
  // SHA-256 of the DER encoding, lowercase hex: a stable key for logs and
  // alerts.
  std::string sha256_hex;
};

// Reads the features of `cert`. InvalidArgument when a field the features
// need cannot be decoded (the message names it).
// REQUIRES: cert != nullptr.
absl::StatusOr<CertFeatures> ExtractCertFeatures(const X509* cert);

// The same from a DER-encoded certificate (a CT log entry's leaf, say).
// InvalidArgument when `der` is not one certificate.
absl::StatusOr<CertFeatures> ExtractCertFeaturesFromDer(absl::string_view der);

// The DNS names a certificate covers, as CertFeatures::dns_names holds
// them: the subjectAltName dNSNames in order, then the subject CN when it
// looks like a host name; lowercased, one trailing dot dropped, each once,
// at most 1000 (bounded work for a hostile certificate). `sans` may be
// null. The one name extraction shared by ExtractCertFeatures and the CT
// parser (ct_leaf.h), which reads certificates without an X509 object.
std::vector<std::string> CertDnsNames(const GENERAL_NAMES* sans,
                                      const X509_NAME* subject);

// Whether `issuer_organization`/`issuer_cn` name a free automated DV CA.
bool IsFreeDvIssuer(absl::string_view issuer_organization,
                    absl::string_view issuer_cn);

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_CERT_FEATURES_H_
