#include "server/common/bounded_cache.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace lureguard {
namespace {

TEST(BoundedCache, ASecondLookupIsAnsweredWithoutComputing) {
  BoundedCache<std::string> cache(64);
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return std::string("paypal.com");
  };
  EXPECT_EQ(cache.GetOrCompute("paypa1.test", compute), "paypal.com");
  EXPECT_EQ(cache.GetOrCompute("paypa1.test", compute), "paypal.com");
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(cache.stats().hits, 1);
  EXPECT_EQ(cache.stats().misses, 1);
}

TEST(BoundedCache, DistinctKeysNeverGrowItPastItsCapacity) {
  BoundedCache<int> cache(160);  // 10 per shard
  for (int i = 0; i < 10000; ++i) {
    EXPECT_EQ(
        cache.GetOrCompute(absl::StrCat("host", i, ".test"), [i] { return i; }),
        i);
  }
  EXPECT_EQ(cache.size(), 160u);
  EXPECT_EQ(cache.stats().misses, 10000);
}

TEST(BoundedCache, AKeyInUseOutlivesOneTimeKeys) {
  BoundedCache<int> cache(64);  // four slots per shard
  int computed = 0;
  auto compute = [&] { return ++computed; };
  cache.GetOrCompute("busy.test", compute);
  for (int i = 0; i < 1000; ++i) {
    // busy.test is asked about between every two one-time keys, so CLOCK
    // finds it referenced whenever the hand reaches it.
    cache.GetOrCompute(absl::StrCat("once", i, ".test"), [] { return 0; });
    EXPECT_EQ(cache.GetOrCompute("busy.test", compute), 1);
  }
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(cache.size(), 64u);
}

TEST(BoundedCache, FindSeesWhatPutStoredAndPutReplacesIt) {
  BoundedCache<std::string> cache(64);
  EXPECT_EQ(cache.Find("a.test"), std::nullopt);
  cache.Put("a.test", "first");
  EXPECT_EQ(cache.Find("a.test"), "first");
  cache.Put("a.test", "second");  // an expired value renewed
  EXPECT_EQ(cache.Find("a.test"), "second");
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.stats().hits, 2);
  EXPECT_EQ(cache.stats().misses, 1);
  // A value the caller finds stale is a miss.
  EXPECT_EQ(
      cache.Find("a.test", [](const std::string& v) { return v != "second"; }),
      std::nullopt);
  EXPECT_EQ(cache.stats().misses, 2);
  // GetOrCompute and Find share the entries.
  EXPECT_EQ(cache.GetOrCompute("a.test", [] { return std::string("x"); }),
            "second");
}

TEST(BoundedCache, PutKeepsItsCapacityAndTheKeysInUse) {
  BoundedCache<int> cache(64);  // four slots per shard
  cache.Put("busy.test", 7);
  for (int i = 0; i < 1000; ++i) {
    cache.Put(absl::StrCat("once", i, ".test"), i);
    EXPECT_EQ(cache.Find("busy.test"), 7);
  }
  EXPECT_EQ(cache.size(), 64u);
}

TEST(BoundedCache, AdmitsKeysThatComeBack) {
  BoundedCache<int> cache(64);
  EXPECT_FALSE(cache.Admits("twice.test"));
  EXPECT_TRUE(cache.Admits("twice.test"));
  EXPECT_TRUE(cache.Admits("twice.test"));
  // Among 10,000 one-time keys hardly any is taken for one seen before
  // (only a hash collision in a table of 2 x 64 slots would).
  int admitted = 0;
  for (int i = 0; i < 10000; ++i) {
    admitted += cache.Admits(absl::StrCat("once", i, ".test"));
  }
  EXPECT_EQ(admitted, 0);
  // Nor do they change what the cache holds.
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace lureguard
