// The production TlsProber, on OpenSSL 3 and plain sockets.
//
// A probe resolves the host once through the SSRF guard
// (common/target_guard.h), connects only to an address the guard accepted,
// sends SNI, and completes the handshake within one overall deadline
// (connect and handshake together). The chain is verified against the
// system trust store plus an optional extra CA file, and the host name with
// SSL_set1_host; verification errors are recorded, never fatal, so an
// untrusted or mismatched certificate is still described. The server's
// certificate list is capped (`max_cert_list_bytes`) and the chain depth
// bounded, so a hostile server cannot make the probe buffer much.
//
// Known limit: name resolution uses the injected Resolver (getaddrinfo in
// production) before the deadline starts; getaddrinfo has its own timeouts.
//
// Thread safety: safe for concurrent use (one SSL per probe, a shared
// read-only SSL_CTX).
//
// Example:
//   OpenSslTlsProberOptions options;
//   options.extra_ca_file = "/etc/lureguard/test-ca.pem";
//   absl::StatusOr<std::unique_ptr<OpenSslTlsProber>> prober =
//       OpenSslTlsProber::Create(options);
//   absl::StatusOr<CertProbe> probe = (*prober)->Probe({"shop.example", 443});

#ifndef LUREGUARD_SERVER_CERTS_OPENSSL_TLS_PROBER_H_
#define LUREGUARD_SERVER_CERTS_OPENSSL_TLS_PROBER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/certs/tls_prober.h"
#include "server/common/clock.h"
#include "server/common/target_guard.h"

namespace lureguard::certs {

struct OpenSslTlsProberOptions {
  // Which addresses may be probed (`--allow_private_targets`).
  TargetPolicy target_policy;
  // Resolves host names; must outlive the prober. SystemResolver() when
  // null.
  const Resolver* resolver = nullptr;
  // Stamps CertProbe.probed_at; must outlive the prober. SystemClock()
  // when null.
  const Clock* clock = nullptr;
  // One deadline for connect plus handshake.
  absl::Duration deadline = absl::Seconds(5);
  // Trust the system store (OpenSSL's default paths).
  bool use_system_store = true;
  // PEM bundle trusted in addition to the system store: a private CA in
  // operations, the test CA in tests. Empty: none.
  std::string extra_ca_file;
  // Largest certificate list accepted from a server (OpenSSL's
  // max_cert_list); real chains are 3-8 KiB.
  long max_cert_list_bytes = 64 * 1024;
  // Longest chain verified.
  int max_verify_depth = 8;
};

class OpenSslTlsProber final : public TlsProber {
 public:
  // InvalidArgument naming the file when `extra_ca_file` cannot be loaded.
  static absl::StatusOr<std::unique_ptr<OpenSslTlsProber>> Create(
      OpenSslTlsProberOptions options);
  ~OpenSslTlsProber() override;

  absl::StatusOr<CertProbe> Probe(const ProbeTarget& target) override;

 private:
  OpenSslTlsProber(OpenSslTlsProberOptions options, void* ctx);

  const OpenSslTlsProberOptions options_;
  void* const ctx_;  // SSL_CTX*, kept out of this header
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_OPENSSL_TLS_PROBER_H_
