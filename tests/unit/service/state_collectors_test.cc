#include "server/service/state_collectors.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/prometheus_text.h"

namespace lureguard::service {
namespace {

// The families as /metrics would show them, parsed back into samples.
testing::PrometheusSamples Scrape(
    std::vector<prometheus::MetricFamily> families) {
  ServerMetrics metrics({});
  metrics.AddCollector([families] { return families; });
  absl::StatusOr<testing::PrometheusSamples> samples =
      testing::ParsePrometheusText(metrics.Exposition());
  EXPECT_TRUE(samples.ok()) << samples.status();
  return samples.ok() ? *samples : testing::PrometheusSamples();
}

TEST(FeedFamilies, ReportEachFeedByNameAndTenantWithNeverAsZero) {
  lists::FeedState refreshed;
  refreshed.config.name = "openphish";
  refreshed.config.tenant = "acme";
  refreshed.last_attempt_time = absl::FromUnixSeconds(1700000100);
  refreshed.last_success_time = absl::FromUnixSeconds(1700000100);
  refreshed.entry_count = 42;
  lists::FeedState failing;
  failing.config.name = "urlhaus";
  failing.last_attempt_time = absl::FromUnixSeconds(1700000200);
  failing.last_error = "HTTP 503";
  failing.consecutive_failures = 3;

  testing::PrometheusSamples samples =
      Scrape(FeedFamilies({refreshed, failing}));
  const std::string ok = "{feed=\"openphish\",tenant=\"acme\"}";
  const std::string bad = "{feed=\"urlhaus\",tenant=\"\"}";
  EXPECT_EQ(samples["lureguard_feed_up" + ok], 1);
  EXPECT_EQ(samples["lureguard_feed_entries" + ok], 42);
  EXPECT_EQ(samples["lureguard_feed_last_success_timestamp_seconds" + ok],
            1700000100);
  EXPECT_EQ(samples["lureguard_feed_up" + bad], 0);
  EXPECT_EQ(samples["lureguard_feed_consecutive_failures" + bad], 3);
  EXPECT_EQ(samples["lureguard_feed_last_attempt_timestamp_seconds" + bad],
            1700000200);
  ASSERT_EQ(
      samples.count("lureguard_feed_last_success_timestamp_seconds" + bad), 1u);
  EXPECT_EQ(samples["lureguard_feed_last_success_timestamp_seconds" + bad], 0);
}

TEST(FeedFamilies, AFeedNeverRefreshedIsNotUp) {
  lists::FeedState added;
  added.config.name = "new";
  testing::PrometheusSamples samples = Scrape(FeedFamilies({added}));
  const std::string labels = "{feed=\"new\",tenant=\"\"}";
  ASSERT_EQ(samples.count("lureguard_feed_up" + labels), 1u);
  EXPECT_EQ(samples["lureguard_feed_up" + labels], 0);
}

TEST(CtLogFamilies, EntriesBehindNeverGoBelowZero) {
  certs::CtLogState log;
  log.config.name = "argon";
  log.tree_size = 100;
  log.cursor = 120;  // a tree head older than the cursor
  log.alert_count = 2;
  log.malformed_count = 1;
  log.entries_read = 120;
  testing::PrometheusSamples samples = Scrape(CtLogFamilies({log}));
  const std::string labels = "{log=\"argon\"}";
  ASSERT_EQ(samples.count("lureguard_ct_entries_behind" + labels), 1u);
  EXPECT_EQ(samples["lureguard_ct_entries_behind" + labels], 0);
  EXPECT_EQ(samples["lureguard_ct_alerts" + labels], 2);
  EXPECT_EQ(samples["lureguard_ct_malformed_entries" + labels], 1);
  EXPECT_EQ(samples["lureguard_ct_entries_read" + labels], 120);
  EXPECT_EQ(samples["lureguard_ct_last_success_timestamp_seconds" + labels], 0);
}

TEST(CheckCacheFamilies, LabelEachCacheAndResult) {
  testing::PrometheusSamples samples = Scrape(
      CheckCacheFamilies({.hits = 30, .misses = 12}, {.hits = 5, .misses = 7}));
  EXPECT_EQ(
      samples["lureguard_check_cache_lookups{cache=\"url\",result=\"hit\"}"],
      30);
  EXPECT_EQ(
      samples["lureguard_check_cache_lookups{cache=\"url\",result=\"miss\"}"],
      12);
  EXPECT_EQ(samples["lureguard_check_cache_lookups{cache=\"lookalike\",result="
                    "\"hit\"}"],
            5);
  EXPECT_EQ(samples["lureguard_check_cache_lookups{cache=\"lookalike\",result="
                    "\"miss\"}"],
            7);
}

TEST(CertProbeFamilies, SplitFinishedProbesIntoOkAndFailed) {
  certs::ProbeCache::Stats stats;
  stats.runs = 5;
  stats.failures = 2;
  stats.coalesced = 7;
  stats.dropped = 1;
  stats.entries = 4;
  stats.pending = 3;
  testing::PrometheusSamples samples = Scrape(CertProbeFamilies(stats));
  EXPECT_EQ(samples["lureguard_cert_probes{outcome=\"ok\"}"], 3);
  EXPECT_EQ(samples["lureguard_cert_probes{outcome=\"failed\"}"], 2);
  EXPECT_EQ(samples["lureguard_cert_probe_lookups{result=\"coalesced\"}"], 7);
  EXPECT_EQ(samples["lureguard_cert_probe_lookups{result=\"dropped\"}"], 1);
  EXPECT_EQ(samples["lureguard_cert_probe_cache_hosts"], 4);
  EXPECT_EQ(samples["lureguard_cert_probes_pending"], 3);
}

}  // namespace
}  // namespace lureguard::service
