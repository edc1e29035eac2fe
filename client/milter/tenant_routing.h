// Which tenant judges a message, from its recipients' domains.
//
// Thread safety: immutable after construction; safe for concurrent use.
//
// Example:
//   TenantRouter router(config);  // tenant_routes {domain: "acme.example"
//                                 //                tenant: "acme"}
//   router.TenantFor({"bob@mail.acme.example"});  // "acme"

#ifndef LUREGUARD_CLIENT_MILTER_TENANT_ROUTING_H_
#define LUREGUARD_CLIENT_MILTER_TENANT_ROUTING_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "lureguard/v1/milter_config.pb.h"

namespace lureguard::milter {

// The key a route's domain is filed under and a recipient's domain looked
// up by: lowercase, without one trailing dot ("Acme.Example." ->
// "acme.example"). ValidateMilterConfig refuses two routes with one key.
std::string RouteDomainKey(absl::string_view domain);

// The lowercased domain of an envelope address: "<Bob@Acme.Example>" ->
// "acme.example". Empty when there is no '@'.
std::string RecipientDomain(absl::string_view address);

class TenantRouter {
 public:
  // REQUIRES: `config` passed ValidateMilterConfig.
  explicit TenantRouter(const v1::MilterConfig& config);

  // The tenant of the recipients' domains (a route for the domain or its
  // nearest parent domain). When a recipient has no route, or recipients
  // map to different tenants, the default tenant: one message is judged by
  // one policy, and a tenant's policy never judges another's mail.
  std::string TenantFor(const std::vector<std::string>& recipients) const;

 private:
  // The route of `domain` or of its nearest parent; null when none.
  const std::string* RouteOf(absl::string_view domain) const;

  std::string default_tenant_;
  absl::flat_hash_map<std::string, std::string> tenant_by_domain_;
};

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_TENANT_ROUTING_H_
