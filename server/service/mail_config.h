// Reads `ServerConfig.mail` into the mail engine's types: per-tenant
// policies (own domains, defanging), trusted authserv-ids, and limits.

#ifndef LUREGUARD_SERVER_SERVICE_MAIL_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_MAIL_CONFIG_H_

#include "absl/status/statusor.h"
#include "lureguard/v1/config.pb.h"
#include "server/mail/mail_policy.h"

namespace lureguard::service {

// InvalidArgument naming the field ("mail.tenants[0].policy.own_domains[1]:
// 'acme example' is not a domain name").
absl::Status ValidateMailConfig(const v1::ServerConfig& config);

// The policies and limits, with their defaults.
// REQUIRES: ValidateMailConfig passed.
absl::StatusOr<mail::MailPolicies> MailPoliciesFromConfig(
    const v1::ServerConfig& config);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_MAIL_CONFIG_H_
