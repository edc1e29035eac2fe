// An admin's probe of one host's certificate (AdminService.ProbeCertificate):
// probe now through the probe cache, then the CERT_* reasons a check would
// give. The probe cache's own refusals are told apart from the caller's:
// the SSRF guard's refusal is about the target, so it is FailedPrecondition,
// never PermissionDenied (which would read as a key without the right).
//
// Example:
//   absl::StatusOr<ProbedCertificate> probed = ProbeCertificateNow(
//       probes, {"shop.example", 443}, snapshot->brands.get(), "", clock);

#ifndef LUREGUARD_SERVER_VERDICT_CERTIFICATE_PROBE_H_
#define LUREGUARD_SERVER_VERDICT_CERTIFICATE_PROBE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/certs/probe_cache.h"
#include "server/certs/tls_prober.h"
#include "server/common/clock.h"
#include "server/lookalike/brand_index.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

// What a probe showed and what a check makes of it.
struct ProbedCertificate {
  certs::CertProbe probe;
  std::vector<Reason> reasons;
};

// Probes `target` on the calling thread through `probes` (null when probes
// are off: FailedPrecondition naming certs.disable_probes) and gives the
// CERT_* reasons for `tenant` against `brands` (may be null) as of the
// probe's end on `clock`.
absl::StatusOr<ProbedCertificate> ProbeCertificateNow(
    certs::ProbeCache* probes, const certs::ProbeTarget& target,
    const lookalike::BrandIndex* brands, absl::string_view tenant,
    const Clock& clock);

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_CERTIFICATE_PROBE_H_
