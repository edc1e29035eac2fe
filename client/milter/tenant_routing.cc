#include "client/milter/tenant_routing.h"

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"

namespace lureguard::milter {

std::string RouteDomainKey(absl::string_view domain) {
  absl::ConsumeSuffix(&domain, ".");
  return absl::AsciiStrToLower(domain);
}

std::string RecipientDomain(absl::string_view address) {
  address = absl::StripAsciiWhitespace(address);
  absl::ConsumePrefix(&address, "<");
  absl::ConsumeSuffix(&address, ">");
  const size_t at = address.rfind('@');
  if (at == absl::string_view::npos) return "";
  return RouteDomainKey(address.substr(at + 1));
}

TenantRouter::TenantRouter(const v1::MilterConfig& config)
    : default_tenant_(config.default_tenant()) {
  for (const v1::MilterTenantRoute& route : config.tenant_routes()) {
    tenant_by_domain_.emplace(RouteDomainKey(route.domain()), route.tenant());
  }
}

const std::string* TenantRouter::RouteOf(absl::string_view domain) const {
  while (!domain.empty()) {
    if (auto it = tenant_by_domain_.find(domain);
        it != tenant_by_domain_.end()) {
      return &it->second;
    }
    const size_t dot = domain.find('.');
    if (dot == absl::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return nullptr;
}

std::string TenantRouter::TenantFor(
    const std::vector<std::string>& recipients) const {
  const std::string* chosen = nullptr;
  for (const std::string& recipient : recipients) {
    const std::string* tenant = RouteOf(RecipientDomain(recipient));
    if (tenant == nullptr) return default_tenant_;
    if (chosen != nullptr && *chosen != *tenant) return default_tenant_;
    chosen = tenant;
  }
  return chosen == nullptr ? default_tenant_ : *chosen;
}

}  // namespace lureguard::milter
