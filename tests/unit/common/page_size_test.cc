#include "server/common/page_size.h"

#include "gtest/gtest.h"

namespace lureguard {
namespace {

TEST(PageSize, ZeroMeansTheDefaultAndLargeSizesAreCut) {
  EXPECT_EQ(ResolvePageSize(0).value(), 100);
  EXPECT_EQ(ResolvePageSize(1).value(), 1);
  EXPECT_EQ(ResolvePageSize(1000).value(), 1000);
  EXPECT_EQ(ResolvePageSize(1001).value(), 1000);
}

TEST(PageSize, NegativeIsRefusedNamingTheField) {
  EXPECT_EQ(ResolvePageSize(-1).status(),
            absl::InvalidArgumentError("page_size: is negative"));
}

}  // namespace
}  // namespace lureguard
