#include "server/certs/probe_target.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace lureguard::certs {
namespace {

TEST(ProbeTarget, APortOfZeroIs443AndIpv6LosesItsBrackets) {
  EXPECT_EQ(ProbeTargetOf("shop.example", 0),
            (ProbeTarget{"shop.example", 443}));
  EXPECT_EQ(ProbeTargetOf("shop.example", -1),
            (ProbeTarget{"shop.example", 443}));
  EXPECT_EQ(ProbeTargetOf("[2001:db8::1]", 8443),
            (ProbeTarget{"2001:db8::1", 8443}));
  EXPECT_EQ(ProbeTargetOf("192.0.2.1", 443), (ProbeTarget{"192.0.2.1", 443}));
}

TEST(ProbeTarget, AnAdminsHostIsCanonicalized) {
  EXPECT_EQ(ParseProbeTarget("Shop.Example.", 0).value(),
            (ProbeTarget{"shop.example", 443}));
  EXPECT_EQ(ParseProbeTarget("[2001:DB8::1]", 8443).value(),
            (ProbeTarget{"2001:db8::1", 8443}));
  EXPECT_EQ(ParseProbeTarget("0x7f.1", 65535).value(),
            (ProbeTarget{"127.0.0.1", 65535}));
}

TEST(ProbeTarget, ABadHostOrPortIsRefusedNamingTheField) {
  EXPECT_EQ(ParseProbeTarget("", 443).status(),
            absl::InvalidArgumentError("host: is required"));
  EXPECT_EQ(ParseProbeTarget("shop.example", 65536).status(),
            absl::InvalidArgumentError("port: 65536 is outside [1, 65535]"));
  EXPECT_EQ(ParseProbeTarget("shop.example", -5).status(),
            absl::InvalidArgumentError("port: -5 is outside [1, 65535]"));
  absl::StatusOr<ProbeTarget> bad = ParseProbeTarget("exa mple.com", 443);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "host")) << bad.status();
}

}  // namespace
}  // namespace lureguard::certs
