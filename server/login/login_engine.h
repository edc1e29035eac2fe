// Login-attempt verdicts: the one public header of server/login/.
//
// An identity provider asks, on every login attempt, whether to ALLOW it,
// CHALLENGE it (step-up MFA) or BLOCK it. LoginEngine gathers the signals
// as Reasons (LOGIN_*), each with its own weight, and hands them to the one
// verdict policy (verdict/policy.h), which maps WARN-level scores to
// CHALLENGE for logins:
//   - the login page's Origin/Referer: on the block list, imitating a
//     protected brand (the tenant's own brand: BLOCK), not one of the
//     tenant's login origins, or flagged by the login-page beacon (alone
//     CHALLENGE; BLOCK only when the host is also listed, a lookalike or
//     named by a CT alert). The allow list, the tenant's login origins and
//     its brand's official domains are never flagged nor penalised;
//   - the client IP (and its forwarded-for chain) on a block-list entry;
//   - failure counters in sliding windows (CounterStore): per user and IP
//     (brute force), distinct users per IP (password spray), per IP per day,
//     per user across IPs (account under attack);
//   - the password's SHA-1 in the breached-password store;
//   - a user agent claiming a browser over a non-browser TLS fingerprint.
// A check reads all its counters in one CounterStore batch (one round trip
// to Redis). When the counter store cannot be reached the verdict is
// `degraded` with a LOGIN_COUNTERS_UNAVAILABLE reason: weight 0 when the
// options say fail open (the other signals decide), 1 when they say fail
// closed (BLOCK).
// Usernames are hashed (KeyedHasher) before anything is counted or
// stored; passwords arrive only as SHA-1 and are never kept.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization. Checks read the verdict engine's snapshot and
// the counters; they never wait on an import or a beacon write.
//
// Example:
//   LoginEngine engine(verdicts, counters, hasher, options, &store, clock);
//   LoginAttempt attempt{.username = "alice", .client_ip = "203.0.113.9"};
//   absl::StatusOr<LoginCheck> check = engine.Check(attempt);
//   engine.Report("", "alice", "203.0.113.9", LoginResult::kBadPassword);

#ifndef LUREGUARD_SERVER_LOGIN_LOGIN_ENGINE_H_
#define LUREGUARD_SERVER_LOGIN_LOGIN_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/common/keyed_hasher.h"
#include "server/login/beacon_flags.h"
#include "server/login/breached_password_generation.h"
#include "server/login/breached_password_import.h"
#include "server/login/breached_passwords.h"
#include "server/login/counter_store.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"
#include "server/verdict/verdict.h"

namespace lureguard::login {

// One tenant's login pages.
struct LoginTenant {
  // The protected brand of the identity provider itself.
  std::string brand;
  // Hosts of the tenant's login origins; empty: any origin is accepted
  // unless another signal objects.
  absl::flat_hash_set<std::string> login_hosts;
};

// Thresholds and windows; the defaults are the documented ones
// (config.proto LoginConfig).
struct LoginOptions {
  // Auth0's brute-force protection: 10 failures per user and IP.
  int64_t brute_force_failures = 10;
  absl::Duration brute_force_window = absl::Hours(1);
  int64_t spray_challenge_users = 5;
  int64_t spray_block_users = 20;
  absl::Duration spray_window = absl::Hours(1);
  // Auth0's suspicious-IP throttling: 100 failed logins per IP per day.
  int64_t ip_failures = 100;
  absl::Duration ip_failures_window = absl::Hours(24);
  // NIST SP 800-63B 5.2.2: no more than 100 consecutive failed attempts.
  int64_t account_failures = 100;
  absl::Duration account_failures_window = absl::Hours(24);
  // Where the breached-password store lives (replaced by imports).
  std::string breached_password_path;
  // Tenants by name ("" for the global configuration).
  absl::flat_hash_map<std::string, LoginTenant> tenants;
  // Lowercased JA3/JA4 fingerprints of non-browser TLS clients.
  absl::flat_hash_set<std::string> non_browser_tls_fingerprints;
  // Beacon flags: lifetime, rate limits, cap.
  BeaconFlagOptions beacon;
  // When the counter store cannot be reached: judge without the counters
  // (true) or block (false). The in-memory store is always reachable.
  bool counters_fail_open = false;
};

enum class LoginStage {
  kUnspecified,
  kBeforePassword,
  kAfterPassword,
  kAfterMfa
};
enum class LoginResult { kSuccess, kBadPassword, kMfaFailed, kLocked };

// One login attempt, as the identity provider saw it.
// Fields default to empty so designated initializers may name only some.
struct LoginAttempt {
  std::string tenant = {};
  std::string username = {};
  std::string client_ip = {};
  std::vector<std::string> forwarded_for = {};
  std::string user_agent = {};
  std::string origin = {};
  std::string referer = {};
  std::string request_host = {};
  std::string tls_fingerprint = {};
  LoginStage stage = LoginStage::kUnspecified;
  std::string password_sha1 = {};  // 40 hex digits, or empty
};

// One counter as read for a verdict or a support query.
struct CounterReading {
  std::string name;  // "user_ip_failures", "ip_distinct_users", ...
  int64_t count = 0;
  int64_t threshold = 0;
  absl::Duration window;
  bool evicted = false;
};

// The answer to a login check.
struct LoginCheck {
  verdict::Verdict verdict;
  // Set when a throttling reason decided the verdict.
  absl::Duration retry_after = absl::ZeroDuration();
  std::vector<CounterReading> counters;
  bool force_password_reset = false;
};

// What a beacon request recorded: the host serving the tenant's login page
// that is not one of its login origins.
struct BeaconAlert {
  std::string tenant;
  std::string host;         // the Referer's host
  std::string brand;        // the tenant's brand, or the brand imitated
  std::string technique;    // "reverse-proxy", or the lookalike technique
  bool first_seen = false;  // false when the host was already flagged
};

class LoginEngine {
 public:
  // `verdicts`, `counters`, `store` (may be null: beacon flags then live in
  // memory only) and `clock` must outlive the engine.
  LoginEngine(const verdict::Engine& verdicts, CounterStore& counters,
              KeyedHasher hasher, LoginOptions options, store::Store* store,
              const Clock& clock);

  LoginEngine(const LoginEngine&) = delete;
  LoginEngine& operator=(const LoginEngine&) = delete;

  // Opens the breached-password store (when its file exists) and loads the
  // unexpired hosts flagged by earlier beacons. DataLoss when the store file
  // is corrupt. (Flags of versions before schema v7, kept as records
  // "login_beacon" with no expiry and possibly forged, are not read.)
  absl::Status Load();

  // Reads the flagged hosts again, replacing what was read before: the
  // flags other replicas sharing the store raised appear.
  absl::Status ReloadBeaconFlags();

  // Judges one attempt. At LoginStage::kAfterMfa a CHALLENGE is answered
  // as ALLOW (the second factor was just passed), reasons kept. InvalidArgument
  // naming the field for a missing username or client IP, an IP that is not an
  // IP, a password_sha1 that is not 40 hex digits; Unavailable before the
  // verdict snapshot is loaded.
  absl::StatusOr<LoginCheck> Check(const LoginAttempt& attempt) const;

  // Counts an outcome; returns the counters it touched, after counting.
  // Unavailable when the counter store cannot be reached (the outcome may
  // not have been counted: the caller may retry).
  absl::StatusOr<std::vector<CounterReading>> Report(
      absl::string_view tenant, absl::string_view username,
      absl::string_view client_ip, LoginResult result);

  // The counters kept for one IP or for one username: exactly one of
  // `client_ip` and `username` is given (InvalidArgument "client_ip: give
  // exactly one of client_ip and username" otherwise).
  absl::StatusOr<std::vector<CounterReading>> Counters(
      absl::string_view tenant, absl::string_view client_ip,
      absl::string_view username) const;

  // The k-anonymity range body (see RangeBody in breached_passwords.h).
  absl::StatusOr<std::string> PasswordRange(absl::string_view prefix,
                                            bool padding) const;

  // Merges what `importer` parsed into the breached-password store and
  // swaps the new store in. Imports run one at a time. `still_wanted` as
  // in BreachedPasswordImporter::Finish: Cancelled, store unchanged, once
  // it says no.
  //
  // With a store, the merge starts from the file the store records (see
  // breached_password_generation.h: another replica may have imported
  // since), and the new file's generation is recorded, compare-and-set,
  // before the new file replaces the old: when another replica's import
  // was recorded meanwhile, this one is dropped (Aborted; import again,
  // imports merge), so neither replica's hashes are lost.
  // FailedPrecondition when the file at the path is not the one the store
  // records (the path is not on a volume the replicas share).
  absl::StatusOr<int64_t> ImportBreachedPasswords(
      BreachedPasswordImporter& importer,
      const std::function<bool()>& still_wanted = nullptr);

  // Opens the breached-password file again when the store records another
  // generation than the one open (an import through another replica that
  // shares the file), so that every replica answers from the newest
  // import. A file that does not match the record is not swapped in; a
  // mismatch lasting kSharedFileGrace is logged once per generation.
  // Called on every look at the store; one small read.
  absl::Status ReloadBreachedPasswords();

  // Where imports write the breached-password store.
  const std::string& breached_password_path() const {
    return options_.breached_password_path;
  }
  // Where imports write their sorted runs: beside the store, on the disk
  // that will hold the result.
  std::string breached_import_dir() const;

  // The current breached-password store; null when none was imported.
  std::shared_ptr<const BreachedPasswordStore> breached_passwords() const {
    return breached_.load(std::memory_order_acquire);
  }

  // The login-page beacon (`GET /b/{tenant}/{id}.gif`) as loaded from
  // `client_ip` ("" when unknown): when `referer` is not one of the
  // tenant's login origins, the page may be served through someone else's
  // host. Flags that host (BeaconFlags: expiry, rate limits per client IP
  // and tenant, cap; persisted when a store was given), logs a warning the
  // first time, and later verdicts carry LOGIN_ORIGIN_BEACON for it.
  // nullopt when nothing is wrong or nothing can be told (no referer, no
  // login origins configured for the tenant) and for hosts that are never
  // flagged: allow-listed, or an official domain of the tenant's brand.
  // ResourceExhausted (nothing recorded) over a rate limit or the cap.
  absl::StatusOr<std::optional<BeaconAlert>> RecordBeacon(
      absl::string_view tenant, absl::string_view referer,
      absl::string_view client_ip = {});

  // The flags, for the admin's list and delete (AdminService).
  BeaconFlags& beacon_flags() { return beacon_flags_; }

 private:
  const LoginTenant* TenantOf(absl::string_view tenant) const;
  // The tenant's login origins and its brand's official domains.
  bool IsTenantsOwnHost(const verdict::EngineSnapshot& snapshot,
                        absl::string_view tenant, absl::string_view host) const;
  void OriginReasons(const verdict::EngineSnapshot& snapshot,
                     absl::string_view tenant, absl::string_view field,
                     absl::string_view url,
                     absl::flat_hash_set<std::string>& seen_hosts,
                     std::vector<verdict::Reason>& reasons) const;
  // Both judge their URLs against the check's one snapshot.
  void IpReasons(const verdict::EngineSnapshot& snapshot,
                 absl::string_view tenant, absl::string_view ip,
                 std::vector<verdict::Reason>& reasons) const;
  // The counters one check reads, by name. All zero, with `unavailable`,
  // when the counter store could not be reached.
  struct LoginCounters {
    WindowCount user_ip_failures;   // this user from this IP: brute force
    WindowCount ip_distinct_users;  // users failing from this IP: spray
    WindowCount ip_failures;        // failures from this IP: daily limit
    WindowCount user_failures;      // this user from any IP: under attack
    // ip_distinct_users again, read against its blocking limit so that
    // below_limit_in gives the spray block's retry_after.
    WindowCount ip_distinct_users_to_block;
    bool unavailable = false;
    // Whether the store may have evicted one of them (a low count).
    bool AnyEvicted() const;
  };
  // One counter a check or a support query reads.
  struct CounterSpec {
    absl::string_view name;
    std::string key;
    int64_t threshold;
    absl::Duration window;
    // Where a check keeps what it read (ReadLoginCounters).
    WindowCount LoginCounters::*reading;
  };
  // The counters kept for a user hash and/or an IP, in the order
  // user_ip_failures, ip_distinct_users, ip_failures, user_failures (those
  // that apply).
  std::vector<CounterSpec> CounterSpecs(absl::string_view tenant,
                                        absl::string_view user_hash,
                                        absl::string_view ip) const;
  // One read of each of `specs`, appended to `ops`.
  // Swaps in the file at the path when it is the `recorded` generation
  // (or the open one is); FailedPrecondition naming both otherwise.
  absl::Status OpenRecordedFile(const BreachedPasswordGeneration& recorded)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Records the generation of the import at `staged` over the record of
  // `recorded_version` (0: none yet), then renames `staged` over the path.
  // Aborted when another import was recorded first.
  absl::Status RecordAndInstall(const std::string& staged,
                                int64_t recorded_version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  static void AppendReads(const std::vector<CounterSpec>& specs,
                          std::vector<CounterOp>& ops);
  // Reads `specs` after applying `before` (resets), in one batch.
  absl::StatusOr<std::vector<CounterReading>> ReadCounters(
      const std::vector<CounterSpec>& specs, std::vector<CounterOp> before,
      absl::Time now) const;

  // Check's steps, in the order their reasons are listed.
  // The Origin, Referer and request host, then the client IP and its
  // forwarded-for hops.
  void HostReasons(const verdict::EngineSnapshot& snapshot,
                   const LoginAttempt& attempt, absl::string_view ip,
                   std::vector<verdict::Reason>& reasons) const;
  // Every counter of a check in one batch (one round trip to a remote
  // store); what was read is appended to `readings`.
  LoginCounters ReadLoginCounters(absl::string_view tenant,
                                  absl::string_view user_hash,
                                  absl::string_view ip, absl::Time now,
                                  std::vector<CounterReading>& readings) const;
  // The counters over their limits (and unreachable counters); raises
  // `retry_after` to when a blocking one falls below its limit.
  void CounterReasons(const LoginCounters& counters, absl::string_view ip,
                      std::vector<verdict::Reason>& reasons,
                      absl::Duration& retry_after) const;
  // True (force a reset) when the password is in a known breach.
  bool BreachedPasswordReason(const std::optional<Sha1>& password,
                              std::vector<verdict::Reason>& reasons) const;
  // A browser user agent over a non-browser TLS fingerprint.
  void ClientMismatchReason(const LoginAttempt& attempt,
                            std::vector<verdict::Reason>& reasons) const;

  const verdict::Engine& verdicts_;
  CounterStore& counters_;
  const KeyedHasher hasher_;
  const LoginOptions options_;
  store::Store* const store_;
  const Clock& clock_;
  std::atomic<std::shared_ptr<const BreachedPasswordStore>> breached_;
  BeaconFlags beacon_flags_;
  absl::Mutex write_mu_;  // serializes imports and reloads
  // The recorded generation the file at the path did not match, since when,
  // and whether that was logged.
  std::optional<BreachedPasswordGeneration> mismatched_
      ABSL_GUARDED_BY(write_mu_);
  absl::Time mismatched_since_ ABSL_GUARDED_BY(write_mu_);
  bool mismatch_logged_ ABSL_GUARDED_BY(write_mu_) = false;
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_LOGIN_ENGINE_H_
