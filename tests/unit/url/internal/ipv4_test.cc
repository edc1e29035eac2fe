#include "server/url/internal/ipv4.h"

#include "gtest/gtest.h"

namespace lureguard::url::internal {
namespace {

std::string Serialized(std::string_view host) {
  std::optional<uint32_t> address = ParseIPv4(host);
  if (!address.has_value()) return "<failure>";
  std::string out;
  AppendIPv4(*address, &out);
  return out;
}

TEST(IPv4, EveryLegalNumericForm) {
  EXPECT_EQ(Serialized("192.168.0.1"), "192.168.0.1");
  EXPECT_EQ(Serialized("3232235521"), "192.168.0.1");
  EXPECT_EQ(Serialized("0xc0a80001"), "192.168.0.1");
  EXPECT_EQ(Serialized("030052000001"), "192.168.0.1");
  EXPECT_EQ(Serialized("0xC0.0250.1"), "192.168.0.1");
  EXPECT_EQ(Serialized("192.11010049"), "192.168.0.1");
  EXPECT_EQ(Serialized("0x"), "0.0.0.0");
  EXPECT_EQ(Serialized("1.2.3.4."), "1.2.3.4");
}

TEST(IPv4, OutOfRangeAndMalformedFail) {
  EXPECT_EQ(Serialized("4294967296"), "<failure>");
  EXPECT_EQ(Serialized("256.1.1.1"), "<failure>");
  EXPECT_EQ(Serialized("1.2.3.256"), "<failure>");
  EXPECT_EQ(Serialized("1.2.65536"), "<failure>");
  EXPECT_EQ(Serialized("1.2.3.4.5"), "<failure>");
  EXPECT_EQ(Serialized("08"), "<failure>");
  EXPECT_EQ(Serialized("1..2"), "<failure>");
  EXPECT_EQ(Serialized("99999999999999999999999999"), "<failure>");
}

TEST(IPv4, EndsInANumber) {
  EXPECT_TRUE(EndsInANumber("a.1"));
  EXPECT_TRUE(EndsInANumber("a.0x1f."));
  EXPECT_TRUE(EndsInANumber("a.09"));  // digits only: must then parse
  EXPECT_FALSE(EndsInANumber("a.0x1g"));
  EXPECT_FALSE(EndsInANumber("1.com"));
  EXPECT_FALSE(EndsInANumber("."));
  EXPECT_FALSE(EndsInANumber("1.."));
}

}  // namespace
}  // namespace lureguard::url::internal
