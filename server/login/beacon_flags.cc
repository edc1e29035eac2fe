#include "server/login/beacon_flags.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"

namespace lureguard::login {
namespace {

// A flag hit again and again is written to the store at most this often:
// the expiry then moves in steps of a minute, and a flood of hits on one
// host costs no store write each.
constexpr absl::Duration kPersistInterval = absl::Minutes(1);
// Expired flags are swept at most this often, besides when the cap is hit.
constexpr absl::Duration kSweepInterval = absl::Hours(1);

std::string FlagKey(absl::string_view tenant, absl::string_view host) {
  return absl::StrCat(tenant, absl::string_view("\0", 1), host);
}

absl::Status Exhausted(absl::string_view what, absl::Duration retry_after) {
  return absl::ResourceExhaustedError(absl::StrCat(
      what, "; retry in ",
      absl::FormatDuration(absl::Ceil(retry_after, absl::Seconds(1)))));
}

}  // namespace

BeaconFlags::BeaconFlags(store::Store* store, const Clock& clock,
                         BeaconFlagOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      per_ip_(clock, options_.per_client_ip),
      per_tenant_(clock, options_.per_tenant),
      last_sweep_(clock.Now()) {}

absl::Status BeaconFlags::Load() {
  if (store_ == nullptr) return absl::OkStatus();
  absl::MutexLock write(&write_mu_);
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(std::vector<store::BeaconFlagRecord> stored,
                   store_->ListBeaconFlags(now));
  absl::flat_hash_map<Key, store::BeaconFlagRecord> loaded;
  persisted_.clear();
  for (store::BeaconFlagRecord& flag : stored) {
    Key key = FlagKey(flag.tenant, flag.host);
    persisted_[key] = flag.last_seen;
    loaded[std::move(key)] = std::move(flag);
  }
  absl::MutexLock lock(&mu_);
  flags_ = std::move(loaded);
  return absl::OkStatus();
}

absl::StatusOr<BeaconHit> BeaconFlags::Record(const BeaconSighting& sighting,
                                              absl::string_view client_ip) {
  if (!client_ip.empty()) {
    auth::RateDecision ip = per_ip_.Admit(client_ip);
    if (!ip.admitted) {
      return Exhausted(
          absl::StrCat("client_ip: ", client_ip,
                       " is over the beacon rate limit per client IP"),
          ip.retry_after);
    }
  }
  auth::RateDecision tenant = per_tenant_.Admit(sighting.tenant);
  if (!tenant.admitted) {
    return Exhausted(absl::StrCat("tenant: '", sighting.tenant,
                                  "' is over the beacon rate limit per tenant"),
                     tenant.retry_after);
  }

  absl::MutexLock write(&write_mu_);
  const absl::Time now = clock_.Now();
  if (now - last_sweep_ >= kSweepInterval) {
    if (absl::StatusOr<int64_t> swept = SweepExpiredLocked(now); !swept.ok()) {
      return swept.status();
    }
  }
  const Key key = FlagKey(sighting.tenant, sighting.host);
  BeaconHit hit;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = flags_.find(key);
    if (it != flags_.end() && it->second.expire_time > now) {
      hit.flag = it->second;
    } else {
      hit.first_seen = true;
    }
  }
  if (hit.first_seen) {
    size_t kept;
    {
      absl::ReaderMutexLock lock(&mu_);
      kept = flags_.size() - (flags_.contains(key) ? 1 : 0);
    }
    if (static_cast<int64_t>(kept) >= options_.max_flags) {
      RETURN_IF_ERROR(SweepExpiredLocked(now).status());
      absl::ReaderMutexLock lock(&mu_);
      if (static_cast<int64_t>(flags_.size()) >= options_.max_flags) {
        return absl::ResourceExhaustedError(
            absl::StrCat("beacon flags: the cap of ", options_.max_flags,
                         " flags is reached (login.beacon.max_flags)"));
      }
    }
    hit.flag.tenant = sighting.tenant;
    hit.flag.host = sighting.host;
    hit.flag.brand = sighting.brand;
    hit.flag.technique = sighting.technique;
    hit.flag.first_seen = now;
    hit.flag.hits = 0;
  }
  hit.flag.hits += 1;
  hit.flag.last_seen = now;
  hit.flag.expire_time = now + options_.ttl;

  if (store_ != nullptr) {
    auto persisted = persisted_.find(key);
    if (hit.first_seen || persisted == persisted_.end() ||
        now - persisted->second >= kPersistInterval) {
      RETURN_IF_ERROR(store_->PutBeaconFlag(hit.flag));
      persisted_[key] = now;
    }
  }
  absl::MutexLock lock(&mu_);
  flags_[key] = hit.flag;
  return hit;
}

std::optional<store::BeaconFlagRecord> BeaconFlags::Find(
    absl::string_view tenant, absl::string_view host) const {
  const absl::Time now = clock_.Now();
  absl::ReaderMutexLock lock(&mu_);
  auto it = flags_.find(FlagKey(tenant, host));
  if (it == flags_.end() || it->second.expire_time <= now) return std::nullopt;
  return it->second;
}

std::vector<store::BeaconFlagRecord> BeaconFlags::List(
    const std::optional<std::string>& tenant) const {
  const absl::Time now = clock_.Now();
  std::vector<store::BeaconFlagRecord> listed;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [key, flag] : flags_) {
      if (flag.expire_time <= now) continue;
      if (tenant.has_value() && flag.tenant != *tenant) continue;
      listed.push_back(flag);
    }
  }
  std::sort(
      listed.begin(), listed.end(),
      [](const store::BeaconFlagRecord& a, const store::BeaconFlagRecord& b) {
        return std::tie(a.tenant, a.host) < std::tie(b.tenant, b.host);
      });
  return listed;
}

absl::StatusOr<bool> BeaconFlags::Remove(absl::string_view tenant,
                                         absl::string_view host) {
  absl::MutexLock write(&write_mu_);
  const Key key = FlagKey(tenant, host);
  bool existed = false;
  if (store_ != nullptr) {
    ASSIGN_OR_RETURN(
        bool deleted,
        store_->DeleteBeaconFlag(std::string_view(tenant.data(), tenant.size()),
                                 std::string_view(host.data(), host.size())));
    existed = deleted;
  }
  persisted_.erase(key);
  absl::MutexLock lock(&mu_);
  existed = flags_.erase(key) > 0 || existed;
  return existed;
}

absl::StatusOr<int64_t> BeaconFlags::SweepExpired() {
  absl::MutexLock write(&write_mu_);
  return SweepExpiredLocked(clock_.Now());
}

absl::StatusOr<int64_t> BeaconFlags::SweepExpiredLocked(absl::Time now) {
  last_sweep_ = now;
  if (store_ != nullptr) {
    absl::StatusOr<int64_t> deleted = store_->DeleteExpiredBeaconFlags(now);
    if (!deleted.ok()) return deleted.status();
  }
  int64_t swept = 0;
  absl::MutexLock lock(&mu_);
  for (auto it = flags_.begin(); it != flags_.end();) {
    if (it->second.expire_time <= now) {
      persisted_.erase(it->first);
      flags_.erase(it++);
      ++swept;
    } else {
      ++it;
    }
  }
  if (swept > 0) {
    LogInfo("expired beacon flags swept", {{"flags", absl::StrCat(swept)}});
  }
  return swept;
}

size_t BeaconFlags::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return flags_.size();
}

}  // namespace lureguard::login
