#include "server/certs/probe_cache.h"

namespace lureguard::certs {

ProbeCache::ProbeCache(TlsProber& prober, BoundedExecutor& executor,
                       const Clock& clock, ProbeCacheOptions options)
    : prober_(prober),
      executor_(executor),
      clock_(clock),
      options_(std::move(options)) {}

ProbeLookup ProbeCache::Lookup(const ProbeTarget& target) {
  const std::string key = target.ToString();
  const absl::Time now = clock_.Now();
  ProbeLookup lookup;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      Entry& entry = it->second;
      if (entry.result != nullptr) {
        lookup.state = ProbeState::kReady;
        lookup.result = entry.result;
      }
      if (entry.pending) {
        if (entry.result == nullptr) ++stats_.coalesced;
        return lookup;
      }
      if (now < entry.expires) return lookup;
    }
    // No fresh result and no probe under way: this lookup starts one.
    MakeRoom(now);
    entries_[key].pending = true;
  }
  if (executor_.TrySubmit([this, target] { RunProbe(target); })) {
    return lookup;
  }
  absl::MutexLock lock(&mu_);
  ++stats_.dropped;
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.pending = false;
    if (it->second.result == nullptr) entries_.erase(it);
  }
  if (lookup.state != ProbeState::kReady) lookup.state = ProbeState::kDropped;
  return lookup;
}

absl::StatusOr<CertProbe> ProbeCache::ProbeNow(const ProbeTarget& target) {
  absl::StatusOr<CertProbe> result = prober_.Probe(target);
  absl::MutexLock lock(&mu_);
  MakeRoom(clock_.Now());
  Store(target, result);
  return result;
}

void ProbeCache::RunProbe(const ProbeTarget& target) {
  absl::StatusOr<CertProbe> result = prober_.Probe(target);
  absl::MutexLock lock(&mu_);
  Store(target, std::move(result));
}

void ProbeCache::Store(const ProbeTarget& target,
                       absl::StatusOr<CertProbe> result) {
  ++stats_.probes;
  if (!result.ok()) ++stats_.failures;
  Entry& entry = entries_[target.ToString()];
  entry.expires = clock_.Now() +
                  (result.ok() ? options_.success_ttl : options_.failure_ttl);
  entry.result =
      std::make_shared<const absl::StatusOr<CertProbe>>(std::move(result));
  entry.pending = false;
}

void ProbeCache::MakeRoom(absl::Time now) {
  if (entries_.size() < options_.max_entries) return;
  // Expired results first; pending entries must stay (a probe will land).
  absl::erase_if(entries_, [now](const auto& kv) {
    return !kv.second.pending && kv.second.expires <= now;
  });
  for (auto it = entries_.begin();
       entries_.size() >= options_.max_entries && it != entries_.end();) {
    if (it->second.pending) {
      ++it;
    } else {
      entries_.erase(it++);
    }
  }
}

ProbeCache::Stats ProbeCache::stats() const {
  absl::MutexLock lock(&mu_);
  Stats stats = stats_;
  stats.entries = entries_.size();
  stats.pending = 0;
  for (const auto& [key, entry] : entries_) stats.pending += entry.pending;
  return stats;
}

}  // namespace lureguard::certs
