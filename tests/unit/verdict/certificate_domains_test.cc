#include "server/verdict/certificate_domains.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/scripted_probe_cache.h"

namespace lureguard::verdict {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

// Airbnb's site as a probe sees it: a publicly trusted certificate, valid
// now, for the host probed, naming the brand's label under other suffixes
// beside hosts of other names.
certs::CertProbe AirbnbProbe() {
  certs::CertProbe probe;
  probe.target = {"www.airbnb.com", 443};
  probe.leaf.dns_names = {
      "airbnb.com",       "*.airbnb.com", "airbnb.fr",         "*.airbnb.fr",
      "www.airbnb.co.uk", "*.airbnb.de",  "airbnbcitizen.com", "muscache.com"};
  probe.leaf.not_before = kNow - absl::Hours(24 * 30);
  probe.leaf.not_after = kNow + absl::Hours(24 * 60);
  probe.chain_trusted = true;
  probe.hostname_matches = true;
  return probe;
}

const lookalike::Brand kAirbnb{"Airbnb", {"airbnb.com"}, {}, ""};

TEST(DomainsFromCertificate, TheBrandsLabelUnderOtherSuffixes) {
  absl::StatusOr<std::vector<std::string>> found =
      DomainsFromCertificate(AirbnbProbe(), kAirbnb, kNow);
  ASSERT_TRUE(found.ok()) << found.status();
  // Not airbnbcitizen.com or muscache.com: other names, no TLD swaps.
  EXPECT_THAT(*found, ElementsAre("airbnb.fr", "airbnb.co.uk", "airbnb.de"));
}

TEST(DomainsFromCertificate, DomainsTheBrandListsAreNotRepeated) {
  lookalike::Brand brand = kAirbnb;
  brand.domains.push_back("airbnb.fr");
  absl::StatusOr<std::vector<std::string>> found =
      DomainsFromCertificate(AirbnbProbe(), brand, kNow);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(*found, ElementsAre("airbnb.co.uk", "airbnb.de"));
}

TEST(DomainsFromCertificate, OnlyTheBrandsOwnSiteSpeaksForIt) {
  certs::CertProbe probe = AirbnbProbe();
  probe.target.host = "airbnb.fr";  // not yet the brand's
  absl::StatusOr<std::vector<std::string>> found =
      DomainsFromCertificate(probe, kAirbnb, kNow);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(found.status().message(),
              HasSubstr("domains_from_certificate: 'airbnb.fr' is not under a "
                        "domain of brand 'Airbnb'"));
  probe.target.host = "notairbnb.com";
  EXPECT_EQ(DomainsFromCertificate(probe, kAirbnb, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DomainsFromCertificate, AnUnprovenCertificateShowsNothing) {
  struct Case {
    const char* flaw;
    void (*spoil)(certs::CertProbe&);
  };
  for (const Case& c : std::vector<Case>{
           {"is not issued by a trusted CA",
            [](certs::CertProbe& p) { p.chain_trusted = false; }},
           {"does not cover the host",
            [](certs::CertProbe& p) { p.hostname_matches = false; }},
           {"is outside its validity dates",
            [](certs::CertProbe& p) { p.leaf.not_after = kNow; }},
           {"is outside its validity dates", [](certs::CertProbe& p) {
              p.leaf.not_before = kNow + absl::Seconds(1);
            }}}) {
    certs::CertProbe probe = AirbnbProbe();
    c.spoil(probe);
    absl::StatusOr<std::vector<std::string>> found =
        DomainsFromCertificate(probe, kAirbnb, kNow);
    EXPECT_EQ(found.status().code(), absl::StatusCode::kFailedPrecondition)
        << c.flaw;
    EXPECT_THAT(found.status().message(), HasSubstr(c.flaw));
  }
}

TEST(DomainsFromCertificate, ACertificateOfTheBrandAloneAddsNothing) {
  certs::CertProbe probe = AirbnbProbe();
  probe.leaf.dns_names = {"airbnb.com", "www.airbnb.com"};
  absl::StatusOr<std::vector<std::string>> found =
      DomainsFromCertificate(probe, kAirbnb, kNow);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(*found, IsEmpty());
}

// AddDomainsFromCertificate over a real ProbeCache; the prober is the
// scripted fake (real handshakes: ServerTest.
// ABrandTakesItsOtherDomainsFromItsCertificate).
class AddDomainsFromCertificateTest : public ::testing::Test {
 protected:
  ScriptedProbeCache probes_{kNow};
};

TEST_F(AddDomainsFromCertificateTest, AppendsWhatTheCertificateShows) {
  probes_.prober.Set("www.airbnb.com:443", AirbnbProbe());
  lookalike::Brand brand = kAirbnb;
  ASSERT_TRUE(AddDomainsFromCertificate(&probes_.cache, {"www.airbnb.com", 443},
                                        probes_.clock, brand)
                  .ok());
  EXPECT_THAT(brand.domains, ElementsAre("airbnb.com", "airbnb.fr",
                                         "airbnb.co.uk", "airbnb.de"));
}

TEST_F(AddDomainsFromCertificateTest, AnotherSitesHostIsNeverProbed) {
  lookalike::Brand brand = kAirbnb;
  EXPECT_EQ(AddDomainsFromCertificate(&probes_.cache, {"airbnb.fr", 443},
                                      probes_.clock, brand)
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(probes_.prober.calls(), 0);
  EXPECT_THAT(brand.domains, ElementsAre("airbnb.com"));
}

TEST_F(AddDomainsFromCertificateTest, AFailedProbeLeavesTheBrandAsItWas) {
  probes_.prober.Set("www.airbnb.com:443", absl::UnavailableError("refused"));
  lookalike::Brand brand = kAirbnb;
  EXPECT_EQ(AddDomainsFromCertificate(&probes_.cache, {"www.airbnb.com", 443},
                                      probes_.clock, brand),
            absl::UnavailableError("refused"));
  EXPECT_THAT(brand.domains, ElementsAre("airbnb.com"));
  // Probes off: the field that turns them on is named.
  EXPECT_EQ(AddDomainsFromCertificate(nullptr, {"www.airbnb.com", 443},
                                      probes_.clock, brand)
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace lureguard::verdict
