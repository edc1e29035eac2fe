#include "server/url/internal/ipv6.h"

#include "gtest/gtest.h"

namespace lureguard::url::internal {
namespace {

std::string Serialized(std::string_view text) {
  std::optional<IPv6Address> address = ParseIPv6(text);
  if (!address.has_value()) return "<failure>";
  std::string out;
  AppendIPv6(*address, &out);
  return out;
}

TEST(IPv6, CompressesTheFirstLongestZeroRun) {
  EXPECT_EQ(Serialized("1:0:0:2:0:0:0:3"), "[1:0:0:2::3]");
  EXPECT_EQ(Serialized("1:0:0:2:0:0:3:4"), "[1::2:0:0:3:4]");
  EXPECT_EQ(Serialized("0:0:0:0:0:0:0:0"), "[::]");
  EXPECT_EQ(Serialized("1:0:2:3:4:5:6:7"), "[1:0:2:3:4:5:6:7]");
  EXPECT_EQ(Serialized("::ABCD"), "[::abcd]");
}

TEST(IPv6, EmbeddedIPv4) {
  EXPECT_EQ(Serialized("::ffff:1.2.3.4"), "[::ffff:102:304]");
  EXPECT_EQ(Serialized("::1.2.3"), "<failure>");
  EXPECT_EQ(Serialized("::01.2.3.4"), "<failure>");
  EXPECT_EQ(Serialized("1:2:3:4:5:6:7:1.2.3.4"), "<failure>");
}

TEST(IPv6, MalformedFails) {
  EXPECT_EQ(Serialized(""), "<failure>");
  EXPECT_EQ(Serialized(":1"), "<failure>");
  EXPECT_EQ(Serialized("1::2::3"), "<failure>");
  EXPECT_EQ(Serialized("1:2:3:4:5:6:7:8:9"), "<failure>");
  EXPECT_EQ(Serialized("12345::"), "<failure>");
  EXPECT_EQ(Serialized("1:"), "<failure>");
}

}  // namespace
}  // namespace lureguard::url::internal
