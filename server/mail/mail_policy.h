// What a message verdict needs to know about each tenant: its own mail
// domains (protected like a brand for that tenant), the name display
// names give it, whether dangerous attachments are defanged; and, for all
// tenants, which receiving servers' Authentication-Results are believed
// and the limits of one check.
//
// Thread safety: immutable after Create; safe for concurrent use.
//
// Example:
//   absl::StatusOr<MailPolicies> policies = MailPolicies::Create(
//       {.own_domains = {"acme.example"}, .own_name = "Acme"}, {},
//       {"mx.acme.example"});
//   policies->own_domains()->MatchHost("acme-example.com", "");

#ifndef LUREGUARD_SERVER_MAIL_MAIL_POLICY_H_
#define LUREGUARD_SERVER_MAIL_MAIL_POLICY_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/lookalike/brand_index.h"

namespace lureguard::mail {

// One tenant's mail policy.
struct MailPolicy {
  // Registrable domains the tenant sends mail from ("acme.example").
  std::vector<std::string> own_domains;
  // The tenant's name in display names; "" means the tenant name.
  std::string own_name;
  // Replace attachments that made a message BLOCK by a notice.
  bool defang_attachments = false;
};

// Bounds on one message check.
struct MailLimits {
  size_t max_message_bytes = 25u << 20;
  size_t max_part_bytes = 4u << 20;
  size_t max_decoded_bytes = 1u << 20;
  int max_decode_depth = 4;
  int max_parts = 500;
  absl::Duration deadline = absl::Seconds(2);
};

// The policies of all tenants.
class MailPolicies {
 public:
  // `global` applies to tenants without an entry in `tenants`; a tenant's
  // policy replaces it whole (the config layer merges fields).
  // InvalidArgument naming the tenant and domain when an own domain is
  // not a host name.
  static absl::StatusOr<MailPolicies> Create(
      MailPolicy global,
      std::vector<std::pair<std::string, MailPolicy>> tenants,
      std::vector<std::string> trusted_authserv_ids, MailLimits limits = {});

  // The policy of `tenant` ("" for global).
  const MailPolicy& For(absl::string_view tenant) const;

  // The own domains of every tenant as brands of that tenant (the global
  // policy's as global brands), for lookalike matching; null when no
  // policy names any.
  const lookalike::BrandIndex* own_domains() const { return own_.get(); }

  // True when `authserv_id` (any case) is one the operator trusts.
  bool TrustsAuthservId(absl::string_view authserv_id) const;

  const MailLimits& limits() const { return limits_; }

 private:
  MailPolicies() = default;

  MailPolicy global_;
  absl::flat_hash_map<std::string, MailPolicy> tenants_;
  absl::flat_hash_set<std::string> trusted_;
  std::shared_ptr<const lookalike::BrandIndex> own_;
  MailLimits limits_;
};

}  // namespace lureguard::mail

#endif  // LUREGUARD_SERVER_MAIL_MAIL_POLICY_H_
