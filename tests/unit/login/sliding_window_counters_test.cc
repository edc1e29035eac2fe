#include "server/login/sliding_window_counters.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace lureguard::login {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1767225600);  // 16 | 3600
constexpr absl::Duration kWindow = absl::Minutes(16);         // 1-minute slices

SlidingWindowCounters::Options Small() {
  SlidingWindowCounters::Options options;
  options.max_bytes = 1 << 20;
  return options;
}

TEST(SlidingWindowCounters, CountsEventsWithinTheWindow) {
  SlidingWindowCounters counters(Small());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(counters.Add("k", kWindow, kStart + absl::Minutes(i), 10).count,
              i + 1);
  }
  EXPECT_EQ(counters.Read("k", kWindow, kStart + absl::Minutes(4), 10).count,
            5);
  EXPECT_EQ(counters.Read("other", kWindow, kStart, 10).count, 0);
}

TEST(SlidingWindowCounters, EventsLeaveTheWindowAsItSlides) {
  SlidingWindowCounters counters(Small());
  counters.Add("k", kWindow, kStart, 10);                      // slice 0
  counters.Add("k", kWindow, kStart + absl::Minutes(5), 10);   // slice 5
  counters.Add("k", kWindow, kStart + absl::Minutes(10), 10);  // slice 10
  EXPECT_EQ(counters
                .Read("k", kWindow,
                      kStart + absl::Minutes(15) + absl::Seconds(59), 10)
                .count,
            3);
  // At minute 16 slice 0 has left the window.
  EXPECT_EQ(counters.Read("k", kWindow, kStart + absl::Minutes(16), 10).count,
            2);
  EXPECT_EQ(counters.Read("k", kWindow, kStart + absl::Minutes(21), 10).count,
            1);
  EXPECT_EQ(counters.Read("k", kWindow, kStart + absl::Minutes(26), 10).count,
            0);
  // Counting again after a long pause starts from the new event only.
  EXPECT_EQ(counters.Add("k", kWindow, kStart + absl::Hours(5), 10).count, 1);
}

TEST(SlidingWindowCounters, BelowLimitInSaysWhenTheCountDropsUnderTheLimit) {
  SlidingWindowCounters counters(Small());
  for (int i = 0; i < 3; ++i) counters.Add("k", kWindow, kStart, 3);
  for (int i = 0; i < 2; ++i) {
    counters.Add("k", kWindow, kStart + absl::Minutes(4), 3);
  }
  // 5 events; under 3 once the 3 of slice 0 leave, at minute 16.
  WindowCount count = counters.Read("k", kWindow, kStart + absl::Minutes(6), 3);
  EXPECT_EQ(count.count, 5);
  EXPECT_EQ(count.below_limit_in, absl::Minutes(10));
  // Under 1 only once slice 4 leaves too, at minute 20.
  EXPECT_EQ(
      counters.Read("k", kWindow, kStart + absl::Minutes(6), 1).below_limit_in,
      absl::Minutes(14));
  EXPECT_EQ(
      counters.Read("k", kWindow, kStart + absl::Minutes(6), 6).below_limit_in,
      absl::ZeroDuration());
}

TEST(SlidingWindowCounters, ResetForgetsTheKey) {
  SlidingWindowCounters counters(Small());
  counters.Add("a", kWindow, kStart, 10);
  counters.Add("b", kWindow, kStart, 10);
  counters.Reset("a");
  EXPECT_EQ(counters.Read("a", kWindow, kStart, 10).count, 0);
  EXPECT_FALSE(counters.Read("a", kWindow, kStart, 10).evicted);
  EXPECT_EQ(counters.Read("b", kWindow, kStart, 10).count, 1);
  EXPECT_EQ(counters.size(), 1u);
}

TEST(SlidingWindowCounters, AMillionDistinctKeysStayWithinTheMemoryCap) {
  SlidingWindowCounters::Options options;
  options.max_bytes = 8 << 20;
  SlidingWindowCounters counters(options);
  const size_t before = counters.MemoryBytes();
  EXPECT_LE(before, options.max_bytes);
  // The key a flood must not erase silently.
  counters.Add("victim", kWindow, kStart, 10);
  for (int i = 0; i < 1'000'000; ++i) {
    counters.Add(
        absl::StrCat("ip:10.", i >> 16, ".", (i >> 8) & 255, ".", i & 255),
        kWindow, kStart + absl::Seconds(1 + i / 100000), 10);
  }
  EXPECT_EQ(counters.MemoryBytes(), before);
  EXPECT_LE(counters.size(), counters.capacity());
  EXPECT_GT(counters.Evictions(),
            1'000'000 - static_cast<int64_t>(counters.capacity()) - 1);
  // The victim was the coldest counter; it is gone, and says so.
  WindowCount victim = counters.Read("victim", kWindow, kStart, 10);
  EXPECT_EQ(victim.count, 0);
  EXPECT_TRUE(victim.evicted);
  EXPECT_TRUE(counters.Add("victim", kWindow, kStart, 10).evicted);
  // Once a window has passed, an absent counter would have counted zero
  // anyway: no longer flagged.
  WindowCount later =
      counters.Read("victim", kWindow, kStart + absl::Hours(1), 10);
  EXPECT_EQ(later.count, 0);
  EXPECT_FALSE(later.evicted);
  // Recent keys survive.
  EXPECT_EQ(
      counters.Read("ip:10.15.66.63", kWindow, kStart + absl::Seconds(10), 10)
          .count,
      1);
}

}  // namespace
}  // namespace lureguard::login
