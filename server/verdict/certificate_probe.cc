#include "server/verdict/certificate_probe.h"

#include <utility>

#include "server/verdict/cert_reasons.h"

namespace lureguard::verdict {

absl::StatusOr<ProbedCertificate> ProbeCertificateNow(
    certs::ProbeCache* probes, const certs::ProbeTarget& target,
    const lookalike::BrandIndex* brands, absl::string_view tenant,
    const Clock& clock) {
  if (probes == nullptr) {
    return absl::FailedPreconditionError(
        "certificate probes are off (certs.disable_probes in the server "
        "config)");
  }
  absl::StatusOr<certs::CertProbe> probe = probes->ProbeNow(target);
  if (!probe.ok()) {
    if (absl::IsPermissionDenied(probe.status())) {
      return absl::FailedPreconditionError(probe.status().message());
    }
    return probe.status();
  }
  ProbedCertificate out;
  out.reasons = CertReasons(*probe, brands, tenant, clock.Now());
  out.probe = *std::move(probe);
  return out;
}

}  // namespace lureguard::verdict
