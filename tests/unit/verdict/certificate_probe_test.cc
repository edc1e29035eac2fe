// ProbeCertificateNow over a real ProbeCache and executor; the TLS prober
// is the scripted fake (real handshakes are tested in certs/).

#include "server/verdict/certificate_probe.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lookalike/brand.h"
#include "tests/fakes/scripted_probe_cache.h"

namespace lureguard::verdict {
namespace {

using ::testing::Contains;
using ::testing::Field;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

class CertificateProbeTest : public ::testing::Test {
 protected:
  ScriptedProbeCache probes_{kNow};
  FakeClock& clock_ = probes_.clock;
  FakeTlsProber& prober_ = probes_.prober;
  certs::ProbeCache& cache_ = probes_.cache;
};

TEST_F(CertificateProbeTest, AProbedCertificateCarriesTheReasonsACheckGives) {
  certs::CertProbe probe;
  probe.target = {"paypa1-login.example", 443};
  probe.leaf.dns_names = {"paypa1-login.example"};
  probe.leaf.not_before = kNow - absl::Hours(24 * 400);
  probe.leaf.not_after = kNow - absl::Hours(24);
  probe.chain_trusted = true;
  probe.hostname_matches = true;
  prober_.Set("paypa1-login.example:443", probe);
  absl::StatusOr<ProbedCertificate> probed = ProbeCertificateNow(
      &cache_, {"paypa1-login.example", 443}, nullptr, "", clock_);
  ASSERT_TRUE(probed.ok()) << probed.status();
  EXPECT_EQ(probed->probe.target.host, "paypa1-login.example");
  EXPECT_THAT(probed->reasons,
              Contains(Field(&Reason::code, ReasonCode::kCertExpired)));
  EXPECT_EQ(prober_.calls(), 1);
}

TEST_F(CertificateProbeTest, TheGuardsRefusalIsAboutTheTargetNotTheCaller) {
  prober_.Set("127.0.0.1:443",
              absl::PermissionDeniedError("127.0.0.1 is a loopback address"));
  EXPECT_EQ(
      ProbeCertificateNow(&cache_, {"127.0.0.1", 443}, nullptr, "", clock_)
          .status(),
      absl::FailedPreconditionError("127.0.0.1 is a loopback address"));
  prober_.Set("down.example:443", absl::UnavailableError("refused"));
  EXPECT_EQ(
      ProbeCertificateNow(&cache_, {"down.example", 443}, nullptr, "", clock_)
          .status(),
      absl::UnavailableError("refused"));
}

TEST(CertificateProbe, ProbesOffIsAFailedPreconditionNamingTheSetting) {
  EXPECT_EQ(ProbeCertificateNow(nullptr, {"shop.example", 443}, nullptr, "",
                                FakeClock())
                .status(),
            absl::FailedPreconditionError(
                "certificate probes are off (certs.disable_probes in the "
                "server config)"));
}

}  // namespace
}  // namespace lureguard::verdict
