#include "server/verdict/cert_reasons.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/url/url.h"

namespace lureguard::verdict {
namespace {

// Weights: boosters on top of a lookalike or URL reason (see header). A
// self-signed or mismatched certificate on a brand lookalike is what a
// phishing kit on a compromised or throwaway server shows; no honest brand
// site does that, so those weigh most. New and expired are common on small
// honest sites and weigh least.
constexpr double kNewWeight = 0.15;
constexpr double kNewFreeDvWeight = 0.2;
constexpr double kSelfSignedWeight = 0.35;
constexpr double kUntrustedWeight = 0.3;
constexpr double kNameMismatchWeight = 0.3;
constexpr double kExpiredWeight = 0.2;
constexpr double kBrandSansWeight = 0.3;
constexpr double kBrandSansStep = 0.1;  // per further brand SAN
constexpr double kBrandSansMaxWeight = 0.6;

std::string Issuer(const certs::CertFeatures& leaf) {
  if (!leaf.issuer_organization.empty() && !leaf.issuer_cn.empty()) {
    return absl::StrCat(leaf.issuer_organization, " (", leaf.issuer_cn, ")");
  }
  return !leaf.issuer_cn.empty() ? leaf.issuer_cn : leaf.issuer_organization;
}

std::string Days(absl::Duration d) {
  const int64_t days = absl::ToInt64Hours(d) / 24;
  if (days == 0) return absl::StrCat(absl::ToInt64Hours(d), " hours");
  return absl::StrCat(days, days == 1 ? " day" : " days");
}

// The host a SAN names, without a wildcard label.
absl::string_view SanHost(absl::string_view san) {
  if (absl::StartsWith(san, "*.")) san.remove_prefix(2);
  return san;
}

}  // namespace

bool IsCertReason(ReasonCode code) {
  const int value = static_cast<int>(code);
  return value >= static_cast<int>(ReasonCode::kCertNew) &&
         value <= static_cast<int>(ReasonCode::kCertExpired);
}

std::vector<Reason> CertReasons(const certs::CertProbe& probe,
                                const lookalike::BrandIndex* brands,
                                absl::string_view tenant, absl::Time now) {
  const certs::CertFeatures& leaf = probe.leaf;
  const std::string& host = probe.target.host;
  std::vector<Reason> reasons;
  auto add = [&](ReasonCode code, double weight, std::string detail) {
    Reason reason;
    reason.code = code;
    reason.weight = weight;
    reason.detail = std::move(detail);
    reasons.push_back(std::move(reason));
    return &reasons.back();
  };

  const absl::Duration age = now - leaf.not_before;
  if (age >= absl::ZeroDuration() && age < kNewCertificateAge) {
    Reason* r = add(ReasonCode::kCertNew,
                    leaf.free_dv_issuer ? kNewFreeDvWeight : kNewWeight,
                    absl::StrCat("The certificate of ", host, " was issued ",
                                 Days(age), " ago by ", Issuer(leaf), "."));
    r->technique = leaf.free_dv_issuer ? "free-dv" : "";
    r->matched = absl::FormatTime(absl::RFC3339_sec, leaf.not_before,
                                  absl::UTCTimeZone());
  }
  if (leaf.self_signed) {
    add(ReasonCode::kCertSelfSigned, kSelfSignedWeight,
        absl::StrCat("The certificate of ", host,
                     " is self-signed: no certificate authority vouches for "
                     "it."));
  } else if (!probe.chain_trusted) {
    Reason* r =
        add(ReasonCode::kCertUntrusted, kUntrustedWeight,
            absl::StrCat("The certificate of ", host, " (issuer ", Issuer(leaf),
                         ") does not verify to a trusted root."));
    r->matched = absl::StrJoin(probe.verify_errors, "; ");
  }
  if (!probe.hostname_matches) {
    Reason* r = add(ReasonCode::kCertNameMismatch, kNameMismatchWeight,
                    absl::StrCat("The certificate served by ", host, " is for ",
                                 leaf.dns_names.empty()
                                     ? std::string("no DNS name")
                                     : absl::StrJoin(leaf.dns_names, ", "),
                                 ", not for ", host, "."));
    r->matched = absl::StrJoin(leaf.dns_names, ",");
  }
  if (now >= leaf.not_after || now < leaf.not_before) {
    Reason* r = add(
        ReasonCode::kCertExpired, kExpiredWeight,
        now >= leaf.not_after
            ? absl::StrCat("The certificate of ", host, " expired ",
                           Days(now - leaf.not_after), " ago.")
            : absl::StrCat("The certificate of ", host, " is not valid yet."));
    r->matched = absl::FormatTime(absl::RFC3339_sec, leaf.not_after,
                                  absl::UTCTimeZone());
  }

  if (brands != nullptr) {
    std::vector<std::string> imitating;
    std::string first_brand;
    const size_t checked = std::min(leaf.dns_names.size(), kMaxSansChecked);
    for (size_t i = 0; i < checked; ++i) {
      const absl::string_view san = SanHost(leaf.dns_names[i]);
      if (san == host) continue;
      std::vector<lookalike::LookalikeMatch> matches =
          brands->MatchHost(san, tenant);
      if (matches.empty() || matches.front().weight < 0.5) continue;
      if (first_brand.empty()) first_brand = matches.front().brand;
      imitating.push_back(leaf.dns_names[i]);
    }
    if (!imitating.empty()) {
      Reason* r = add(
          ReasonCode::kCertBrandSans,
          std::min(kBrandSansMaxWeight,
                   kBrandSansWeight + kBrandSansStep * (imitating.size() - 1)),
          absl::StrFormat("The certificate of %s also names %d other "
                          "host%s imitating protected brands (%d names in "
                          "all).",
                          host, imitating.size(),
                          imitating.size() == 1 ? "" : "s",
                          leaf.dns_names.size()));
      r->brand = first_brand;
      r->matched = absl::StrJoin(imitating, ",");
    }
  }
  return reasons;
}

absl::string_view OwnershipFlaw(const certs::CertProbe& probe, absl::Time now) {
  if (!probe.chain_trusted) return "is not issued by a trusted CA";
  if (!probe.hostname_matches) return "does not cover the host";
  if (now < probe.leaf.not_before || now >= probe.leaf.not_after) {
    return "is outside its validity dates";
  }
  return "";
}

void DropBrandsOwningCertificate(const certs::CertProbe& probe,
                                 const lookalike::BrandIndex& brands,
                                 absl::string_view tenant, absl::Time now,
                                 std::vector<Reason>& reasons) {
  const certs::CertFeatures& leaf = probe.leaf;
  if (!OwnershipFlaw(probe, now).empty() ||
      leaf.san_dns_names.size() > kMaxSansChecked) {
    return;
  }
  // Only brands the host is said to imitate are worth the lookups.
  auto imitated = [&](absl::string_view brand) {
    return std::any_of(reasons.begin(), reasons.end(), [&](const Reason& r) {
      return IsLookalikeCode(r.code) && (brand.empty() || r.brand == brand);
    });
  };
  if (!imitated("")) return;
  std::vector<std::string> sans;  // lowercase, without a wildcard label
  sans.reserve(leaf.san_dns_names.size());
  for (const std::string& name : leaf.san_dns_names) {
    sans.push_back(absl::AsciiStrToLower(SanHost(name)));
  }
  std::vector<std::pair<std::string, size_t>> owned;  // brand, its SAN
  // A certificate that names the site only from above it is a platform's
  // for every customer's site ("*.azurewebsites.net", issued to Microsoft,
  // serves "office365-login.azurewebsites.net"): the platform's owner does
  // not own the sites on it.
  const std::string& host = probe.target.host;
  const std::string site = url::RegistrableDomain(host);
  const std::string under_site = absl::StrCat(".", site);
  if (site.empty() ||
      std::none_of(sans.begin(), sans.end(), [&](const std::string& san) {
        return san == site || absl::EndsWith(san, under_site);
      })) {
    return;
  }
  for (size_t i = 0; i < sans.size(); ++i) {
    std::string brand = brands.OfficialBrand(sans[i], tenant);
    if (brand.empty() || !imitated(brand) ||
        std::any_of(owned.begin(), owned.end(),
                    [&](const auto& o) { return o.first == brand; })) {
      continue;
    }
    owned.emplace_back(std::move(brand), i);
  }
  // A certificate shared by unrelated sites (hosting and CDN certificates
  // that list many customers) proves nothing about any one of them: every
  // name on it must be the host's, the brand's, or another name of the
  // brand's kind (its label under other suffixes).
  auto belongs = [&](absl::string_view san, absl::string_view brand) {
    if (san == host || absl::EndsWith(san, absl::StrCat(".", host))) {
      return true;
    }
    if (brands.OfficialBrand(san, tenant) == brand) return true;
    const std::vector<lookalike::LookalikeMatch> matches =
        brands.MatchHost(san, tenant);
    return !matches.empty() && matches.front().brand == brand &&
           matches.front().weight >= 0.5;
  };
  std::erase_if(owned, [&](const auto& o) {
    return !std::all_of(sans.begin(), sans.end(), [&](const std::string& san) {
      return belongs(san, o.first);
    });
  });
  for (const auto& owner : owned) {
    // Named, not a structured binding: clang 14 (scripts/fuzz) cannot
    // capture one in the lambda below.
    const std::string& brand = owner.first;
    const size_t san_index = owner.second;
    std::erase_if(reasons, [&](const Reason& r) {
      return (IsLookalikeCode(r.code) ||
              r.code == ReasonCode::kCertBrandSans) &&
             r.brand == brand;
    });
    const std::string& san = leaf.san_dns_names[san_index];
    Reason reason;
    reason.code = ReasonCode::kCertBrandOwned;
    reason.brand = brand;
    reason.matched = san;
    reason.detail = absl::StrFormat(
        "The trusted certificate of %s also covers %s, %s's own domain: "
        "the site is %s's, not an imitation.",
        host, san, brand, brand);
    reasons.push_back(std::move(reason));
  }
}

}  // namespace lureguard::verdict
