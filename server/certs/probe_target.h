// Where a TLS probe goes, from the forms hosts and ports arrive in: a URL's
// canonical host (IPv6 literals in brackets) and port, or an admin's
// ProbeCertificate request. One rule, so that the verdict engine's probes
// and an admin's probe of the same host share a ProbeCache entry.

#ifndef LUREGUARD_SERVER_CERTS_PROBE_TARGET_H_
#define LUREGUARD_SERVER_CERTS_PROBE_TARGET_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/certs/tls_prober.h"

namespace lureguard::certs {

// The target of a canonical host (brackets around an IPv6 literal are
// dropped) and port (443 when not positive).
ProbeTarget ProbeTargetOf(absl::string_view canonical_host, int port);

// The target an admin names: any host form url::CanonicalizeHost takes,
// port 0 for 443. InvalidArgument naming `host` (empty or not a host) or
// `port` (outside [1, 65535]).
absl::StatusOr<ProbeTarget> ParseProbeTarget(absl::string_view host, int port);

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_PROBE_TARGET_H_
