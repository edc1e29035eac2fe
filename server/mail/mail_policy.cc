#include "server/mail/mail_policy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace lureguard::mail {
namespace {

// The brand a policy's own domains form for matching.
void AddOwnBrand(const MailPolicy& policy, absl::string_view tenant,
                 std::vector<lookalike::Brand>* brands) {
  if (policy.own_domains.empty()) return;
  lookalike::Brand& brand = brands->emplace_back();
  brand.name = !policy.own_name.empty() ? policy.own_name
               : !tenant.empty()        ? std::string(tenant)
                                        : "your organisation";
  brand.domains = policy.own_domains;
  brand.tenant = std::string(tenant);
}

}  // namespace

absl::StatusOr<MailPolicies> MailPolicies::Create(
    MailPolicy global, std::vector<std::pair<std::string, MailPolicy>> tenants,
    std::vector<std::string> trusted_authserv_ids, MailLimits limits) {
  MailPolicies policies;
  std::vector<lookalike::Brand> brands;
  AddOwnBrand(global, "", &brands);
  for (auto& [tenant, policy] : tenants) {
    AddOwnBrand(policy, tenant, &brands);
    policies.tenants_[tenant] = std::move(policy);
  }
  if (!brands.empty()) {
    absl::StatusOr<lookalike::BrandIndex> index =
        lookalike::BrandIndex::Build(std::move(brands));
    if (!index.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("own_domains: ", index.status().message()));
    }
    policies.own_ =
        std::make_shared<const lookalike::BrandIndex>(*std::move(index));
  }
  policies.global_ = std::move(global);
  for (std::string& id : trusted_authserv_ids) {
    absl::AsciiStrToLower(&id);
    policies.trusted_.insert(std::move(id));
  }
  policies.limits_ = limits;
  return policies;
}

const MailPolicy& MailPolicies::For(absl::string_view tenant) const {
  auto it = tenants_.find(tenant);
  return it != tenants_.end() ? it->second : global_;
}

bool MailPolicies::TrustsAuthservId(absl::string_view authserv_id) const {
  return trusted_.contains(absl::AsciiStrToLower(authserv_id));
}

}  // namespace lureguard::mail
