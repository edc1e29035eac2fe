#include "server/service/login_config.h"

#include <filesystem>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/service/convert.h"
#include "server/service/rate_limit_config.h"
#include "server/url/url.h"

namespace lureguard::service {
namespace {

// Sets `*field` (a Duration field of `login`) to `value` unless it is set.
template <typename Has, typename Mutable>
void DefaultDuration(v1::LoginConfig& login, Has has, Mutable mutable_field,
                     absl::Duration value) {
  if (!(login.*has)()) {
    (login.*mutable_field)()->set_seconds(absl::ToInt64Seconds(value));
  }
}

absl::Status CheckPositive(absl::string_view field, int64_t value) {
  if (value < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("login.", field, ": ", value, " is below 1"));
  }
  return absl::OkStatus();
}

absl::Status CheckWindow(absl::string_view field,
                         const google::protobuf::Duration& window) {
  const absl::Duration d = FromProto(window);
  // 16 buckets of at least a second each.
  if (d < absl::Seconds(16) || d > absl::Hours(24 * 30)) {
    return absl::InvalidArgumentError(absl::StrCat("login.", field, ": ",
                                                   absl::FormatDuration(d),
                                                   " is outside [16s, 720h]"));
  }
  return absl::OkStatus();
}

}  // namespace

void ApplyLoginDefaults(v1::ServerConfig& config) {
  v1::LoginConfig& login = *config.mutable_login();
  const login::LoginOptions defaults;
  if (login.brute_force_failures() == 0) {
    login.set_brute_force_failures(defaults.brute_force_failures);
  }
  DefaultDuration(login, &v1::LoginConfig::has_brute_force_window,
                  &v1::LoginConfig::mutable_brute_force_window,
                  defaults.brute_force_window);
  if (login.spray_challenge_users() == 0) {
    login.set_spray_challenge_users(defaults.spray_challenge_users);
  }
  if (login.spray_block_users() == 0) {
    login.set_spray_block_users(defaults.spray_block_users);
  }
  DefaultDuration(login, &v1::LoginConfig::has_spray_window,
                  &v1::LoginConfig::mutable_spray_window,
                  defaults.spray_window);
  if (login.ip_failures() == 0) login.set_ip_failures(defaults.ip_failures);
  DefaultDuration(login, &v1::LoginConfig::has_ip_failures_window,
                  &v1::LoginConfig::mutable_ip_failures_window,
                  defaults.ip_failures_window);
  if (login.account_failures() == 0) {
    login.set_account_failures(defaults.account_failures);
  }
  DefaultDuration(login, &v1::LoginConfig::has_account_failures_window,
                  &v1::LoginConfig::mutable_account_failures_window,
                  defaults.account_failures_window);
  if (login.counter_memory_bytes() == 0) {
    login.set_counter_memory_bytes(int64_t{64} << 20);
  }
  v1::LoginBeaconConfig& beacon = *login.mutable_beacon();
  if (!beacon.has_flag_ttl()) {
    beacon.mutable_flag_ttl()->set_seconds(
        absl::ToInt64Seconds(defaults.beacon.ttl));
  }
  if (beacon.max_flags() == 0) {
    beacon.set_max_flags(static_cast<int32_t>(defaults.beacon.max_flags));
  }
  if (login.breached_password_path().empty()) {
    login.set_breached_password_path(
        (std::filesystem::path(config.data_dir()) / "breached-passwords.lgpw")
            .string());
  }
}

absl::Status ValidateLoginConfig(const v1::ServerConfig& config) {
  const v1::LoginConfig& login = config.login();
  for (auto [field, value] :
       std::initializer_list<std::pair<absl::string_view, int64_t>>{
           {"brute_force_failures", login.brute_force_failures()},
           {"spray_challenge_users", login.spray_challenge_users()},
           {"spray_block_users", login.spray_block_users()},
           {"ip_failures", login.ip_failures()},
           {"account_failures", login.account_failures()}}) {
    RETURN_IF_ERROR(CheckPositive(field, value));
  }
  if (login.spray_block_users() < login.spray_challenge_users()) {
    return absl::InvalidArgumentError(
        absl::StrCat("login.spray_block_users: ", login.spray_block_users(),
                     " is below login.spray_challenge_users ",
                     login.spray_challenge_users()));
  }
  for (auto [field, window] : std::initializer_list<
           std::pair<absl::string_view, const google::protobuf::Duration*>>{
           {"brute_force_window", &login.brute_force_window()},
           {"spray_window", &login.spray_window()},
           {"ip_failures_window", &login.ip_failures_window()},
           {"account_failures_window", &login.account_failures_window()}}) {
    RETURN_IF_ERROR(CheckWindow(field, *window));
  }
  const v1::LoginBeaconConfig& beacon = login.beacon();
  if (const absl::Duration ttl = FromProto(beacon.flag_ttl());
      ttl < absl::Seconds(1) || ttl > absl::Hours(8760)) {
    return absl::InvalidArgumentError(
        absl::StrCat("login.beacon.flag_ttl: ", absl::FormatDuration(ttl),
                     " is outside [1s, 8760h]"));
  }
  if (beacon.max_flags() < 1 || beacon.max_flags() > 1000000) {
    return absl::InvalidArgumentError(
        absl::StrCat("login.beacon.max_flags: ", beacon.max_flags(),
                     " is outside [1, 1000000]"));
  }
  RETURN_IF_ERROR(
      ValidateRateLimit("login.beacon.per_client_ip", beacon.per_client_ip()));
  if (absl::Status s =
          ValidateRateLimit("login.beacon.per_tenant", beacon.per_tenant());
      !s.ok()) {
    return s;
  }
  if (login.counter_memory_bytes() < (int64_t{1} << 20)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "login.counter_memory_bytes: ", login.counter_memory_bytes(),
        " is below 1048576"));
  }
  return LoginOptionsFromConfig(config).status();
}

absl::StatusOr<login::LoginOptions> LoginOptionsFromConfig(
    const v1::ServerConfig& config) {
  const v1::LoginConfig& login = config.login();
  login::LoginOptions options;
  options.brute_force_failures = login.brute_force_failures();
  options.brute_force_window = FromProto(login.brute_force_window());
  options.spray_challenge_users = login.spray_challenge_users();
  options.spray_block_users = login.spray_block_users();
  options.spray_window = FromProto(login.spray_window());
  options.ip_failures = login.ip_failures();
  options.ip_failures_window = FromProto(login.ip_failures_window());
  options.account_failures = login.account_failures();
  options.account_failures_window = FromProto(login.account_failures_window());
  options.breached_password_path = login.breached_password_path();
  const v1::LoginBeaconConfig& beacon = login.beacon();
  if (beacon.has_flag_ttl()) options.beacon.ttl = FromProto(beacon.flag_ttl());
  if (beacon.max_flags() > 0) options.beacon.max_flags = beacon.max_flags();
  options.beacon.per_client_ip =
      RateLimitOrDefault(beacon.per_client_ip(), options.beacon.per_client_ip);
  options.beacon.per_tenant =
      RateLimitOrDefault(beacon.per_tenant(), options.beacon.per_tenant);
  for (int i = 0; i < login.tenants_size(); ++i) {
    const v1::LoginTenant& tenant = login.tenants(i);
    if (options.tenants.contains(tenant.tenant())) {
      return absl::InvalidArgumentError(
          absl::StrCat("login.tenants[", i, "].tenant: '", tenant.tenant(),
                       "' is configured twice"));
    }
    login::LoginTenant& out = options.tenants[tenant.tenant()];
    out.brand = tenant.brand();
    for (int j = 0; j < tenant.login_origins_size(); ++j) {
      const std::string& origin = tenant.login_origins(j);
      absl::StatusOr<url::UrlAnalysis> parsed =
          url::AnalyzeUrl(std::string_view(origin));
      if (!parsed.ok() || !parsed->is_web || parsed->host.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("login.tenants[", i, "].login_origins[", j, "]: '",
                         origin, "' is not an http(s) origin"));
      }
      out.login_hosts.insert(parsed->host);
    }
  }
  for (const std::string& fingerprint : login.non_browser_tls_fingerprints()) {
    options.non_browser_tls_fingerprints.insert(
        absl::AsciiStrToLower(fingerprint));
  }
  return options;
}

}  // namespace lureguard::service
