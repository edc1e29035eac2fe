#include "server/links/link_policy.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"

namespace lureguard::links {

bool LinkPolicy::ExemptsHost(absl::string_view canonical_host) const {
  for (const std::string& exempt : do_not_rewrite_hosts) {
    if (canonical_host == exempt) return true;
    // A subdomain: the host ends with ".exempt".
    if (canonical_host.size() > exempt.size() &&
        absl::EndsWith(canonical_host, exempt) &&
        canonical_host[canonical_host.size() - exempt.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

bool LinkPolicy::AllowsContinue(verdict::Action action) const {
  switch (action) {
    case verdict::Action::kAllow:
      return true;
    case verdict::Action::kWarn:
    case verdict::Action::kChallenge:
      return allow_continue_on_warn;
    case verdict::Action::kBlock:
      return allow_continue_on_block;
  }
  return false;
}

LinkPolicies::LinkPolicies(LinkPolicy global,
                           absl::flat_hash_map<std::string, LinkPolicy> tenants)
    : global_(std::move(global)), tenants_(std::move(tenants)) {}

const LinkPolicy& LinkPolicies::For(absl::string_view tenant) const {
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? global_ : it->second;
}

absl::Duration LinkPolicies::longest_token_lifetime() const {
  absl::Duration longest = global_.token_lifetime;
  for (const auto& [tenant, policy] : tenants_) {
    longest = std::max(longest, policy.token_lifetime);
  }
  return longest;
}

std::vector<std::string> LinkPolicies::click_base_urls() const {
  std::vector<std::string> bases = {global_.click_base_url};
  for (const auto& [tenant, policy] : tenants_) {
    if (std::find(bases.begin(), bases.end(), policy.click_base_url) ==
        bases.end()) {
      bases.push_back(policy.click_base_url);
    }
  }
  return bases;
}

}  // namespace lureguard::links
