// The TLS certificate, key and client CA of `ServerConfig.tls`, read and
// checked once at start, for every listener that serves TLS (gRPC here;
// the HTTP front reuses the same files).
//
// Checking up front turns what would be a failed handshake at the first
// client, or a server that silently serves nothing, into a start-up error
// naming the field: a missing or unreadable file, a file that holds no PEM
// certificate or key, a key that does not belong to the certificate, a
// client CA requirement without a CA.
//
// Example:
//   absl::StatusOr<std::optional<TlsFiles>> tls = LoadTlsFiles(config.tls());
//   if (!tls.ok()) return tls.status();
//   if (tls->has_value()) ... serve TLS with (*tls)->cert_chain_pem ...

#ifndef LUREGUARD_SERVER_SERVICE_TLS_FILES_H_
#define LUREGUARD_SERVER_SERVICE_TLS_FILES_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "lureguard/v1/config.pb.h"

namespace lureguard::service {

// PEM contents, checked.
struct TlsFiles {
  std::string cert_chain_pem;   // leaf first
  std::string private_key_pem;  // matches the leaf
  std::string client_ca_pem;    // empty: clients are not asked for a cert
  bool require_client_cert = false;
};

// nullopt when `tls.cert_file` is empty (TLS off). Otherwise the files, or
// InvalidArgument "tls.FIELD: 'path': why".
absl::StatusOr<std::optional<TlsFiles>> LoadTlsFiles(const v1::TlsConfig& tls);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_TLS_FILES_H_
