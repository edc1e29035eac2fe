// The TLS probe: connect to a host, complete a handshake and report what
// its certificate says and whether it verifies. An interface, so the
// verdict engine and the probe cache are tested with a scripted fake while
// the OpenSSL implementation (openssl_tls_prober.h) is tested against real
// loopback TLS servers.
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   absl::StatusOr<CertProbe> probe = prober.Probe({"shop.example", 443});
//   if (probe.ok() && !probe->hostname_matches) ...

#ifndef LUREGUARD_SERVER_CERTS_TLS_PROBER_H_
#define LUREGUARD_SERVER_CERTS_TLS_PROBER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/certs/cert_features.h"

namespace lureguard::certs {

// Where to probe. `host` is a canonical host (lowercase ASCII domain or IP
// literal); it is also the SNI and the name the certificate must match.
struct ProbeTarget {
  std::string host;
  int port = 443;

  // "host:port", IPv6 in brackets: the cache key and what logs show.
  std::string ToString() const;
  friend bool operator==(const ProbeTarget&, const ProbeTarget&) = default;
};

// What one successful handshake showed.
struct CertProbe {
  ProbeTarget target;
  // The validated address the connection went to.
  std::string address;
  // The server's leaf certificate.
  CertFeatures leaf;
  // Certificates the server sent, leaf included.
  int chain_length = 0;
  // The chain verifies to a trusted root (the system store plus any extra
  // CA file), ignoring the host name and the validity dates, which have
  // their own facts. A self-signed leaf or an unknown issuer is untrusted.
  bool chain_trusted = false;
  // Every verification error, as "depth N: <OpenSSL's text>"; empty when
  // the chain verified completely.
  std::vector<std::string> verify_errors;
  // The leaf covers `target.host` (RFC 6125 rules, as SSL_set1_host
  // checks them: wildcards in the leftmost label only).
  bool hostname_matches = false;
  // Negotiated protocol, e.g. "TLSv1.3".
  std::string tls_version;
  // When the probe finished (the prober's clock), and how long it took
  // from resolution to the end of the handshake.
  absl::Time probed_at = absl::UnixEpoch();
  absl::Duration latency = absl::ZeroDuration();
};

class TlsProber {
 public:
  virtual ~TlsProber() = default;

  // Probes `target`. Errors: PermissionDenied when the guard refuses the
  // target's addresses, DeadlineExceeded when the handshake did not finish
  // in time, Unavailable when the host does not resolve, refuses the
  // connection or fails the handshake, InvalidArgument for a bad target.
  // Each message names the target.
  virtual absl::StatusOr<CertProbe> Probe(const ProbeTarget& target) = 0;
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_TLS_PROBER_H_
