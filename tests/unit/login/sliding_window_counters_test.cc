#include "server/login/sliding_window_counters.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace lureguard::login {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1767225600);  // 16 | 3600
constexpr absl::Duration kWindow = absl::Minutes(16);         // 1-minute slices

// Counting, sliding, below_limit_in and reset are tested over every
// CounterStore in counter_store_test.cc; here, what only the in-memory
// store has: a fixed memory cap and evictions that say so.

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
