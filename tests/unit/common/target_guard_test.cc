#include "server/common/target_guard.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_resolver.h"

namespace lureguard {
namespace {

using ::testing::ElementsAre;

TEST(TargetGuard, JudgesAddressesByIanaSpecialPurposeRegistries) {
  auto reason = [](absl::string_view text) -> std::string {
    std::optional<absl::string_view> why =
        NonPublicAddressReason(*ParseIpAddress(text));
    return why ? std::string(*why) : "public";
  };
  EXPECT_EQ(reason("8.8.8.8"), "public");
  EXPECT_EQ(reason("2606:4700::1111"), "public");
  EXPECT_EQ(reason("172.31.255.255"), "private address (RFC 1918)");
  EXPECT_EQ(reason("172.32.0.1"), "public");
  EXPECT_EQ(reason("192.168.0.1"), "private address (RFC 1918)");
  EXPECT_EQ(reason("224.0.0.251"), "multicast address");
  EXPECT_EQ(reason("255.255.255.255"), "reserved address (240.0.0.0/4)");
  EXPECT_EQ(reason("fd12:3456::1"), "unique local address (fc00::/7)");
  EXPECT_EQ(reason("fe80::1"), "link-local address");
  EXPECT_EQ(reason("ff02::1"), "multicast address");
  EXPECT_EQ(reason("::"), "unspecified address");
  EXPECT_EQ(reason("64:ff9b::a00:1"), "private address (RFC 1918)");
  EXPECT_EQ(reason("2002:7f00:1::"), "loopback address");
  EXPECT_EQ(reason("2001:db8::1"), "documentation address");
}

TEST(ResolveTarget, RefusesAHostWhenAnyOfItsAddressesIsNotPublic) {
  FakeResolver resolver({{"public.test", {"93.184.216.34"}},
                         {"rebind.test", {"93.184.216.34", "10.1.2.3"}},
                         {"empty.test", {}}});
  absl::StatusOr<std::vector<IpAddress>> addresses =
      ResolveTarget("public.test", resolver, {}, "probe");
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  EXPECT_EQ(IpAddressText((*addresses)[0]), "93.184.216.34");

  addresses = ResolveTarget("rebind.test", resolver, {}, "probe");
  EXPECT_EQ(addresses.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(addresses.status().message(),
            "refusing to probe rebind.test (10.1.2.3): private address (RFC "
            "1918) (server not started with --allow_private_targets)");

  addresses = ResolveTarget("127.0.0.1", resolver, {}, "probe");
  EXPECT_EQ(addresses.status().message(),
            "refusing to probe 127.0.0.1: loopback address (server not "
            "started with --allow_private_targets)");

  addresses = ResolveTarget("empty.test", resolver, {}, "probe");
  EXPECT_EQ(addresses.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(addresses.status().message(), "'empty.test' has no addresses");
  addresses = ResolveTarget("nx.test", resolver, {}, "probe");
  EXPECT_EQ(addresses.status().message(), "cannot resolve 'nx.test'");
}

TEST(ResolveTarget, AllowPrivateTargetsLetsLoopbackThrough) {
  FakeResolver resolver;
  resolver.Answer("paypa1-login.com", {"127.0.0.1"});
  TargetPolicy policy;
  policy.allow_private_targets = true;
  absl::StatusOr<std::vector<IpAddress>> addresses =
      ResolveTarget("paypa1-login.com", resolver, policy, "probe");
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  EXPECT_EQ(IpAddressText((*addresses)[0]), "127.0.0.1");
  addresses = ResolveTarget("[::1]", resolver, policy, "probe");
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  EXPECT_EQ(IpAddressText((*addresses)[0]), "::1");
  // An IP literal is taken as is: only the name was looked up.
  EXPECT_THAT(resolver.lookups(), ElementsAre("paypa1-login.com"));
}

}  // namespace
}  // namespace lureguard
