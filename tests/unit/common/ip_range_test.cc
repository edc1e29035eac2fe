#include "server/common/ip_range.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard {
namespace {

TEST(IpRange, SingleAddressIsAHostRange) {
  absl::StatusOr<IpRange> range = ParseIpRange("192.0.2.7");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->ToString(), "192.0.2.7/32");
  EXPECT_TRUE(range->Contains(*ParseIpAddress("192.0.2.7")));
  EXPECT_FALSE(range->Contains(*ParseIpAddress("192.0.2.8")));
}

TEST(IpRange, CidrBoundariesAreInclusive) {
  absl::StatusOr<IpRange> range = ParseIpRange("203.0.113.0/24");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_TRUE(range->Contains(*ParseIpAddress("203.0.113.0")));
  EXPECT_TRUE(range->Contains(*ParseIpAddress("203.0.113.255")));
  EXPECT_FALSE(range->Contains(*ParseIpAddress("203.0.112.255")));
  EXPECT_FALSE(range->Contains(*ParseIpAddress("203.0.114.0")));
}

TEST(IpRange, OddPrefixLengthsMaskPartialBytes) {
  absl::StatusOr<IpRange> range = ParseIpRange("10.0.0.0/9");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_TRUE(range->Contains(*ParseIpAddress("10.127.255.255")));
  EXPECT_FALSE(range->Contains(*ParseIpAddress("10.128.0.0")));
}

TEST(IpRange, Ipv6RangesAndBrackets) {
  absl::StatusOr<IpRange> range = ParseIpRange("2001:DB8::/32");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->ToString(), "2001:db8::/32");
  EXPECT_TRUE(range->Contains(*ParseIpAddress("[2001:db8:ffff::1]")));
  EXPECT_FALSE(range->Contains(*ParseIpAddress("2001:db9::1")));
  // An IPv4 address never falls in an IPv6 range, nor the reverse.
  EXPECT_FALSE(range->Contains(*ParseIpAddress("32.1.13.184")));
}

TEST(IpRange, ZeroLengthCoversTheWholeFamily) {
  absl::StatusOr<IpRange> range = ParseIpRange("0.0.0.0/0");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_TRUE(range->Contains(*ParseIpAddress("255.255.255.255")));
}

TEST(IpRange, RejectsMalformedRangesWithTheReason) {
  EXPECT_EQ(ParseIpRange("10.0.0.1/8").status().message(),
            "'10.0.0.1/8': host bits are set; the network is 10.0.0.0/8");
  EXPECT_EQ(ParseIpRange("10.0.0.0/33").status().message(),
            "'10.0.0.0/33': prefix length must be 0..32");
  EXPECT_EQ(ParseIpRange("10.0.0.0/").status().message(),
            "'10.0.0.0/': prefix length is not a number");
  EXPECT_EQ(ParseIpRange("10.0.0/8").status().message(),
            "'10.0.0/8': not an IPv4 or IPv6 address");
  EXPECT_EQ(ParseIpRange("::/129").status().message(),
            "'::/129': prefix length must be 0..128");
  EXPECT_FALSE(ParseIpRange("evil.com").ok());
  EXPECT_FALSE(ParseIpRange("").ok());
}

}  // namespace
}  // namespace lureguard
