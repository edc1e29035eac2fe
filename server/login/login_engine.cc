#include "server/login/login_engine.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"

namespace lureguard::login {
namespace {

using verdict::Reason;
using verdict::ReasonCode;

// Each signal's weight: its own confidence that the attempt is an attack.
// With the default policy (WARN/CHALLENGE >= 0.5, BLOCK >= 0.85) a weight
// of 1 blocks alone, 0.6 challenges alone, and three 0.6 signals together
// block (1 - 0.4^3 = 0.94).
//
// A login page served through the block list or a lookalike of the
// identity provider's own brand is a reverse-proxy kit relaying the
// session: block.
constexpr double kAitmCertainWeight = 1.0;
// A login page on a host the tenant does not use is odd but can be a
// forgotten alias: challenge.
constexpr double kUnlistedOriginWeight = 0.6;
// The beacon saw the real login page served from this host. A beacon hit
// is unauthenticated (anyone can forge its Referer), so alone it only
// challenges; with evidence of its own about the host (listed, a
// lookalike, a CT alert) it blocks.
constexpr double kBeaconWeight = 0.5;
constexpr double kCorroboratedBeaconWeight = 1.0;
// Listed IP ranges are often hosting providers and anonymizers, which some
// real users sit behind: challenge.
constexpr double kIpListedWeight = 0.6;
// Over a blocking threshold: block until the window slides below it.
constexpr double kThrottleWeight = 1.0;
constexpr double kChallengeWeight = 0.6;

constexpr size_t kMaxUsernameBytes = 512;
// Forwarded-for chains longer than this are cut: each hop costs a lookup.
constexpr size_t kMaxForwardedFor = 10;

// The canonical text of an IPv4 or IPv6 literal; nullopt when it is not one.
std::optional<std::string> CanonicalIp(absl::string_view text) {
  const std::string input(absl::StripAsciiWhitespace(text));
  unsigned char bytes[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, input.c_str(), bytes) == 1) {
    inet_ntop(AF_INET, bytes, out, sizeof(out));
    return std::string(out);
  }
  if (inet_pton(AF_INET6, input.c_str(), bytes) == 1) {
    inet_ntop(AF_INET6, bytes, out, sizeof(out));
    return std::string(out);
  }
  return std::nullopt;
}

absl::StatusOr<std::string> RequireIp(absl::string_view field,
                                      absl::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  }
  std::optional<std::string> ip = CanonicalIp(text);
  if (!ip.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", text.substr(0, 64), "' is not an IPv4 or IPv6 address"));
  }
  return *ip;
}

absl::Status RequireUsername(absl::string_view username) {
  if (absl::StripAsciiWhitespace(username).empty()) {
    return absl::InvalidArgumentError("username: is required");
  }
  if (username.size() > kMaxUsernameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("username: is ", username.size(), " bytes; the limit is ",
                     kMaxUsernameBytes));
  }
  return absl::OkStatus();
}

std::string IpUrl(absl::string_view ip) {
  return absl::StrContains(ip, ':') ? absl::StrCat("http://[", ip, "]/")
                                    : absl::StrCat("http://", ip, "/");
}

bool IsLookalike(ReasonCode code) {
  const int value = static_cast<int>(code);
  return value >= static_cast<int>(ReasonCode::kLookalikeHomoglyph) &&
         value <= static_cast<int>(ReasonCode::kLookalikeHostingPlatform);
}

// Counter keys; never a raw username (user ids are HMACs).
std::string UserIpKey(absl::string_view tenant, absl::string_view user,
                      absl::string_view ip) {
  return absl::StrCat("ui\x1f", tenant, "\x1f", user, "\x1f", ip);
}
std::string IpUsersKey(absl::string_view tenant, absl::string_view ip) {
  return absl::StrCat("iu\x1f", tenant, "\x1f", ip);
}
std::string IpKey(absl::string_view tenant, absl::string_view ip) {
  return absl::StrCat("ip\x1f", tenant, "\x1f", ip);
}
std::string UserKey(absl::string_view tenant, absl::string_view user) {
  return absl::StrCat("u\x1f", tenant, "\x1f", user);
}

// Evidence about a host that a forged beacon hit cannot make up.
bool Corroborates(ReasonCode code) {
  return code == ReasonCode::kBlocklistMatch || IsLookalike(code) ||
         code == ReasonCode::kIdnSpoof || code == ReasonCode::kCertCtLookalike;
}

bool AllowListed(const std::vector<Reason>& reasons) {
  return std::any_of(reasons.begin(), reasons.end(), [](const Reason& r) {
    return r.code == ReasonCode::kAllowlistMatch;
  });
}

CounterReading Reading(absl::string_view name, const WindowCount& count,
                       int64_t threshold, absl::Duration window) {
  CounterReading reading;
  reading.name = std::string(name);
  reading.count = count.count;
  reading.threshold = threshold;
  reading.window = window;
  reading.evicted = count.evicted;
  return reading;
}

// A reason a counter over its limit gives.
Reason CounterReason(ReasonCode code, double weight, std::string matched,
                     std::string detail) {
  Reason reason;
  reason.code = code;
  reason.weight = weight;
  reason.matched = std::move(matched);
  reason.detail = std::move(detail);
  return reason;
}

// The counter store could not be reached: weight 0 when the options say
// fail open (the other signals decide), a block when they say fail closed.
Reason CountersUnavailableReason(bool fail_open) {
  Reason reason;
  reason.code = ReasonCode::kLoginCountersUnavailable;
  reason.weight = fail_open ? 0.0 : kThrottleWeight;
  reason.detail =
      fail_open
          ? "The login failure counters could not be reached; this attempt "
            "was judged without them (counter_store.fail_open)."
          : "The login failure counters could not be reached; attempts are "
            "blocked until they are back (counter_store.fail_open is "
            "false).";
  return reason;
}

}  // namespace

LoginEngine::LoginEngine(const verdict::Engine& verdicts,
                         CounterStore& counters, KeyedHasher hasher,
                         LoginOptions options, store::Store* store,
                         const Clock& clock)
    : verdicts_(verdicts),
      counters_(counters),
      hasher_(std::move(hasher)),
      options_(std::move(options)),
      store_(store),
      clock_(clock),
      beacon_flags_(store, clock, options_.beacon) {}

absl::Status LoginEngine::Load() {
  if (!options_.breached_password_path.empty()) {
    // Before this process imports anything: what a killed import left.
    const int64_t removed = BreachedPasswordImporter::RemoveAbandonedFiles(
        breached_import_dir(), options_.breached_password_path);
    if (removed > 0) {
      LogInfo(
          "removed files of an interrupted breached-password import",
          {{"bytes", absl::StrCat(removed)}, {"dir", breached_import_dir()}});
    }
    absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> opened =
        BreachedPasswordStore::Open(options_.breached_password_path);
    if (opened.ok()) {
      breached_.store(
          std::shared_ptr<const BreachedPasswordStore>(*std::move(opened)));
    } else if (!absl::IsNotFound(opened.status())) {
      return opened.status();
    }
  }
  return beacon_flags_.Load();
}

absl::Status LoginEngine::ReloadBeaconFlags() {
  // Another replica's flags and removals, from the shared store.
  return beacon_flags_.Load();
}

bool LoginEngine::IsTenantsOwnHost(const verdict::EngineSnapshot& snapshot,
                                   absl::string_view tenant,
                                   absl::string_view host) const {
  const LoginTenant* config = TenantOf(tenant);
  if (config == nullptr) return false;
  if (config->login_hosts.contains(host)) return true;
  return !config->brand.empty() && snapshot.brands != nullptr &&
         absl::EqualsIgnoreCase(snapshot.brands->OfficialBrand(host, tenant),
                                config->brand);
}

const LoginTenant* LoginEngine::TenantOf(absl::string_view tenant) const {
  auto it = options_.tenants.find(tenant);
  return it == options_.tenants.end() ? nullptr : &it->second;
}

void LoginEngine::OriginReasons(const verdict::EngineSnapshot& snapshot,
                                absl::string_view tenant,
                                absl::string_view field, absl::string_view url,
                                absl::flat_hash_set<std::string>& seen_hosts,
                                std::vector<Reason>& reasons) const {
  if (url.empty() || url == "null") return;  // opaque origins say nothing
  absl::StatusOr<verdict::UrlCheck> check =
      verdicts_.CheckUrlIn(snapshot, url, tenant);
  if (!check.ok() || !check->url->is_web) return;
  const std::string& host = check->url->host;
  if (!seen_hosts.insert(host).second) return;
  // The admin's allow list, the tenant's login origins and its brand's
  // official domains win over every origin signal.
  if (AllowListed(check->verdict.reasons)) return;
  if (IsTenantsOwnHost(snapshot, tenant, host)) return;
  const LoginTenant* config = TenantOf(tenant);

  if (std::optional<store::BeaconFlagRecord> flag =
          beacon_flags_.Find(tenant, host)) {
    const bool corroborated = std::any_of(
        check->verdict.reasons.begin(), check->verdict.reasons.end(),
        [](const Reason& r) { return Corroborates(r.code); });
    Reason reason;
    reason.code = ReasonCode::kLoginOriginBeacon;
    reason.technique = flag->technique;
    reason.brand = flag->brand;
    reason.matched = host;
    reason.weight = corroborated ? kCorroboratedBeaconWeight : kBeaconWeight;
    reason.detail = absl::StrFormat(
        "The %s host %s served this tenant's login page, as its beacon "
        "showed (%d hits since %s)%s.",
        field, host, flag->hits,
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", flag->first_seen,
                         absl::UTCTimeZone()),
        corroborated ? "; the host is also listed, a lookalike or named by a "
                       "CT alert"
                     : "; a beacon hit alone can be forged");
    reasons.push_back(std::move(reason));
  }

  bool objected = false;
  for (const Reason& found : check->verdict.reasons) {
    Reason reason;
    reason.code = ReasonCode::kLoginAitmOrigin;
    reason.matched = host;
    reason.source = found.source;
    if (found.code == ReasonCode::kBlocklistMatch) {
      reason.technique = "blocklisted-origin";
      reason.matched = found.matched;
      reason.weight = kAitmCertainWeight;
      reason.detail = absl::StrFormat(
          "The login page's %s host %s is on the block list.", field, host);
    } else if (IsLookalike(found.code) || found.code == ReasonCode::kIdnSpoof) {
      const bool own_brand = config != nullptr && !config->brand.empty() &&
                             absl::EqualsIgnoreCase(config->brand, found.brand);
      reason.technique = found.technique;
      reason.brand = found.brand;
      reason.weight = own_brand ? kAitmCertainWeight : found.weight;
      reason.detail = absl::StrFormat(
          "The login page's %s host %s imitates %s%s (%s).", field, host,
          found.brand, own_brand ? ", the identity provider's own brand" : "",
          found.technique);
    } else {
      continue;  // URL structure alone says little about a login origin
    }
    objected = true;
    reasons.push_back(std::move(reason));
  }
  if (!objected && config != nullptr && !config->login_hosts.empty()) {
    Reason reason;
    reason.code = ReasonCode::kLoginAitmOrigin;
    reason.technique = "unlisted-origin";
    reason.brand = config->brand;
    reason.matched = host;
    reason.weight = kUnlistedOriginWeight;
    reason.detail = absl::StrFormat(
        "The login page's %s host %s is not one of the tenant's login "
        "origins.",
        field, host);
    reasons.push_back(std::move(reason));
  }
}

void LoginEngine::IpReasons(const verdict::EngineSnapshot& snapshot,
                            absl::string_view tenant, absl::string_view ip,
                            std::vector<Reason>& reasons) const {
  absl::StatusOr<verdict::UrlCheck> check =
      verdicts_.CheckUrlIn(snapshot, IpUrl(ip), tenant);
  if (!check.ok()) return;
  for (const Reason& found : check->verdict.reasons) {
    if (found.code == ReasonCode::kAllowlistMatch) return;
  }
  for (const Reason& found : check->verdict.reasons) {
    if (found.code != ReasonCode::kBlocklistMatch) continue;
    Reason reason;
    reason.code = ReasonCode::kLoginIpListed;
    reason.technique = found.technique;
    reason.matched = found.matched;
    reason.source = found.source;
    reason.weight = kIpListedWeight;
    reason.detail = absl::StrFormat(
        "The client IP %s is in the block-list entry %s.", ip, found.matched);
    reasons.push_back(std::move(reason));
  }
}

std::vector<LoginEngine::CounterSpec> LoginEngine::CounterSpecs(
    absl::string_view tenant, absl::string_view user_hash,
    absl::string_view ip) const {
  std::vector<CounterSpec> specs;
  if (!user_hash.empty() && !ip.empty()) {
    specs.push_back({"user_ip_failures", UserIpKey(tenant, user_hash, ip),
                     options_.brute_force_failures, options_.brute_force_window,
                     &LoginCounters::user_ip_failures});
  }
  if (!ip.empty()) {
    specs.push_back({"ip_distinct_users", IpUsersKey(tenant, ip),
                     options_.spray_challenge_users, options_.spray_window,
                     &LoginCounters::ip_distinct_users});
    specs.push_back({"ip_failures", IpKey(tenant, ip), options_.ip_failures,
                     options_.ip_failures_window, &LoginCounters::ip_failures});
  }
  if (!user_hash.empty()) {
    specs.push_back(
        {"user_failures", UserKey(tenant, user_hash), options_.account_failures,
         options_.account_failures_window, &LoginCounters::user_failures});
  }
  return specs;
}

void LoginEngine::AppendReads(const std::vector<CounterSpec>& specs,
                              std::vector<CounterOp>& ops) {
  for (const CounterSpec& spec : specs) {
    ops.push_back(CounterOp::Read(spec.key, spec.window, spec.threshold));
  }
}

absl::StatusOr<std::vector<CounterReading>> LoginEngine::ReadCounters(
    const std::vector<CounterSpec>& specs, std::vector<CounterOp> before,
    absl::Time now) const {
  const size_t first = before.size();
  AppendReads(specs, before);
  ASSIGN_OR_RETURN(std::vector<WindowCount> counts,
                   counters_.Apply(before, now));
  std::vector<CounterReading> readings;
  for (size_t i = 0; i < specs.size(); ++i) {
    readings.push_back(Reading(specs[i].name, counts[first + i],
                               specs[i].threshold, specs[i].window));
  }
  return readings;
}

absl::StatusOr<LoginCheck> LoginEngine::Check(
    const LoginAttempt& attempt) const {
  RETURN_IF_ERROR(RequireUsername(attempt.username));
  ASSIGN_OR_RETURN(const std::string ip,
                   RequireIp("client_ip", attempt.client_ip));
  std::optional<Sha1> password;
  if (!attempt.password_sha1.empty()) {
    password = ParseSha1Hex(attempt.password_sha1);
    if (!password.has_value()) {
      return absl::InvalidArgumentError(
          "password_sha1: is not 40 hexadecimal characters");
    }
  }
  std::shared_ptr<const verdict::EngineSnapshot> snapshot =
      verdicts_.snapshot();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the verdict snapshot is still loading");
  }
  const absl::Time now = clock_.Now();
  std::vector<Reason> reasons;
  LoginCheck check;
  HostReasons(*snapshot, attempt, ip, reasons);
  const std::string user = hasher_.Hash(attempt.tenant, attempt.username);
  const LoginCounters counters =
      ReadLoginCounters(attempt.tenant, user, ip, now, check.counters);
  CounterReasons(counters, ip, reasons, check.retry_after);
  check.force_password_reset = BreachedPasswordReason(password, reasons);
  ClientMismatchReason(attempt, reasons);

  // Login verdicts follow every attempt's counters: never cached.
  check.verdict =
      snapshot->policy.DecideLogin(std::move(reasons), absl::ZeroDuration());
  if (attempt.stage == LoginStage::kAfterMfa &&
      check.verdict.action == verdict::Action::kChallenge) {
    // The second factor asked for has just been passed.
    check.verdict.action = verdict::Action::kAllow;
  }
  check.verdict.verdict_id = verdict::NewVerdictId();
  if (counters.unavailable || counters.AnyEvicted()) {
    check.verdict.degraded = true;
  }
  if (check.verdict.action != verdict::Action::kBlock) {
    check.retry_after = absl::ZeroDuration();
  }
  return check;
}

void LoginEngine::HostReasons(const verdict::EngineSnapshot& snapshot,
                              const LoginAttempt& attempt, absl::string_view ip,
                              std::vector<Reason>& reasons) const {
  const std::string& tenant = attempt.tenant;
  absl::flat_hash_set<std::string> seen_hosts;
  OriginReasons(snapshot, tenant, "Origin", attempt.origin, seen_hosts,
                reasons);
  OriginReasons(snapshot, tenant, "Referer", attempt.referer, seen_hosts,
                reasons);
  if (!attempt.request_host.empty()) {
    OriginReasons(snapshot, tenant, "request",
                  absl::StrCat("https://", attempt.request_host, "/"),
                  seen_hosts, reasons);
  }
  IpReasons(snapshot, tenant, ip, reasons);
  for (size_t i = 0; i < attempt.forwarded_for.size() && i < kMaxForwardedFor;
       ++i) {
    std::optional<std::string> hop = CanonicalIp(attempt.forwarded_for[i]);
    if (hop.has_value() && *hop != ip)
      IpReasons(snapshot, tenant, *hop, reasons);
  }
}

bool LoginEngine::LoginCounters::AnyEvicted() const {
  return user_ip_failures.evicted || ip_distinct_users.evicted ||
         ip_failures.evicted || user_failures.evicted ||
         ip_distinct_users_to_block.evicted;
}

LoginEngine::LoginCounters LoginEngine::ReadLoginCounters(
    absl::string_view tenant, absl::string_view user_hash, absl::string_view ip,
    absl::Time now, std::vector<CounterReading>& readings) const {
  // The four counters, and the spray counter again against its blocking
  // limit (for retry_after): one batch, one round trip to a remote store.
  const std::vector<CounterSpec> specs = CounterSpecs(tenant, user_hash, ip);
  std::vector<CounterOp> ops;
  AppendReads(specs, ops);
  ops.push_back(CounterOp::Read(IpUsersKey(tenant, ip), options_.spray_window,
                                options_.spray_block_users));
  LoginCounters counters;
  absl::StatusOr<std::vector<WindowCount>> counted = counters_.Apply(ops, now);
  if (!counted.ok()) {
    // Unreachable counters count nothing; CounterReasons says so.
    counters.unavailable = true;
    return counters;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    counters.*specs[i].reading = (*counted)[i];
    readings.push_back(Reading(specs[i].name, (*counted)[i], specs[i].threshold,
                               specs[i].window));
  }
  counters.ip_distinct_users_to_block = counted->back();
  return counters;
}

void LoginEngine::CounterReasons(const LoginCounters& counters,
                                 absl::string_view ip,
                                 std::vector<Reason>& reasons,
                                 absl::Duration& retry_after) const {
  if (counters.unavailable) {
    reasons.push_back(CountersUnavailableReason(options_.counters_fail_open));
  }
  // Over a blocking limit: block until the window slides below it.
  auto throttle = [&](ReasonCode code, const WindowCount& count,
                      std::string matched, std::string detail) {
    reasons.push_back(CounterReason(code, kThrottleWeight, std::move(matched),
                                    std::move(detail)));
    retry_after = std::max(retry_after, count.below_limit_in);
  };
  const WindowCount& user_ip = counters.user_ip_failures;
  if (user_ip.count >= options_.brute_force_failures) {
    throttle(
        ReasonCode::kLoginBruteForce, user_ip, "",
        absl::StrFormat("%d failed logins for this user from %s within "
                        "%s.",
                        user_ip.count, ip,
                        absl::FormatDuration(options_.brute_force_window)));
  }
  const WindowCount& ip_users = counters.ip_distinct_users;
  auto spray = [&] {
    return absl::StrFormat("%d distinct usernames failed from %s within %s.",
                           ip_users.count, ip,
                           absl::FormatDuration(options_.spray_window));
  };
  if (ip_users.count >= options_.spray_block_users) {
    throttle(ReasonCode::kLoginPasswordSpray,
             counters.ip_distinct_users_to_block, std::string(ip), spray());
  } else if (ip_users.count >= options_.spray_challenge_users) {
    reasons.push_back(CounterReason(ReasonCode::kLoginPasswordSpray,
                                    kChallengeWeight, std::string(ip),
                                    spray()));
  }
  const WindowCount& ip_fails = counters.ip_failures;
  if (ip_fails.count >= options_.ip_failures) {
    throttle(
        ReasonCode::kLoginIpDailyFailures, ip_fails, std::string(ip),
        absl::StrFormat("%d failed logins from %s within %s.", ip_fails.count,
                        ip, absl::FormatDuration(options_.ip_failures_window)));
  }
  const WindowCount& user_fails = counters.user_failures;
  if (user_fails.count >= options_.account_failures) {
    reasons.push_back(CounterReason(
        ReasonCode::kLoginAccountUnderAttack, kChallengeWeight, "",
        absl::StrFormat(
            "%d failed logins for this user from any IP within %s.",
            user_fails.count,
            absl::FormatDuration(options_.account_failures_window))));
  }
}

bool LoginEngine::BreachedPasswordReason(const std::optional<Sha1>& password,
                                         std::vector<Reason>& reasons) const {
  if (!password.has_value()) return false;
  std::shared_ptr<const BreachedPasswordStore> breached = breached_passwords();
  if (breached == nullptr) return false;
  std::optional<uint32_t> seen = breached->Lookup(*password);
  if (!seen.has_value()) return false;
  Reason reason;
  reason.code = ReasonCode::kLoginBreachedPassword;
  reason.weight = kChallengeWeight;
  reason.detail = absl::StrFormat(
      "The password appears %d times in known breaches; ask for a second "
      "factor and force a reset.",
      *seen);
  reasons.push_back(std::move(reason));
  return true;
}

void LoginEngine::ClientMismatchReason(const LoginAttempt& attempt,
                                       std::vector<Reason>& reasons) const {
  if (attempt.tls_fingerprint.empty() ||
      !absl::StrContains(attempt.user_agent, "Mozilla/")) {
    return;
  }
  const std::string fingerprint =
      absl::AsciiStrToLower(attempt.tls_fingerprint);
  if (!options_.non_browser_tls_fingerprints.contains(fingerprint)) return;
  Reason reason;
  reason.code = ReasonCode::kLoginClientMismatch;
  reason.technique = "non-browser-tls";
  reason.matched = fingerprint;
  reason.weight = kChallengeWeight;
  reason.detail =
      "The user agent claims a browser, but the TLS fingerprint is a known "
      "non-browser client.";
  reasons.push_back(std::move(reason));
}

absl::StatusOr<std::vector<CounterReading>> LoginEngine::Report(
    absl::string_view tenant, absl::string_view username,
    absl::string_view client_ip, LoginResult result) {
  RETURN_IF_ERROR(RequireUsername(username));
  ASSIGN_OR_RETURN(std::string ip, RequireIp("client_ip", client_ip));
  const absl::Time now = clock_.Now();
  const std::string user = hasher_.Hash(tenant, username);
  if (result == LoginResult::kSuccess) {
    // Auth0 and NIST count consecutive failures: a success starts over for
    // this user. The IP's counters stay: a sprayer's one hit does not
    // clear its misses.
    return ReadCounters(CounterSpecs(tenant, user, ip),
                        {CounterOp::Reset(UserIpKey(tenant, user, ip)),
                         CounterOp::Reset(UserKey(tenant, user))},
                        now);
  }
  // A locked account's refusals say nothing more about the user, but they
  // still count against the IP.
  const bool counts_user = result != LoginResult::kLocked;
  std::vector<CounterOp> ops;
  if (counts_user) {
    ops.push_back(CounterOp::Add(UserIpKey(tenant, user, ip),
                                 options_.brute_force_window,
                                 options_.brute_force_failures));
    ops.push_back(CounterOp::Add(UserKey(tenant, user),
                                 options_.account_failures_window,
                                 options_.account_failures));
  }
  ops.push_back(CounterOp::Add(IpKey(tenant, ip), options_.ip_failures_window,
                               options_.ip_failures));
  ASSIGN_OR_RETURN(std::vector<WindowCount> counts, counters_.Apply(ops, now));
  std::vector<CounterReading> touched;
  if (counts_user) {
    const WindowCount& pair = counts[0];
    touched.push_back(Reading("user_ip_failures", pair,
                              options_.brute_force_failures,
                              options_.brute_force_window));
    if (pair.count == 1) {
      // The first failure of this user from this IP in the window adds a
      // distinct username to the IP's spray count. It depends on the count
      // above, so a remote store takes a second round trip, once per user
      // and IP and window.
      ASSIGN_OR_RETURN(
          std::vector<WindowCount> users,
          counters_.Apply(
              {CounterOp::Add(IpUsersKey(tenant, ip), options_.spray_window,
                              options_.spray_block_users)},
              now));
      touched.push_back(Reading("ip_distinct_users", users[0],
                                options_.spray_challenge_users,
                                options_.spray_window));
    }
    touched.push_back(Reading("user_failures", counts[1],
                              options_.account_failures,
                              options_.account_failures_window));
  }
  touched.push_back(Reading("ip_failures", counts.back(), options_.ip_failures,
                            options_.ip_failures_window));
  return touched;
}

absl::StatusOr<std::vector<CounterReading>> LoginEngine::Counters(
    absl::string_view tenant, absl::string_view client_ip,
    absl::string_view username) const {
  if (client_ip.empty() == username.empty()) {
    return absl::InvalidArgumentError(
        "client_ip: give exactly one of client_ip and username");
  }
  if (!client_ip.empty()) {
    ASSIGN_OR_RETURN(std::string ip, RequireIp("client_ip", client_ip));
    return ReadCounters(CounterSpecs(tenant, "", ip), {}, clock_.Now());
  }
  RETURN_IF_ERROR(RequireUsername(username));
  return ReadCounters(CounterSpecs(tenant, hasher_.Hash(tenant, username), ""),
                      {}, clock_.Now());
}

absl::StatusOr<std::string> LoginEngine::PasswordRange(absl::string_view prefix,
                                                       bool padding) const {
  thread_local absl::BitGen generator;
  std::shared_ptr<const BreachedPasswordStore> store = breached_passwords();
  return RangeBody(store.get(), prefix, padding,
                   [] { return absl::Uniform<uint64_t>(generator); });
}

std::string LoginEngine::breached_import_dir() const {
  std::string dir =
      std::filesystem::path(options_.breached_password_path).parent_path();
  return dir.empty() ? "." : dir;
}

namespace {

// How long a file that does not match the store's record may stay before
// the mismatch is logged: the importing replica records the new file's
// generation first and renames it into place just after.
constexpr absl::Duration kSharedFileGrace = absl::Seconds(10);

// How long a reload waits for a newly recorded file to be renamed into
// place: 20 looks, 10 ms apart.
constexpr int kRenameWaitSteps = 20;
constexpr absl::Duration kRenameWaitStep = absl::Milliseconds(10);

// The generation an import recorded in the store, and the record's
// version (for the next import's compare-and-set).
struct RecordedGeneration {
  BreachedPasswordGeneration generation;
  int64_t version = 0;
};

absl::StatusOr<std::optional<RecordedGeneration>> ReadRecordedGeneration(
    store::Store& store) {
  ASSIGN_OR_RETURN(std::optional<store::StoredRecord> record,
                   store.GetRecord(kBreachedPasswordCollection, "",
                                   kBreachedPasswordRecord));
  if (!record.has_value()) return std::nullopt;
  ASSIGN_OR_RETURN(BreachedPasswordGeneration generation,
                   DecodeBreachedPasswordGeneration(record->payload));
  return RecordedGeneration{generation, record->version};
}

}  // namespace

absl::Status LoginEngine::OpenRecordedFile(
    const BreachedPasswordGeneration& recorded) {
  std::shared_ptr<const BreachedPasswordStore> current = breached_passwords();
  if (current != nullptr && GenerationOf(*current) == recorded) {
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> opened =
      BreachedPasswordStore::Open(options_.breached_password_path);
  if (opened.ok() && GenerationOf(**opened) == recorded) {
    breached_.store(
        std::shared_ptr<const BreachedPasswordStore>(*std::move(opened)));
    mismatched_.reset();
    LogInfo("breached-password store reopened: imported through a replica",
            {{"path", options_.breached_password_path},
             {"generation", DescribeGeneration(recorded)}});
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "login.breached_password_path: the file at '",
      options_.breached_password_path, "' (",
      opened.ok() ? DescribeGeneration(GenerationOf(**opened))
                  : std::string(opened.status().message()),
      ") is not the one the store records as imported (",
      DescribeGeneration(recorded),
      "); every replica needs the path on a volume they all share"));
}

absl::Status LoginEngine::ReloadBreachedPasswords() {
  if (store_ == nullptr || options_.breached_password_path.empty()) {
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<RecordedGeneration>> recorded =
      ReadRecordedGeneration(*store_);
  if (!recorded.ok()) return recorded.status();
  if (!recorded->has_value()) return absl::OkStatus();
  // An import running here records its own file; the snapshot publisher,
  // which calls this, must not wait for it.
  if (!write_mu_.TryLock()) return absl::OkStatus();
  const BreachedPasswordGeneration& generation = (*recorded)->generation;
  absl::Status opened = OpenRecordedFile(generation);
  // The importing replica records its file and then renames it into place,
  // so a look right after its notification can come between the two (it
  // did, under load, in ReplicasTest). A generation seen for the first
  // time gets a short wait for its file instead of the next poll's second;
  // a lasting mismatch costs nothing more.
  for (int step = 0;
       !opened.ok() && mismatched_ != generation && step < kRenameWaitSteps;
       ++step) {
    absl::SleepFor(kRenameWaitStep);
    opened = OpenRecordedFile(generation);
  }
  if (!opened.ok()) {
    const absl::Time now = clock_.Now();
    if (mismatched_ != generation) {
      mismatched_ = generation;
      mismatched_since_ = now;
      mismatch_logged_ = false;
    }
    if (!mismatch_logged_ && now - mismatched_since_ >= kSharedFileGrace) {
      LogWarning(
          "breached-password file differs from the store's record; this "
          "replica keeps answering from the file it has",
          {{"error", opened.message()}});
      mismatch_logged_ = true;
    }
  }
  write_mu_.Unlock();
  return absl::OkStatus();
}

absl::StatusOr<int64_t> LoginEngine::ImportBreachedPasswords(
    BreachedPasswordImporter& importer,
    const std::function<bool()>& still_wanted) {
  const std::string& path = options_.breached_password_path;
  if (path.empty()) {
    return absl::FailedPreconditionError(
        "no breached-password store path is configured");
  }
  absl::MutexLock lock(&write_mu_);
  std::optional<RecordedGeneration> recorded;
  if (store_ != nullptr) {
    ASSIGN_OR_RETURN(std::optional<RecordedGeneration> read,
                     ReadRecordedGeneration(*store_));
    recorded = std::move(read);
    // Merge into the newest import, whichever replica made it.
    if (recorded.has_value()) {
      RETURN_IF_ERROR(OpenRecordedFile(recorded->generation));
    }
  }
  std::shared_ptr<const BreachedPasswordStore> current = breached_passwords();
  // With a store, the new file is written beside the shared one under this
  // process's name (swept as a leftover should it die), recorded, and only
  // then renamed over the shared one.
  // The random part keeps replicas apart: in containers each is pid 1.
  thread_local absl::BitGen staging_names;
  const std::string staged =
      store_ == nullptr
          ? path
          : absl::StrCat(path, ".tmp-", getpid(), "-",
                         absl::Hex(absl::Uniform<uint64_t>(staging_names)),
                         "-new");
  ASSIGN_OR_RETURN(int64_t total, importer.Finish(current.get(), staged,
                                                  clock_.Now(), still_wanted));
  if (store_ != nullptr) {
    absl::Status installed =
        RecordAndInstall(staged, recorded.has_value() ? recorded->version : 0);
    if (!installed.ok()) {
      std::remove(staged.c_str());
      return installed;
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<BreachedPasswordStore> opened,
                   BreachedPasswordStore::Open(path));
  breached_.store(
      std::shared_ptr<const BreachedPasswordStore>(std::move(opened)));
  LogInfo("breached-password store replaced",
          {{"hashes", absl::StrCat(total)}, {"path", path}});
  return total;
}

absl::Status LoginEngine::RecordAndInstall(const std::string& staged,
                                           int64_t recorded_version) {
  ASSIGN_OR_RETURN(std::unique_ptr<BreachedPasswordStore> opened,
                   BreachedPasswordStore::Open(staged));
  store::StoredRecord record;
  record.collection = kBreachedPasswordCollection;
  record.name = kBreachedPasswordRecord;
  record.payload = EncodeBreachedPasswordGeneration(GenerationOf(*opened));
  record.update_time = clock_.Now();
  record.version = recorded_version;
  // Not a snapshot change, but every replica is notified of it. Version 0
  // (no record yet) creates it only if no other replica's import did.
  absl::Status recorded = store_->UpdateRecord(record);
  if (absl::IsAborted(recorded) || absl::IsNotFound(recorded)) {
    return absl::AbortedError(
        "another breached-password import was recorded while this one ran; "
        "this one was dropped and the store is unchanged: import the file "
        "again (imports merge)");
  }
  if (!recorded.ok()) return recorded;
  if (std::rename(staged.c_str(), options_.breached_password_path.c_str()) !=
      0) {
    return absl::InternalError(absl::StrCat("cannot rename '", staged, "' to '",
                                            options_.breached_password_path,
                                            "': ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<BeaconAlert>> LoginEngine::RecordBeacon(
    absl::string_view tenant, absl::string_view referer,
    absl::string_view client_ip) {
  const LoginTenant* config = TenantOf(tenant);
  // "null" is the Referer of an opaque origin: it names no host.
  if (config == nullptr || config->login_hosts.empty() || referer.empty() ||
      referer == "null") {
    return std::nullopt;
  }
  std::shared_ptr<const verdict::EngineSnapshot> snapshot =
      verdicts_.snapshot();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the verdict snapshot is still loading");
  }
  absl::StatusOr<verdict::UrlCheck> check =
      verdicts_.CheckUrlIn(*snapshot, referer, tenant);
  if (!check.ok() || !check->url->is_web) return std::nullopt;
  const std::string& host = check->url->host;
  // Never flagged: whatever a forged Referer says, these stay trusted.
  if (IsTenantsOwnHost(*snapshot, tenant, host)) return std::nullopt;
  if (AllowListed(check->verdict.reasons)) return std::nullopt;

  BeaconSighting sighting{.tenant = std::string(tenant),
                          .host = host,
                          .brand = config->brand,
                          .technique = "reverse-proxy"};
  for (const Reason& found : check->verdict.reasons) {
    if (IsLookalike(found.code) || found.code == ReasonCode::kIdnSpoof) {
      sighting.brand = found.brand;
      sighting.technique = found.technique;
      break;
    }
  }
  ASSIGN_OR_RETURN(BeaconHit hit, beacon_flags_.Record(sighting, client_ip));
  BeaconAlert alert;
  alert.tenant = hit.flag.tenant;
  alert.host = hit.flag.host;
  alert.brand = hit.flag.brand;
  alert.technique = hit.flag.technique;
  alert.first_seen = hit.first_seen;
  if (hit.first_seen) {
    // The alert an admin sees: this line, and `lureguard beacons ls`.
    LogWarning("login page served through another host (beacon)",
               {{"tenant", alert.tenant},
                {"host", host},
                {"brand", alert.brand},
                {"technique", alert.technique},
                {"client_ip", std::string(client_ip)}});
  }
  return alert;
}

}  // namespace lureguard::login
