#include "server/verdict/host_reason_cache.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace lureguard::verdict {
namespace {

std::vector<Reason> OneReason(const std::string& matched) {
  Reason reason;
  reason.code = ReasonCode::kLookalikeTypo;
  reason.matched = matched;
  return {reason};
}

TEST(HostReasonCache, ASecondLookupIsAnsweredWithoutComputing) {
  HostReasonCache cache(64);
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return OneReason("paypal.com");
  };
  std::vector<Reason> first = cache.GetOrCompute("", "paypa1.test", compute);
  std::vector<Reason> second = cache.GetOrCompute("", "paypa1.test", compute);
  EXPECT_EQ(computed, 1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].matched, "paypal.com");
  EXPECT_EQ(cache.stats().hits, 1);
  EXPECT_EQ(cache.stats().misses, 1);
}

TEST(HostReasonCache, TenantsHaveTheirOwnEntries) {
  HostReasonCache cache(64);
  cache.GetOrCompute("acme", "acme-login.test",
                     [] { return OneReason("acme.com"); });
  std::vector<Reason> global =
      cache.GetOrCompute("", "acme-login.test", [] { return OneReason(""); });
  ASSERT_EQ(global.size(), 1u);
  EXPECT_EQ(global[0].matched, "");
  EXPECT_EQ(cache.stats().misses, 2);
}

TEST(HostReasonCache, DistinctHostsNeverGrowItPastItsCapacity) {
  HostReasonCache cache(160);  // 10 per shard
  for (int i = 0; i < 10000; ++i) {
    cache.GetOrCompute("", absl::StrCat("host", i, ".test"),
                       [] { return std::vector<Reason>(); });
  }
  EXPECT_EQ(cache.size(), 160u);
}

TEST(HostReasonCache, AHostInUseOutlivesOneTimeHosts) {
  HostReasonCache cache(64);  // four slots per shard
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return std::vector<Reason>();
  };
  cache.GetOrCompute("", "busy.test", compute);
  for (int i = 0; i < 1000; ++i) {
    // busy.test is asked about between every two one-time hosts, so CLOCK
    // finds it referenced whenever the hand reaches it.
    cache.GetOrCompute("", absl::StrCat("once", i, ".test"),
                       [] { return std::vector<Reason>(); });
    cache.GetOrCompute("", "busy.test", compute);
  }
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(cache.size(), 64u);
}

}  // namespace
}  // namespace lureguard::verdict
