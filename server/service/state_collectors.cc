#include "server/service/state_collectors.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "server/common/clock.h"

namespace lureguard::service {
namespace {

using Labels = std::vector<prometheus::ClientMetric::Label>;

// A timestamp gauge's value: Unix seconds, or 0 for "never" (the epoch).
double UnixSecondsOrZero(absl::Time t) {
  return t == absl::UnixEpoch() ? 0.0
                                : absl::ToDoubleSeconds(t - absl::UnixEpoch());
}

}  // namespace

void AddStateCollectors(ServerMetrics& metrics, const StateSources& sources) {
  if (sources.redis_counters != nullptr) {
    metrics.AddCollector([counters = sources.redis_counters] {
      return CounterStoreFamilies(*counters);
    });
  }
  metrics.AddCollector(
      [health = sources.store_health] { return StoreFamilies(*health); });
  metrics.AddCollector([engine = sources.engine] {
    std::shared_ptr<const verdict::EngineSnapshot> snapshot =
        engine->snapshot();
    if (snapshot == nullptr) return std::vector<prometheus::MetricFamily>();
    return SnapshotFamilies(*snapshot, SystemClock().Now());
  });
  metrics.AddCollector([engine = sources.engine] {
    return CheckCacheFamilies(engine->CheckCacheStats(),
                              engine->LookalikeCacheStats());
  });
  metrics.AddCollector([feeds = sources.feeds] {
    absl::StatusOr<std::vector<lists::FeedState>> states = feeds->List();
    if (!states.ok()) return std::vector<prometheus::MetricFamily>();
    return FeedFamilies(*states);
  });
  metrics.AddCollector([ct_monitor = sources.ct_monitor] {
    absl::StatusOr<std::vector<certs::CtLogState>> logs = ct_monitor->List();
    if (!logs.ok()) return std::vector<prometheus::MetricFamily>();
    return CtLogFamilies(*logs);
  });
  if (sources.cert_probes != nullptr) {
    metrics.AddCollector([probes = sources.cert_probes] {
      return CertProbeFamilies(probes->stats());
    });
  }
}

std::vector<prometheus::MetricFamily> CounterStoreFamilies(
    const login::RedisCounterStore& counters) {
  return std::vector<prometheus::MetricFamily>{
      GaugeFamily("lureguard_counter_store_up",
                  "1 when the last login counter batch reached Redis.",
                  {GaugeSample(counters.up() ? 1 : 0)}),
      CounterFamily(
          "lureguard_counter_store_errors_total",
          "Login counter batches that failed to reach Redis (each one a "
          "degraded CheckLogin or an UNAVAILABLE ReportLoginOutcome).",
          {CounterSample(static_cast<double>(counters.errors()))})};
}

std::vector<prometheus::MetricFamily> StoreFamilies(const StoreHealth& health) {
  return std::vector<prometheus::MetricFamily>{GaugeFamily(
      "lureguard_store_up",
      "1 when the last look at the store (every second) reached it; 0 "
      "while verdicts come from the last snapshot and admin writes fail.",
      {GaugeSample(health.up() ? 1 : 0)})};
}

std::vector<prometheus::MetricFamily> SnapshotFamilies(
    const verdict::EngineSnapshot& snapshot, absl::Time now) {
  const lists::ListCounts counts = snapshot.lists.counts();
  std::vector<prometheus::MetricFamily> families;
  families.push_back(
      GaugeFamily("lureguard_snapshot_entries",
                  "List entries in the snapshot serving checks, by list.",
                  {GaugeSample(counts.block, {{"list", "block"}}),
                   GaugeSample(counts.allow, {{"list", "allow"}})}));
  families.push_back(GaugeFamily(
      "lureguard_snapshot_brands",
      "Protected brands in the snapshot serving checks.",
      {GaugeSample(
          snapshot.brands == nullptr ? 0 : snapshot.brands->stats().brands)}));
  families.push_back(
      GaugeFamily("lureguard_snapshot_revision",
                  "Store revision the serving snapshot was built from.",
                  {GaugeSample(snapshot.revision)}));
  families.push_back(GaugeFamily(
      "lureguard_snapshot_build_timestamp_seconds",
      "When the serving snapshot was built, Unix time.",
      {GaugeSample(
          absl::ToDoubleSeconds(snapshot.build_time - absl::UnixEpoch()))}));
  families.push_back(GaugeFamily(
      "lureguard_snapshot_age_seconds",
      "Seconds since the serving snapshot was built.",
      {GaugeSample(absl::ToDoubleSeconds(now - snapshot.build_time))}));
  return families;
}

std::vector<prometheus::MetricFamily> FeedFamilies(
    const std::vector<lists::FeedState>& feeds) {
  std::vector<prometheus::ClientMetric> success, attempt, failures, entries, up;
  for (const lists::FeedState& feed : feeds) {
    const Labels labels = {{"feed", feed.config.name},
                           {"tenant", feed.config.tenant}};
    success.push_back(
        GaugeSample(UnixSecondsOrZero(feed.last_success_time), labels));
    attempt.push_back(
        GaugeSample(UnixSecondsOrZero(feed.last_attempt_time), labels));
    failures.push_back(GaugeSample(feed.consecutive_failures, labels));
    entries.push_back(GaugeSample(feed.entry_count, labels));
    const bool refreshed =
        feed.last_attempt_time != absl::UnixEpoch() && feed.last_error.empty();
    up.push_back(GaugeSample(refreshed ? 1 : 0, labels));
  }
  std::vector<prometheus::MetricFamily> families;
  families.push_back(
      GaugeFamily("lureguard_feed_last_success_timestamp_seconds",
                  "Last successful refresh of each feed, Unix time; 0: never.",
                  std::move(success)));
  families.push_back(
      GaugeFamily("lureguard_feed_last_attempt_timestamp_seconds",
                  "Last refresh attempt of each feed, Unix time; 0: never.",
                  std::move(attempt)));
  families.push_back(
      GaugeFamily("lureguard_feed_consecutive_failures",
                  "Failed refreshes of each feed since its last success.",
                  std::move(failures)));
  families.push_back(
      GaugeFamily("lureguard_feed_entries",
                  "Entries each feed's last successful refresh wrote.",
                  std::move(entries)));
  families.push_back(GaugeFamily(
      "lureguard_feed_up", "1 when the feed's last refresh succeeded, else 0.",
      std::move(up)));
  return families;
}

std::vector<prometheus::MetricFamily> CtLogFamilies(
    const std::vector<certs::CtLogState>& logs) {
  std::vector<prometheus::ClientMetric> behind, success, failures, read, alerts,
      malformed;
  for (const certs::CtLogState& log : logs) {
    const Labels labels = {{"log", log.config.name}};
    behind.push_back(
        GaugeSample(std::max<int64_t>(0, log.tree_size - log.cursor), labels));
    success.push_back(
        GaugeSample(UnixSecondsOrZero(log.last_success_time), labels));
    failures.push_back(GaugeSample(log.consecutive_failures, labels));
    read.push_back(GaugeSample(log.entries_read, labels));
    alerts.push_back(GaugeSample(log.alert_count, labels));
    malformed.push_back(GaugeSample(log.malformed_count, labels));
  }
  std::vector<prometheus::MetricFamily> families;
  families.push_back(
      GaugeFamily("lureguard_ct_entries_behind",
                  "Entries of each CT log's last tree head not read yet.",
                  std::move(behind)));
  families.push_back(
      GaugeFamily("lureguard_ct_last_success_timestamp_seconds",
                  "Last successful poll of each CT log, Unix time; 0: never.",
                  std::move(success)));
  families.push_back(
      GaugeFamily("lureguard_ct_consecutive_failures",
                  "Failed polls of each CT log since its last success.",
                  std::move(failures)));
  families.push_back(GaugeFamily(
      "lureguard_ct_entries_read",
      "Entries read from each CT log since it was added.", std::move(read)));
  families.push_back(GaugeFamily("lureguard_ct_alerts",
                                 "Alerts each CT log produced.",
                                 std::move(alerts)));
  families.push_back(
      GaugeFamily("lureguard_ct_malformed_entries",
                  "Entries of each CT log skipped because they did not parse.",
                  std::move(malformed)));
  return families;
}

std::vector<prometheus::MetricFamily> CheckCacheFamilies(
    const verdict::Engine::CheckCache::Stats& checks,
    const verdict::Engine::LookalikeReasonCache::Stats& lookalikes) {
  return std::vector<prometheus::MetricFamily>{GaugeFamily(
      "lureguard_check_cache_lookups",
      "Lookups in the engine's caches of URL checks (cache=\"url\") and "
      "of hosts' lookalike reasons (cache=\"lookalike\") since each was "
      "started, by result.",
      {GaugeSample(checks.hits, {{"cache", "url"}, {"result", "hit"}}),
       GaugeSample(checks.misses, {{"cache", "url"}, {"result", "miss"}}),
       GaugeSample(lookalikes.hits,
                   {{"cache", "lookalike"}, {"result", "hit"}}),
       GaugeSample(lookalikes.misses,
                   {{"cache", "lookalike"}, {"result", "miss"}})})};
}

std::vector<prometheus::MetricFamily> CertProbeFamilies(
    const certs::ProbeCache::Stats& stats) {
  // Counters kept by the cache, exposed as gauges read at scrape time
  // (they only grow, so rate() works on them as on counters).
  return std::vector<prometheus::MetricFamily>{
      GaugeFamily(
          "lureguard_cert_probes",
          "TLS certificate probes finished, by outcome.",
          {GaugeSample(stats.runs - stats.failures, {{"outcome", "ok"}}),
           GaugeSample(stats.failures, {{"outcome", "failed"}})}),
      GaugeFamily("lureguard_cert_probe_lookups",
                  "Checks that joined a pending probe (coalesced) or "
                  "found the probe queue full (dropped).",
                  {GaugeSample(stats.coalesced, {{"result", "coalesced"}}),
                   GaugeSample(stats.dropped, {{"result", "dropped"}})}),
      GaugeFamily("lureguard_cert_probe_cache_hosts",
                  "Hosts with certificate facts or a probe under way.",
                  {GaugeSample(stats.entries)}),
      GaugeFamily("lureguard_cert_probes_pending", "Probes queued or running.",
                  {GaugeSample(stats.pending)})};
}

}  // namespace lureguard::service
