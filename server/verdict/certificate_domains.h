// The brand's other domains a certificate shows: a brand added with one
// domain ("airbnb.com") also runs its label under other suffixes
// ("airbnb.fr", "airbnb.co.uk"), which only its name, not its owner, makes
// TLD swaps of it. A publicly trusted certificate that the brand's own site
// serves and that names them was issued to whoever controls them all; an
// attacker gets no such certificate. AdminService.CreateBrand reads one on
// request (`domains_from_certificate`).
//
// Example:
//   RETURN_IF_ERROR(AddDomainsFromCertificate(
//       probes, {"www.airbnb.com", 443}, clock, brand));

#ifndef LUREGUARD_SERVER_VERDICT_CERTIFICATE_DOMAINS_H_
#define LUREGUARD_SERVER_VERDICT_CERTIFICATE_DOMAINS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/certs/probe_cache.h"
#include "server/certs/probe_target.h"
#include "server/certs/tls_prober.h"
#include "server/common/clock.h"
#include "server/lookalike/brand.h"

namespace lureguard::verdict {

// InvalidArgument (field "domains_from_certificate") unless `host`, a
// canonical host, is `brand`'s own: one of its domains or under one. Only
// the brand's site speaks for it; checked before probing, so that no
// other host is even resolved.
absl::Status CheckBrandsOwnHost(absl::string_view host,
                                const lookalike::Brand& brand);

// The registrable domains that `probe`'s certificate names (a wildcard
// "*.airbnb.de" names airbnb.de) whose label left of the public suffix is
// the label of one of `brand`'s domains, and which `brand` does not list
// yet, in the certificate's order. Other names on it (a CDN's, a sister
// brand's) are not taken: a name that only shares the certificate is no
// TLD swap of the brand.
//
// InvalidArgument as CheckBrandsOwnHost when the host probed is not the
// brand's. FailedPrecondition when the certificate proves nothing at
// `now`: its chain is untrusted, it does not cover the host, or it is
// outside its validity dates.
absl::StatusOr<std::vector<std::string>> DomainsFromCertificate(
    const certs::CertProbe& probe, const lookalike::Brand& brand,
    absl::Time now);

// What CreateBrand does with `domains_from_certificate`: checks that
// `target` is `brand`'s own host (CheckBrandsOwnHost) before anything is
// resolved, probes it now through `probes` (null when probes are off) as
// ProbeCertificateNow does, and appends what DomainsFromCertificate finds
// to `brand.domains`. `brand` is unchanged on error: ProbeCertificateNow's
// and DomainsFromCertificate's.
absl::Status AddDomainsFromCertificate(certs::ProbeCache* probes,
                                       const certs::ProbeTarget& target,
                                       const Clock& clock,
                                       lookalike::Brand& brand);

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_CERTIFICATE_DOMAINS_H_
