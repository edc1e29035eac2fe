#include "server/auth/rate_limiter.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_clock.h"

namespace lureguard::auth {
namespace {

TEST(RateLimiter, AdmitsTheBurstThenRefusesWithTheTimeToTheNextToken) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 2, .burst = 3});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit("gw").admitted) << i;
  RateDecision refused = limiter.Admit("gw");
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, absl::Milliseconds(500));
}

TEST(RateLimiter, RecoversAtTheConfiguredRate) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 2, .burst = 1});
  EXPECT_TRUE(limiter.Admit("gw").admitted);
  EXPECT_FALSE(limiter.Admit("gw").admitted);
  clock.Advance(absl::Milliseconds(499));
  RateDecision early = limiter.Admit("gw");
  EXPECT_FALSE(early.admitted);
  EXPECT_EQ(early.retry_after, absl::Milliseconds(1));
  clock.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(limiter.Admit("gw").admitted);
  EXPECT_FALSE(limiter.Admit("gw").admitted);
}

TEST(RateLimiter, RefillStopsAtTheBurst) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 10, .burst = 2});
  EXPECT_TRUE(limiter.Admit("gw").admitted);
  clock.Advance(absl::Hours(1));
  EXPECT_TRUE(limiter.Admit("gw").admitted);
  EXPECT_TRUE(limiter.Admit("gw").admitted);
  EXPECT_FALSE(limiter.Admit("gw").admitted);
}

TEST(RateLimiter, ReserveTakesTheNextTokenInAdvanceAndQueuesCallers) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 2, .burst = 1});
  RateDecision now = limiter.Reserve("gw", absl::Seconds(1));
  EXPECT_TRUE(now.admitted);
  EXPECT_EQ(now.delay, absl::ZeroDuration());
  RateDecision next = limiter.Reserve("gw", absl::Seconds(1));
  EXPECT_TRUE(next.admitted);
  EXPECT_EQ(next.delay, absl::Milliseconds(500));
  // The second reservation waits behind the first.
  RateDecision after = limiter.Reserve("gw", absl::Seconds(1));
  EXPECT_TRUE(after.admitted);
  EXPECT_EQ(after.delay, absl::Seconds(1));
  // A plain Admit waits behind both reservations too.
  RateDecision refused = limiter.Admit("gw");
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, absl::Milliseconds(1500));
}

TEST(RateLimiter, ReserveBeyondMaxWaitIsRefusedAndTakesNothing) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 2, .burst = 1});
  EXPECT_TRUE(limiter.Admit("gw").admitted);
  RateDecision refused = limiter.Reserve("gw", absl::Milliseconds(499));
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, absl::Milliseconds(500));
  clock.Advance(absl::Milliseconds(500));
  EXPECT_TRUE(limiter.Admit("gw").admitted);
}

TEST(RateLimiter, KeysHaveSeparateBuckets) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 1, .burst = 1});
  EXPECT_TRUE(limiter.Admit("a").admitted);
  EXPECT_FALSE(limiter.Admit("a").admitted);
  EXPECT_TRUE(limiter.Admit("b").admitted);
}

TEST(RateLimiter, ZeroRateAdmitsEverything) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 0, .burst = 0});
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(limiter.Admit("gw").admitted);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, ABackwardClockStepRefillsNothing) {
  FakeClock clock;
  RateLimiter limiter(clock, {.rate = 1, .burst = 1});
  EXPECT_TRUE(limiter.Admit("gw").admitted);
  clock.Advance(absl::Seconds(-30));
  EXPECT_FALSE(limiter.Admit("gw").admitted);
}

TEST(RateLimiter, MemoryStaysBoundedAndBusyBucketsSurviveEviction) {
  FakeClock clock;
  // 16 shards of 4: at most 64 buckets.
  RateLimiter limiter(clock, {.rate = 1, .burst = 1}, /*max_keys=*/64);
  EXPECT_TRUE(limiter.Admit("busy").admitted);
  for (int i = 0; i < 10000; ++i) {
    clock.Advance(absl::Milliseconds(1));
    limiter.Admit(absl::StrCat("caller-", i));
  }
  EXPECT_LE(limiter.size(), 64u);
  // Ten seconds later every bucket is full again and may go; "busy" then
  // starts afresh, which is what a full bucket would have given it anyway.
  clock.Advance(absl::Seconds(10));
  EXPECT_TRUE(limiter.Admit("busy").admitted);
  EXPECT_FALSE(limiter.Admit("busy").admitted);
}

}  // namespace
}  // namespace lureguard::auth
