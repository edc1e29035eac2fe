// The gauges /metrics computes from the server's state when it is scraped
// (issue #4): the store's and the Redis counter store's reachability, the
// snapshot serving checks, each feed's status, each CT log's progress and
// the certificate probe cache. Each family group is built by a function of
// its own from plain state, so it can be read and tested without a server.
//
// Thread safety: the families functions are pure; AddStateCollectors is
// meant for start-up, like ServerMetrics::AddCollector.
//
// Example:
//   AddStateCollectors(metrics, {.store_health = &store_health,
//                                .engine = &engine,
//                                .feeds = &feeds,
//                                .ct_monitor = &ct_monitor});

#ifndef LUREGUARD_SERVER_SERVICE_STATE_COLLECTORS_H_
#define LUREGUARD_SERVER_SERVICE_STATE_COLLECTORS_H_

#include <vector>

#include "absl/time/time.h"
#include "prometheus/metric_family.h"
#include "server/certs/ct_monitor.h"
#include "server/certs/probe_cache.h"
#include "server/lists/feed_manager.h"
#include "server/login/redis_counter_store.h"
#include "server/service/metrics.h"
#include "server/service/store_health.h"
#include "server/verdict/engine.h"

namespace lureguard::service {

// The parts of the server the state gauges read. Each must outlive the
// metrics it is added to; a null optional part leaves its families out.
struct StateSources {
  const login::RedisCounterStore* redis_counters = nullptr;  // null: no Redis
  const StoreHealth* store_health = nullptr;
  const verdict::Engine* engine = nullptr;
  lists::FeedManager* feeds = nullptr;
  certs::CtMonitor* ct_monitor = nullptr;
  const certs::ProbeCache* cert_probes = nullptr;  // null: probes off
};

// Adds one collector per family group below, in this file's order.
// REQUIRES: store_health, engine, feeds and ct_monitor are not null.
void AddStateCollectors(ServerMetrics& metrics, const StateSources& sources);

// lureguard_counter_store_up and lureguard_counter_store_errors_total.
std::vector<prometheus::MetricFamily> CounterStoreFamilies(
    const login::RedisCounterStore& counters);

// lureguard_store_up.
std::vector<prometheus::MetricFamily> StoreFamilies(const StoreHealth& health);

// lureguard_snapshot_*: the snapshot serving checks, its age as of `now`.
std::vector<prometheus::MetricFamily> SnapshotFamilies(
    const verdict::EngineSnapshot& snapshot, absl::Time now);

// lureguard_feed_*, one sample per feed, labelled with feed and tenant.
std::vector<prometheus::MetricFamily> FeedFamilies(
    const std::vector<lists::FeedState>& feeds);

// lureguard_ct_*, one sample per CT log, labelled with the log's name.
std::vector<prometheus::MetricFamily> CtLogFamilies(
    const std::vector<certs::CtLogState>& logs);

// lureguard_check_cache_lookups: hits and misses of the engine's caches
// of URL checks and of hosts' lookalike reasons, since each was started
// (a new snapshot starts the first; new brands, the second).
std::vector<prometheus::MetricFamily> CheckCacheFamilies(
    const verdict::Engine::CheckCache::Stats& checks,
    const verdict::Engine::LookalikeReasonCache::Stats& lookalikes);

// lureguard_cert_probe*: the probe cache's counters.
std::vector<prometheus::MetricFamily> CertProbeFamilies(
    const certs::ProbeCache::Stats& stats);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_STATE_COLLECTORS_H_
