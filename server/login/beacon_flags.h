// Hosts the login-page beacon saw serving a tenant's login page, kept so
// that later login checks from those hosts carry LOGIN_ORIGIN_BEACON.
//
// A beacon hit is unauthenticated: anyone can send one with any Referer.
// So a flag is bounded in every direction (issue #16):
//   - it expires `ttl` after its last hit (default 30 days) and is swept
//     from memory and the store;
//   - hits that would write are admitted per client IP and per tenant by
//     token buckets (auth::RateLimiter); a refused hit changes nothing;
//   - at most `max_flags` flags are kept; a new host beyond that is
//     refused (after sweeping the expired ones), existing flags still
//     refresh;
//   - a write touches one entry of a mutex-guarded map (no copy of the
//     others); the store is written before the map, outside the map's
//     lock, so checks never wait on the store.
// What a flag is worth in a verdict (CHALLENGE alone, BLOCK only with
// corroboration) and which hosts are never flagged (allow list, the
// tenant's own and brand domains) is LoginEngine's decision; this class
// only keeps the flags.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization. Find() takes a shared lock for one lookup.
//
// Example:
//   BeaconFlags flags(&store, clock, {.ttl = absl::Hours(24 * 30)});
//   RETURN_IF_ERROR(flags.Load());
//   absl::StatusOr<BeaconHit> hit =
//       flags.Record({.tenant = "acme", .host = "evil.example",
//                     .brand = "Acme", .technique = "reverse-proxy"},
//                    "203.0.113.9");
//   std::optional<store::BeaconFlagRecord> flag =
//       flags.Find("acme", "evil.example");

#ifndef LUREGUARD_SERVER_LOGIN_BEACON_FLAGS_H_
#define LUREGUARD_SERVER_LOGIN_BEACON_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/auth/rate_limiter.h"
#include "server/common/clock.h"
#include "server/store/store.h"

namespace lureguard::login {

// Bounds on the flags; the defaults are the documented ones (config.proto
// LoginConfig.beacon).
struct BeaconFlagOptions {
  // How long a flag lasts after its last hit.
  absl::Duration ttl = absl::Hours(24 * 30);
  // Flag-writing hits per client IP: a victim's browser loads the beacon
  // once per page view, so a few a minute is generous; a forger from one
  // address gets 10 at once, then one a minute.
  auth::RateLimit per_client_ip = {.rate = 1.0 / 60, .burst = 10};
  // Flag-writing hits per tenant, from all IPs together: one a second
  // sustained, 100 at once.
  auth::RateLimit per_tenant = {.rate = 1, .burst = 100};
  // Flags kept at most, all tenants together.
  int64_t max_flags = 10000;
};

// What one hit is about: a host serving the tenant's login page.
struct BeaconSighting {
  std::string tenant = {};
  std::string host = {};  // canonical host of the Referer
  std::string brand = {};
  std::string technique = {};
};

// What Record did.
struct BeaconHit {
  store::BeaconFlagRecord flag;  // as kept after the hit
  bool first_seen = false;       // the hit created the flag
};

class BeaconFlags {
 public:
  // `store` (null: flags live in memory only) and `clock` must outlive
  // this object.
  BeaconFlags(store::Store* store, const Clock& clock,
              BeaconFlagOptions options);

  BeaconFlags(const BeaconFlags&) = delete;
  BeaconFlags& operator=(const BeaconFlags&) = delete;

  // Replaces the flags in memory by the store's unexpired ones.
  absl::Status Load();

  // Records a hit from `client_ip` ("" when unknown: only the tenant's
  // bucket applies). ResourceExhausted, naming the limit, when the client
  // IP's or the tenant's bucket is empty or a new flag would pass
  // max_flags; the store's error when it cannot be written (memory is then
  // unchanged). A refresh of an existing flag is written to the store at
  // most once a minute; hits between are counted in memory.
  absl::StatusOr<BeaconHit> Record(const BeaconSighting& sighting,
                                   absl::string_view client_ip);

  // The flag of (tenant, host) unless it has expired.
  std::optional<store::BeaconFlagRecord> Find(absl::string_view tenant,
                                              absl::string_view host) const;

  // Unexpired flags, of one tenant when `tenant` is set, ordered by tenant
  // and host.
  std::vector<store::BeaconFlagRecord> List(
      const std::optional<std::string>& tenant) const;

  // Deletes the flag (from the store first); returns whether it existed,
  // expired or not. An AuditScope open on the calling thread commits with
  // the store's delete.
  absl::StatusOr<bool> Remove(absl::string_view tenant, absl::string_view host);

  // Deletes the expired flags from memory and the store; returns how many
  // were in memory. Record calls it itself at most once an hour and when
  // the cap is reached.
  absl::StatusOr<int64_t> SweepExpired();

  // Flags in memory, expired ones not swept yet included.
  size_t size() const;

  const BeaconFlagOptions& options() const { return options_; }

 private:
  using Key = std::string;  // "tenant\0host"

  absl::StatusOr<int64_t> SweepExpiredLocked(absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  store::Store* const store_;
  const Clock& clock_;
  const BeaconFlagOptions options_;
  auth::RateLimiter per_ip_;
  auth::RateLimiter per_tenant_;
  // Serializes writers (store, then map); never held by Find.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(write_mu_);
  // When each flag was last written to the store.
  absl::flat_hash_map<Key, absl::Time> persisted_ ABSL_GUARDED_BY(write_mu_);
  mutable absl::Mutex mu_;
  absl::flat_hash_map<Key, store::BeaconFlagRecord> flags_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_BEACON_FLAGS_H_
