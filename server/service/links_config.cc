#include "server/service/links_config.h"

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/common/keyed_hasher.h"
#include "server/common/status_macros.h"
#include "server/service/convert.h"
#include "server/service/rate_limit_config.h"
#include "server/url/url.h"

namespace lureguard::service {
namespace {

// The common mail size limit (Gmail, Exchange Online's default).
constexpr int64_t kDefaultMaxMessageBytes = 25 << 20;
constexpr int kDefaultMaxLinks = 5000;
// Room for the rest of the request beside the message in one gRPC message.
constexpr int64_t kRequestOverhead = 64 << 10;

absl::Status CheckClickBase(const std::string& field, const std::string& base) {
  if (base.empty()) return absl::OkStatus();
  absl::StatusOr<url::ParsedUrl> parsed = url::ParseUrl(base);
  if (!parsed.ok() || !(absl::StartsWith(base, "http://") ||
                        absl::StartsWith(base, "https://"))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", base, "' is not an http or https URL"));
  }
  // Click URLs are BASE/c/TOKEN, and ClickUrlDecoder matches host[:port].
  absl::string_view rest = base;
  rest.remove_prefix(rest.find("://") + 3);
  const size_t slash = rest.find_first_of("/?#");
  if (slash != absl::string_view::npos && rest.substr(slash) != "/") {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", base, "' must have no path, query or fragment"));
  }
  return absl::OkStatus();
}

absl::Status CheckPolicy(const std::string& field,
                         const v1::LinkPolicy& policy) {
  RETURN_IF_ERROR(CheckClickBase(absl::StrCat(field, ".click_base_url"),
                                 policy.click_base_url()));
  for (int i = 0; i < policy.do_not_rewrite_hosts_size(); ++i) {
    absl::StatusOr<std::string> host =
        url::CanonicalizeHost(policy.do_not_rewrite_hosts(i));
    if (!host.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".do_not_rewrite_hosts[", i, "]: '",
          policy.do_not_rewrite_hosts(i), "': ", host.status().message()));
    }
  }
  if (policy.has_token_lifetime() &&
      FromProto(policy.token_lifetime()) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".token_lifetime: must be positive"));
  }
  return absl::OkStatus();
}

// Merges `over` into `base`: set fields win, hosts add up.
links::LinkPolicy Merge(links::LinkPolicy base, const v1::LinkPolicy& over) {
  if (over.has_rewrite_html()) base.rewrite_html = over.rewrite_html();
  if (over.has_rewrite_text()) base.rewrite_text = over.rewrite_text();
  for (const std::string& host : over.do_not_rewrite_hosts()) {
    absl::StatusOr<std::string> canonical = url::CanonicalizeHost(host);
    if (canonical.ok()) base.do_not_rewrite_hosts.push_back(*canonical);
  }
  if (over.has_allow_continue_on_warn()) {
    base.allow_continue_on_warn = over.allow_continue_on_warn();
  }
  if (over.has_allow_continue_on_block()) {
    base.allow_continue_on_block = over.allow_continue_on_block();
  }
  if (over.has_confirm_every_click()) {
    base.confirm_every_click = over.confirm_every_click();
  }
  if (over.has_token_lifetime()) {
    base.token_lifetime = FromProto(over.token_lifetime());
  }
  if (!over.click_base_url().empty()) {
    base.click_base_url =
        std::string(absl::StripSuffix(over.click_base_url(), "/"));
  }
  return base;
}

}  // namespace

absl::Status ValidateLinksConfig(const v1::ServerConfig& config) {
  const v1::LinksConfig& links = config.links();
  if (links.has_click_window()) {
    const absl::Duration window = FromProto(links.click_window());
    if (window < absl::Seconds(1) || window > absl::Hours(720)) {
      return absl::InvalidArgumentError(
          absl::StrCat("links.click_window: ", absl::FormatDuration(window),
                       " is outside [1s, 720h]"));
    }
  }
  if (links.has_click_retention()) {
    const absl::Duration retention = FromProto(links.click_retention());
    if (retention < absl::Hours(1) || retention > absl::Hours(87600)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "links.click_retention: ", absl::FormatDuration(retention),
          " is outside [1h, 87600h]"));
    }
  }
  RETURN_IF_ERROR(
      ValidateRateLimit("links.click_rate_per_ip", links.click_rate_per_ip()));
  if (absl::Status s =
          CheckClickBase("links.click_base_url", links.click_base_url());
      !s.ok()) {
    return s;
  }
  std::vector<std::string> ids;
  for (int i = 0; i < links.signing_keys_size(); ++i) {
    const v1::LinkSigningKey& key = links.signing_keys(i);
    const std::string field = absl::StrCat("links.signing_keys[", i, "]");
    if (key.id().empty() || key.id().size() > 16 ||
        !std::all_of(key.id().begin(), key.id().end(), [](char c) {
          return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                 c == '-' || c == '_';
        })) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".id: '", key.id(),
                       "' must be 1 to 16 characters [A-Za-z0-9_-]"));
    }
    if (std::find(ids.begin(), ids.end(), key.id()) != ids.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".id: '", key.id(), "' is given twice"));
    }
    ids.push_back(key.id());
    if (key.secret_file().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".secret_file: must be set"));
    }
  }
  if (!links.signing_key_id().empty() &&
      std::find(ids.begin(), ids.end(), links.signing_key_id()) == ids.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("links.signing_key_id: '", links.signing_key_id(),
                     "' is not one of links.signing_keys"));
  }
  if (links.signing_key_id().empty() && ids.size() > 1) {
    return absl::InvalidArgumentError(
        "links.signing_key_id: must name the signing key when there are "
        "several");
  }
  RETURN_IF_ERROR(CheckPolicy("links.policy", links.policy()));
  for (int i = 0; i < links.tenants_size(); ++i) {
    const std::string field = absl::StrCat("links.tenants[", i, "]");
    if (links.tenants(i).tenant().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".tenant: must be set"));
    }
    RETURN_IF_ERROR(
        CheckPolicy(absl::StrCat(field, ".policy"), links.tenants(i).policy()));
  }
  const int64_t limit =
      int64_t{config.limits().max_message_bytes()} - kRequestOverhead;
  if (links.max_message_bytes() < 0 || links.max_message_bytes() > limit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "links.max_message_bytes: ", links.max_message_bytes(),
        " is outside [0, limits.max_message_bytes - 64 KiB = ", limit, "]"));
  }
  if (links.max_links() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("links.max_links: ", links.max_links(), " is negative"));
  }
  return absl::OkStatus();
}

absl::StatusOr<links::LinkPolicies> LinkPoliciesFromConfig(
    const v1::LinksConfig& config, absl::string_view default_click_base) {
  links::LinkPolicy defaults;
  defaults.click_base_url =
      std::string(absl::StripSuffix(default_click_base, "/"));
  links::LinkPolicy global = Merge(std::move(defaults), config.policy());
  absl::flat_hash_map<std::string, links::LinkPolicy> tenants;
  for (const v1::LinkTenantPolicy& tenant : config.tenants()) {
    tenants[tenant.tenant()] = Merge(global, tenant.policy());
  }
  return links::LinkPolicies(std::move(global), std::move(tenants));
}

absl::StatusOr<links::ClickTokenCodec> ClickTokenCodecFromConfig(
    const v1::ServerConfig& config, absl::Duration lifetime) {
  const std::filesystem::path data_dir(config.data_dir());
  std::vector<links::SigningKey> keys;
  std::string signing_key_id = config.links().signing_key_id();
  if (config.links().signing_keys().empty()) {
    absl::StatusOr<std::string> secret =
        LoadOrCreateKeyFile((data_dir / "links.key").string());
    if (!secret.ok()) return secret.status();
    keys.push_back({.id = "k1", .secret = *std::move(secret)});
    signing_key_id = "k1";
  }
  for (const v1::LinkSigningKey& key : config.links().signing_keys()) {
    const std::filesystem::path path = data_dir / key.secret_file();
    absl::StatusOr<std::string> secret = LoadOrCreateKeyFile(path.string());
    if (!secret.ok()) return secret.status();
    keys.push_back({.id = key.id(), .secret = *std::move(secret)});
    if (signing_key_id.empty()) signing_key_id = key.id();
  }
  return links::ClickTokenCodec::Create(std::move(keys), signing_key_id,
                                        lifetime);
}

links::LinkProtectorOptions LinkOptionsFromConfig(
    const v1::ServerConfig& config) {
  links::LinkProtectorOptions options;
  const int64_t limit = std::max<int64_t>(
      0, int64_t{config.limits().max_message_bytes()} - kRequestOverhead);
  options.max_message_bytes =
      static_cast<size_t>(config.links().max_message_bytes() > 0
                              ? config.links().max_message_bytes()
                              : std::min(kDefaultMaxMessageBytes, limit));
  options.max_links = config.links().max_links() > 0
                          ? config.links().max_links()
                          : kDefaultMaxLinks;
  const v1::LinksConfig& links = config.links();
  if (links.has_click_window()) {
    options.clicks.window = FromProto(links.click_window());
  }
  if (links.has_click_retention()) {
    options.clicks.retention = FromProto(links.click_retention());
  }
  options.clicks.per_client_ip = RateLimitOrDefault(
      links.click_rate_per_ip(), options.clicks.per_client_ip);
  return options;
}

}  // namespace lureguard::service
