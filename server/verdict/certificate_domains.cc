#include "server/verdict/certificate_domains.h"

#include <algorithm>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/url/url.h"
#include "server/verdict/cert_reasons.h"
#include "server/verdict/certificate_probe.h"

namespace lureguard::verdict {
namespace {

// `brand`'s domains as the registry will store them ("Airbnb.COM" is
// airbnb.com); a domain it will refuse shows nothing here.
std::vector<std::string> CanonicalDomains(const lookalike::Brand& brand) {
  std::vector<std::string> domains;
  for (const std::string& domain : brand.domains) {
    absl::StatusOr<std::string> canonical = url::CanonicalizeHost(domain);
    if (canonical.ok()) domains.push_back(*std::move(canonical));
  }
  return domains;
}

// CheckBrandsOwnHost against `domains`, the brand's canonical domains.
absl::Status CheckOwnHost(absl::string_view host,
                          const std::vector<std::string>& domains,
                          const lookalike::Brand& brand) {
  if (std::any_of(domains.begin(), domains.end(), [&](const std::string& d) {
        return host == d || absl::EndsWith(host, absl::StrCat(".", d));
      })) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("domains_from_certificate: '", host,
                   "' is not under a domain of brand '", brand.name, "'"));
}

}  // namespace

absl::Status CheckBrandsOwnHost(absl::string_view host,
                                const lookalike::Brand& brand) {
  return CheckOwnHost(host, CanonicalDomains(brand), brand);
}

absl::StatusOr<std::vector<std::string>> DomainsFromCertificate(
    const certs::CertProbe& probe, const lookalike::Brand& brand,
    absl::Time now) {
  const std::string& host = probe.target.host;
  const std::vector<std::string> domains = CanonicalDomains(brand);
  RETURN_IF_ERROR(CheckOwnHost(host, domains, brand));
  if (const absl::string_view flaw = OwnershipFlaw(probe, now); !flaw.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("domains_from_certificate: the certificate of '", host,
                     "' ", flaw, ", so it shows no domain of the brand"));
  }
  std::vector<std::string> labels;
  labels.reserve(domains.size());
  for (const std::string& domain : domains) {
    labels.push_back(lookalike::DomainLabel(domain));
  }
  auto contains = [](const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  std::vector<std::string> found;
  for (std::string_view name : probe.leaf.dns_names) {
    if (name.starts_with("*.")) name.remove_prefix(2);
    std::string domain = url::RegistrableDomain(name);
    if (domain.empty() || contains(domains, domain) ||
        contains(found, domain) ||
        !contains(labels, lookalike::DomainLabel(domain))) {
      continue;
    }
    found.push_back(std::move(domain));
  }
  return found;
}

absl::Status AddDomainsFromCertificate(certs::ProbeCache* probes,
                                       const certs::ProbeTarget& target,
                                       const Clock& clock,
                                       lookalike::Brand& brand) {
  RETURN_IF_ERROR(CheckBrandsOwnHost(target.host, brand));
  ASSIGN_OR_RETURN(
      ProbedCertificate probed,
      ProbeCertificateNow(probes, target, nullptr, brand.tenant, clock));
  ASSIGN_OR_RETURN(std::vector<std::string> more,
                   DomainsFromCertificate(probed.probe, brand, clock.Now()));
  brand.domains.insert(brand.domains.end(), more.begin(), more.end());
  return absl::OkStatus();
}

}  // namespace lureguard::verdict
