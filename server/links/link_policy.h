// Per-tenant link policy: what RewriteMessage rewrites and what a click
// may do. Built once from the configuration (service/links_config.h) and
// read by every rewrite and click.
//
// Thread safety: immutable after construction; safe for concurrent use.
//
// Example:
//   LinkPolicy acme;
//   acme.do_not_rewrite_hosts = {"sso.acme.example"};
//   LinkPolicies policies(LinkPolicy{}, {{"acme", acme}});
//   policies.For("acme").ExemptsHost("login.sso.acme.example");  // true

#ifndef LUREGUARD_SERVER_LINKS_LINK_POLICY_H_
#define LUREGUARD_SERVER_LINKS_LINK_POLICY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/verdict/verdict.h"

namespace lureguard::links {

// One tenant's policy.
struct LinkPolicy {
  bool rewrite_html = true;  // text/html parts and bodies
  bool rewrite_text = true;  // text/plain parts and bodies
  // Canonical hosts whose links (and their subdomains') are never
  // rewritten; still judged and reported.
  std::vector<std::string> do_not_rewrite_hosts;
  bool allow_continue_on_warn = true;
  bool allow_continue_on_block = false;
  // Mail is read long after delivery; Proofpoint and Microsoft keep their
  // rewritten links working for months as well.
  absl::Duration token_lifetime = absl::Hours(24 * 90);
  // "https://click.example.com": click URLs are BASE/c/TOKEN.
  std::string click_base_url;
  // Every ALLOW click shows the one-click "Continue to <host>" page, not
  // only those whose destination LooksSingleUse (click_safety.h).
  bool confirm_every_click = false;

  // Whether links to `canonical_host` are left as they are.
  bool ExemptsHost(absl::string_view canonical_host) const;

  // Whether a click page for a verdict with this action offers "continue".
  bool AllowsContinue(verdict::Action action) const;
};

// The policies of all tenants, with the global one for the rest.
class LinkPolicies {
 public:
  LinkPolicies(LinkPolicy global,
               absl::flat_hash_map<std::string, LinkPolicy> tenants);

  // The policy of `tenant`; the global one for "" and unlisted tenants.
  const LinkPolicy& For(absl::string_view tenant) const;

  // The longest token lifetime of any tenant: tokens older than this are
  // refused before their tenant is known.
  absl::Duration longest_token_lifetime() const;

  // Every distinct click base URL, for recognising our own click links.
  std::vector<std::string> click_base_urls() const;

 private:
  LinkPolicy global_;
  absl::flat_hash_map<std::string, LinkPolicy> tenants_;
};

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_LINK_POLICY_H_
