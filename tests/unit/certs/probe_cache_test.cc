#include "server/certs/probe_cache.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_tls_prober.h"

namespace lureguard::certs {
namespace {

CertProbe ProbeWithCn(const std::string& cn) {
  CertProbe probe;
  probe.leaf.subject_cn = cn;
  probe.chain_trusted = true;
  probe.hostname_matches = true;
  return probe;
}

// Waits until `n` probe outcomes are stored (the prober returning is not
// enough: the cache stores right after).
void AwaitStored(const ProbeCache& cache, uint64_t n) {
  while (cache.stats().runs < n) absl::SleepFor(absl::Milliseconds(1));
}

class ProbeCacheTest : public ::testing::Test {
 protected:
  ProbeCacheOptions Options() {
    ProbeCacheOptions options;
    options.success_ttl = absl::Hours(1);
    options.failure_ttl = absl::Minutes(5);
    return options;
  }
  FakeClock clock_;
  FakeTlsProber prober_;
};

TEST_F(ProbeCacheTest, FirstLookupIsPendingThenTheResultIsServed) {
  BoundedExecutor executor(1, 8);
  ProbeCache cache(prober_, executor, clock_, Options());
  prober_.Set("a.test:443", ProbeWithCn("a.test"));
  EXPECT_EQ(cache.Lookup({"a.test", 443}).state, ProbeState::kPending);
  AwaitStored(cache, 1);
  ProbeLookup lookup = cache.Lookup({"a.test", 443});
  ASSERT_EQ(lookup.state, ProbeState::kReady);
  ASSERT_TRUE(lookup.result->ok());
  EXPECT_EQ((*lookup.result)->leaf.subject_cn, "a.test");
  EXPECT_EQ(prober_.calls(), 1);
  executor.Stop();
}

TEST_F(ProbeCacheTest, ConcurrentLookupsOfOneHostShareOneProbe) {
  BoundedExecutor executor(2, 8);
  ProbeCache cache(prober_, executor, clock_, Options());
  prober_.Set("a.test:443", ProbeWithCn("a.test"));
  prober_.Hold();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(cache.Lookup({"a.test", 443}).state, ProbeState::kPending);
  }
  // Another port is another target.
  EXPECT_EQ(cache.Lookup({"a.test", 8443}).state, ProbeState::kPending);
  prober_.Release();
  AwaitStored(cache, 2);
  EXPECT_EQ(prober_.calls(), 2);
  EXPECT_EQ(cache.stats().coalesced, 9u);
  executor.Stop();
}

TEST_F(ProbeCacheTest, SuccessAndFailureExpireAfterTheirOwnTtl) {
  BoundedExecutor executor(1, 8);
  ProbeCache cache(prober_, executor, clock_, Options());
  prober_.Set("ok.test:443", ProbeWithCn("ok.test"));
  prober_.Set("down.test:443", absl::DeadlineExceededError("timed out"));
  cache.Lookup({"ok.test", 443});
  cache.Lookup({"down.test", 443});
  AwaitStored(cache, 2);

  clock_.Advance(absl::Minutes(5));
  // The failure has expired: served once more while it is probed again.
  ProbeLookup down = cache.Lookup({"down.test", 443});
  EXPECT_EQ(down.state, ProbeState::kReady);
  EXPECT_EQ(down.result->status().code(), absl::StatusCode::kDeadlineExceeded);
  AwaitStored(cache, 3);
  EXPECT_EQ(cache.Lookup({"ok.test", 443}).state, ProbeState::kReady);
  EXPECT_EQ(prober_.calls(), 3);  // the success is still fresh

  clock_.Advance(absl::Minutes(55));
  prober_.Hold();
  EXPECT_EQ(cache.Lookup({"ok.test", 443}).state, ProbeState::kReady);
  // While the refresh runs, the stale result is still served.
  ProbeLookup refreshing = cache.Lookup({"ok.test", 443});
  EXPECT_EQ(refreshing.state, ProbeState::kReady);
  ASSERT_NE(refreshing.result, nullptr);
  EXPECT_EQ((*refreshing.result)->leaf.subject_cn, "ok.test");
  prober_.Release();
  AwaitStored(cache, 4);
  EXPECT_EQ(prober_.calls(), 4);
  EXPECT_EQ(cache.stats().failures, 2u);
  executor.Stop();
}

TEST_F(ProbeCacheTest, AFullQueueDropsTheProbeAndALaterLookupRetries) {
  BoundedExecutor executor(1, 1);
  ProbeCache cache(prober_, executor, clock_, Options());
  prober_.Hold();
  cache.Lookup({"a.test", 443});  // running, held
  // Wait until the worker has taken it, so the queue has one free slot.
  while (prober_.calls() < 1) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(cache.Lookup({"b.test", 443}).state, ProbeState::kPending);
  EXPECT_EQ(cache.Lookup({"c.test", 443}).state, ProbeState::kDropped);
  EXPECT_EQ(cache.stats().dropped, 1u);
  prober_.Release();
  AwaitStored(cache, 2);
  EXPECT_EQ(cache.Lookup({"c.test", 443}).state, ProbeState::kPending);
  AwaitStored(cache, 3);
  executor.Stop();
}

TEST_F(ProbeCacheTest, ProbeNowRunsOnTheCallerAndFillsTheCache) {
  BoundedExecutor executor(1, 8);
  ProbeCache cache(prober_, executor, clock_, Options());
  prober_.Set("a.test:443", ProbeWithCn("a.test"));
  absl::StatusOr<CertProbe> probe = cache.ProbeNow({"a.test", 443});
  ASSERT_TRUE(probe.ok());
  EXPECT_EQ(cache.Lookup({"a.test", 443}).state, ProbeState::kReady);
  EXPECT_EQ(prober_.calls(), 1);
  executor.Stop();
}

TEST_F(ProbeCacheTest, TheCacheHoldsAtMostMaxEntries) {
  BoundedExecutor executor(1, 64);
  ProbeCacheOptions options = Options();
  options.max_entries = 3;
  ProbeCache cache(prober_, executor, clock_, options);
  for (int i = 0; i < 10; ++i) {
    // Failures are cached too (failure TTL): every probe takes a slot.
    EXPECT_FALSE(cache.ProbeNow({"h" + std::to_string(i) + ".test", 443}).ok());
  }
  EXPECT_EQ(cache.stats().entries, 3u);
  executor.Stop();
}

}  // namespace
}  // namespace lureguard::certs
