#include "server/lookalike/internal/huge_pages.h"

#include <cstdint>
#include <numeric>
#include <utility>

#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

TEST(HugePageVector, LargeArraysStartOnAHugePage) {
  // 3 MB: mapped on its own, two huge pages, the first aligned.
  HugePageVector<uint64_t> v(3 * 1024 * 1024 / sizeof(uint64_t));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageSize, 0u);
  std::iota(v.begin(), v.end(), uint64_t{7});
  uint64_t sum = 0;
  for (uint64_t x : v) sum += x;
  const uint64_t n = v.size();
  EXPECT_EQ(sum, n * 7 + n * (n - 1) / 2);
}

TEST(HugePageVector, GrowsAcrossTheThresholdKeepingItsElements) {
  // push_back from one element to 4 MB: small allocations from operator
  // new first, then mappings, each freed with the allocator it came from.
  HugePageVector<uint32_t> v;
  const uint32_t count = 1u << 20;
  for (uint32_t i = 0; i < count; ++i) v.push_back(i * 3u);
  ASSERT_EQ(v.size(), count);
  for (uint32_t i = 0; i < count; i += 4099) EXPECT_EQ(v[i], i * 3u);
  EXPECT_EQ(v.back(), (count - 1) * 3u);
  v.clear();
  v.shrink_to_fit();  // back below the threshold
  v.push_back(5);
  EXPECT_EQ(v.front(), 5u);
}

TEST(HugePageVector, CopiesAndMoves) {
  HugePageVector<uint64_t> a(kHugePageSize / sizeof(uint64_t) + 1, 9);
  HugePageVector<uint64_t> b = a;  // a second mapping
  EXPECT_NE(a.data(), b.data());
  EXPECT_EQ(a, b);
  const uint64_t* const data = a.data();
  HugePageVector<uint64_t> c = std::move(a);  // the mapping changes owner
  EXPECT_EQ(c.data(), data);
  EXPECT_EQ(c, b);
}

TEST(MapHugePages, RoundsToWholeHugePages) {
  // One byte over a huge page: two of them, both writable.
  char* p = static_cast<char*>(MapHugePages(kHugePageSize + 1));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageSize, 0u);
  p[0] = 1;
  p[2 * kHugePageSize - 1] = 2;
  EXPECT_EQ(p[0] + p[2 * kHugePageSize - 1], 3);
  UnmapHugePages(p, kHugePageSize + 1);
}

}  // namespace
}  // namespace lureguard::lookalike::internal
