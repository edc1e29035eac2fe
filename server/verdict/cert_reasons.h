// Reasons from a host's certificate (a TLS probe's facts): the certificate
// signal source of the verdict. Certificate reasons are boosters: the
// policy counts them only alongside other evidence (policy.h), so weights
// here say how much a certificate fact raises suspicion of a host that is
// already suspicious, not how suspicious it is alone.
//
// Example:
//   std::vector<Reason> reasons =
//       CertReasons(probe, snapshot->brands.get(), tenant, clock.Now());

#ifndef LUREGUARD_SERVER_VERDICT_CERT_REASONS_H_
#define LUREGUARD_SERVER_VERDICT_CERT_REASONS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/certs/tls_prober.h"
#include "server/lookalike/brand_index.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

// A certificate issued less than this long before the check is CERT_NEW.
// Phishing domains are typically used within days of registration; Let's
// Encrypt certificates of established sites are renewed every 60-90 days,
// so a 7-day window flags about a tenth of honest sites' certificates.
inline constexpr absl::Duration kNewCertificateAge = absl::Hours(24 * 7);

// At most this many SANs are matched against the brands (a certificate can
// name hundreds of hosts; the first ones are the site's own).
inline constexpr size_t kMaxSansChecked = 100;

// CERT_* reasons for `probe` of a host, at `now`: new, self-signed,
// untrusted (another issuer problem), name mismatch, expired, and SANs
// imitating protected brands (`brands` may be null). SANs that are the
// probed host itself are not counted: the host's own lookalike reason
// already speaks for it.
std::vector<Reason> CertReasons(const certs::CertProbe& probe,
                                const lookalike::BrandIndex* brands,
                                absl::string_view tenant, absl::Time now);

// What keeps `probe`'s certificate from showing, at `now`, that one party
// controls every name on it: "is not issued by a trusted CA", "does not
// cover the host" or "is outside its validity dates". Empty when it is
// trusted, for the host probed and valid: a CA issued it to whoever
// proved control of them all, which anyone can fake otherwise.
absl::string_view OwnershipFlaw(const certs::CertProbe& probe, absl::Time now);

// A publicly trusted certificate, valid now and for the probed host, that
// also names a brand's own domain (or a host under one) was issued to
// someone who controls both names: the brand's own site under another
// name, which its name alone makes a lookalike (airbnb.fr on a certificate
// for airbnb.com too; an attacker gets no such certificate). Removes the
// lookalike and CERT_BRAND_SANS reasons of each such brand from `reasons`
// and adds a CERT_BRAND_OWNED reason (weight 0) naming the brand and the
// domain. An untrusted, mismatched or expired certificate changes nothing:
// anyone can make one. Nor does one that also names unrelated sites (a
// hosting provider's certificate shared by its customers): every name on it
// must be the host's, the brand's own, or imitate the brand.
void DropBrandsOwningCertificate(const certs::CertProbe& probe,
                                 const lookalike::BrandIndex& brands,
                                 absl::string_view tenant, absl::Time now,
                                 std::vector<Reason>& reasons);

// True for the CERT_* codes.
bool IsCertReason(ReasonCode code);

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_CERT_REASONS_H_
