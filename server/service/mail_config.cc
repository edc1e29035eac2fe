#include "server/service/mail_config.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/service/convert.h"
#include "server/url/url.h"

namespace lureguard::service {
namespace {

absl::Status CheckPolicy(const std::string& field, const v1::MailPolicy& p) {
  for (int i = 0; i < p.own_domains_size(); ++i) {
    absl::StatusOr<std::string> host = url::CanonicalizeHost(p.own_domains(i));
    if (!host.ok() || host->find('.') == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".own_domains[", i, "]: '", p.own_domains(i),
          "' is not a domain name",
          host.ok() ? "" : absl::StrCat(" (", host.status().message(), ")")));
    }
  }
  return absl::OkStatus();
}

mail::MailPolicy Merge(const mail::MailPolicy& base, const v1::MailPolicy& p) {
  mail::MailPolicy out;
  // Own domains and names are the tenant's alone: another tenant's mail
  // domains are not this one's.
  out.own_domains.assign(p.own_domains().begin(), p.own_domains().end());
  out.own_name = p.own_name();
  out.defang_attachments = p.has_defang_attachments() ? p.defang_attachments()
                                                      : base.defang_attachments;
  return out;
}

}  // namespace

absl::Status ValidateMailConfig(const v1::ServerConfig& config) {
  const v1::MailConfig& mail = config.mail();
  RETURN_IF_ERROR(CheckPolicy("mail.policy", mail.policy()));
  absl::flat_hash_set<std::string> tenants;
  for (int i = 0; i < mail.tenants_size(); ++i) {
    const std::string field = absl::StrCat("mail.tenants[", i, "]");
    if (mail.tenants(i).tenant().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".tenant: must be set"));
    }
    if (!tenants.insert(mail.tenants(i).tenant()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".tenant: '", mail.tenants(i).tenant(), "' is given twice"));
    }
    RETURN_IF_ERROR(
        CheckPolicy(absl::StrCat(field, ".policy"), mail.tenants(i).policy()));
  }
  for (int i = 0; i < mail.trusted_authserv_ids_size(); ++i) {
    const std::string& id = mail.trusted_authserv_ids(i);
    if (id.empty() || id.find_first_of(" \t;()\"") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("mail.trusted_authserv_ids[", i, "]: '", id,
                       "' is not an authserv-id (a host name)"));
    }
  }
  if (mail.max_message_bytes() < 0 ||
      (config.limits().max_message_bytes() > 0 &&
       mail.max_message_bytes() > config.limits().max_message_bytes())) {
    return absl::InvalidArgumentError(
        absl::StrCat("mail.max_message_bytes: ", mail.max_message_bytes(),
                     " must be positive and fit limits.max_message_bytes (",
                     config.limits().max_message_bytes(), ")"));
  }
  if (mail.max_part_bytes() < 0) {
    return absl::InvalidArgumentError("mail.max_part_bytes: is negative");
  }
  if (mail.max_decoded_bytes() < 0) {
    return absl::InvalidArgumentError("mail.max_decoded_bytes: is negative");
  }
  if (mail.max_decode_depth() < 0 || mail.max_decode_depth() > 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("mail.max_decode_depth: ", mail.max_decode_depth(),
                     " is outside [0, 16]"));
  }
  if (mail.max_parts() < 0) {
    return absl::InvalidArgumentError("mail.max_parts: is negative");
  }
  if (mail.has_deadline() &&
      FromProto(mail.deadline()) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("mail.deadline: must be positive");
  }
  return absl::OkStatus();
}

absl::StatusOr<mail::MailPolicies> MailPoliciesFromConfig(
    const v1::ServerConfig& config) {
  const v1::MailConfig& mail = config.mail();
  const mail::MailPolicy global = Merge({}, mail.policy());
  std::vector<std::pair<std::string, mail::MailPolicy>> tenants;
  for (const v1::MailTenantPolicy& tenant : mail.tenants()) {
    tenants.emplace_back(tenant.tenant(), Merge(global, tenant.policy()));
  }
  mail::MailLimits limits;
  if (mail.max_message_bytes() > 0) {
    limits.max_message_bytes = static_cast<size_t>(mail.max_message_bytes());
  }
  if (mail.max_part_bytes() > 0) {
    limits.max_part_bytes = static_cast<size_t>(mail.max_part_bytes());
  }
  if (mail.max_decoded_bytes() > 0) {
    limits.max_decoded_bytes = static_cast<size_t>(mail.max_decoded_bytes());
  }
  if (mail.max_decode_depth() > 0) {
    limits.max_decode_depth = mail.max_decode_depth();
  }
  if (mail.max_parts() > 0) limits.max_parts = mail.max_parts();
  if (mail.has_deadline()) limits.deadline = FromProto(mail.deadline());
  return mail::MailPolicies::Create(
      global, std::move(tenants),
      {mail.trusted_authserv_ids().begin(), mail.trusted_authserv_ids().end()},
      limits);
}

}  // namespace lureguard::service
