#include "server/verdict/cert_reasons.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lookalike/brand.h"
#include "server/verdict/policy.h"

namespace lureguard::verdict {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01

// A probe of a well-kept site: trusted, matching, issued 60 days ago.
certs::CertProbe GoodProbe(const std::string& host) {
  certs::CertProbe probe;
  probe.target = {host, 443};
  probe.leaf.dns_names = {host};
  probe.leaf.issuer_organization = "DigiCert Inc";
  probe.leaf.issuer_cn = "DigiCert Global G2 TLS RSA SHA256 2020 CA1";
  probe.leaf.not_before = kNow - absl::Hours(24 * 60);
  probe.leaf.not_after = kNow + absl::Hours(24 * 300);
  probe.chain_trusted = true;
  probe.hostname_matches = true;
  return probe;
}

const lookalike::BrandIndex& Brands() {
  static const lookalike::BrandIndex* index = new lookalike::BrandIndex(
      *lookalike::BrandIndex::Build(lookalike::DefaultBrands()));
  return *index;
}

TEST(CertReasons, AWellKeptCertificateGivesNoReason) {
  EXPECT_THAT(CertReasons(GoodProbe("shop.test"), &Brands(), "", kNow),
              IsEmpty());
}

TEST(CertReasons, ANewFreeDvCertificateIsCertNew) {
  certs::CertProbe probe = GoodProbe("shop.test");
  probe.leaf.issuer_organization = "Let's Encrypt";
  probe.leaf.issuer_cn = "R11";
  probe.leaf.free_dv_issuer = true;
  probe.leaf.not_before = kNow - absl::Hours(50);
  std::vector<Reason> reasons = CertReasons(probe, &Brands(), "", kNow);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0].code, ReasonCode::kCertNew);
  EXPECT_EQ(reasons[0].technique, "free-dv");
  EXPECT_EQ(reasons[0].weight, 0.2);
  EXPECT_EQ(reasons[0].matched, "2025-12-29T22:00:00+00:00");
  EXPECT_EQ(reasons[0].detail,
            "The certificate of shop.test was issued 2 days ago by Let's "
            "Encrypt (R11).");
}

TEST(CertReasons, SelfSignedMismatchedAndExpiredEachSaySo) {
  certs::CertProbe probe = GoodProbe("paypa1-login.com");
  probe.leaf.self_signed = true;
  probe.chain_trusted = false;
  probe.hostname_matches = false;
  probe.leaf.dns_names = {"localhost.localdomain"};
  probe.leaf.not_after = kNow - absl::Hours(24 * 3);
  std::vector<Reason> reasons = CertReasons(probe, &Brands(), "", kNow);
  EXPECT_THAT(reasons,
              ElementsAre(Field(&Reason::code, ReasonCode::kCertSelfSigned),
                          Field(&Reason::code, ReasonCode::kCertNameMismatch),
                          Field(&Reason::code, ReasonCode::kCertExpired)));
  EXPECT_EQ(reasons[1].detail,
            "The certificate served by paypa1-login.com is for "
            "localhost.localdomain, not for paypa1-login.com.");
  EXPECT_EQ(reasons[2].detail,
            "The certificate of paypa1-login.com expired 3 days ago.");
}

TEST(CertReasons, AnUntrustedIssuerListsTheVerificationErrors) {
  certs::CertProbe probe = GoodProbe("shop.test");
  probe.chain_trusted = false;
  probe.verify_errors = {"depth 0: unable to get local issuer certificate"};
  std::vector<Reason> reasons = CertReasons(probe, nullptr, "", kNow);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0].code, ReasonCode::kCertUntrusted);
  EXPECT_EQ(reasons[0].matched,
            "depth 0: unable to get local issuer certificate");
}

TEST(CertReasons, SansImitatingBrandsOtherThanTheHostAreCounted) {
  certs::CertProbe probe = GoodProbe("paypa1-login.com");
  probe.leaf.dns_names = {"paypa1-login.com", "*.paypa1-login.com",
                          "secure-paypal-verify.com", "appleid-unlock.net",
                          "cdn.example.org"};
  std::vector<Reason> reasons = CertReasons(probe, &Brands(), "", kNow);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0].code, ReasonCode::kCertBrandSans);
  EXPECT_EQ(reasons[0].brand, "PayPal");
  EXPECT_EQ(reasons[0].matched, "secure-paypal-verify.com,appleid-unlock.net");
  EXPECT_DOUBLE_EQ(reasons[0].weight, 0.4);
  EXPECT_EQ(reasons[0].detail,
            "The certificate of paypa1-login.com also names 2 other hosts "
            "imitating protected brands (5 names in all).");
}

TEST(Policy, CertificateReasonsAloneCountForNothing) {
  Policy policy;
  Reason self_signed;
  self_signed.code = ReasonCode::kCertSelfSigned;
  self_signed.weight = 0.35;
  Reason mismatch = self_signed;
  mismatch.code = ReasonCode::kCertNameMismatch;
  Verdict alone = policy.Decide({self_signed, mismatch}, absl::Minutes(5));
  EXPECT_EQ(alone.action, Action::kAllow);
  EXPECT_EQ(alone.score, 0);
  ASSERT_EQ(alone.reasons.size(), 2u);
  EXPECT_EQ(alone.reasons[0].weight, 0);

  Reason typo;
  typo.code = ReasonCode::kLookalikeTypo;
  typo.weight = 0.45;
  Verdict boosted =
      policy.Decide({typo, self_signed, mismatch}, absl::Minutes(5));
  EXPECT_EQ(boosted.action, Action::kWarn);
  EXPECT_NEAR(boosted.score, 1 - 0.55 * 0.65 * 0.65, 1e-9);
}

Reason Lookalike(ReasonCode code, const std::string& brand) {
  Reason reason;
  reason.code = code;
  reason.brand = brand;
  reason.weight = 0.7;
  return reason;
}

// A brand's own site under a name that imitates it (airbnb.fr): its trusted
// certificate also covers the brand's domain, which no attacker can get.
TEST(DropBrandsOwningCertificate, ACertificateCoveringTheBrandsDomainIsItsOwn) {
  absl::StatusOr<lookalike::BrandIndex> index = lookalike::BrandIndex::Build(
      {lookalike::Brand{"Airbnb", {"airbnb.com"}, {}, ""},
       lookalike::Brand{"PayPal", {"paypal.com"}, {"paypal"}, ""}});
  ASSERT_TRUE(index.ok()) << index.status();
  certs::CertProbe probe = GoodProbe("airbnb.fr");
  probe.leaf.san_dns_names = {"airbnb.fr", "*.airbnb.fr", "*.AIRBNB.com",
                              "airbnb.de"};
  std::vector<Reason> reasons = {
      Lookalike(ReasonCode::kLookalikeTldSwap, "Airbnb"),
      Lookalike(ReasonCode::kCertBrandSans, "Airbnb"),
      Lookalike(ReasonCode::kLookalikeCombosquat, "PayPal")};
  DropBrandsOwningCertificate(probe, *index, "", kNow, reasons);
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].code, ReasonCode::kLookalikeCombosquat);
  EXPECT_EQ(reasons[0].brand, "PayPal");
  EXPECT_EQ(reasons[1].code, ReasonCode::kCertBrandOwned);
  EXPECT_EQ(reasons[1].brand, "Airbnb");
  EXPECT_EQ(reasons[1].matched, "*.AIRBNB.com");
  EXPECT_EQ(reasons[1].weight, 0);
  EXPECT_EQ(reasons[1].detail,
            "The trusted certificate of airbnb.fr also covers *.AIRBNB.com, "
            "Airbnb's own domain: the site is Airbnb's, not an imitation.");
}

// A platform's certificate for every customer's site (Azure's
// *.azurewebsites.net, issued to Microsoft) says nothing about who runs one
// of them: Microsoft's name on its own platform stays a lookalike.
TEST(DropBrandsOwningCertificate, APlatformsWildcardOwnsNoSiteOnIt) {
  absl::StatusOr<lookalike::BrandIndex> index = lookalike::BrandIndex::Build(
      {lookalike::Brand{"Microsoft",
                        {"microsoft.com", "azurewebsites.net"},
                        {"microsoft", "office365"},
                        ""}});
  ASSERT_TRUE(index.ok()) << index.status();
  certs::CertProbe probe = GoodProbe("office365-login.azurewebsites.net");
  probe.leaf.san_dns_names = {"*.azurewebsites.net", "*.scm.azurewebsites.net"};
  std::vector<Reason> reasons = {
      Lookalike(ReasonCode::kLookalikeCombosquat, "Microsoft")};
  DropBrandsOwningCertificate(probe, *index, "", kNow, reasons);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0].code, ReasonCode::kLookalikeCombosquat);
}

// Anyone can make a self-signed certificate naming paypal.com, or serve
// one issued for another host, or an expired one.
TEST(DropBrandsOwningCertificate,
     AnUntrustedMismatchedOrExpiredOneOwnsNothing) {
  absl::StatusOr<lookalike::BrandIndex> index = lookalike::BrandIndex::Build(
      {lookalike::Brand{"PayPal", {"paypal.com"}, {"paypal"}, ""}});
  ASSERT_TRUE(index.ok()) << index.status();
  certs::CertProbe trusted = GoodProbe("paypal-secure.com");
  trusted.leaf.san_dns_names = {"paypal-secure.com", "www.paypal.com"};
  certs::CertProbe self_signed = trusted;
  self_signed.chain_trusted = false;
  certs::CertProbe mismatched = trusted;
  mismatched.hostname_matches = false;
  certs::CertProbe expired = trusted;
  expired.leaf.not_after = kNow - absl::Hours(1);
  for (const certs::CertProbe* probe : {&self_signed, &mismatched, &expired}) {
    std::vector<Reason> reasons = {
        Lookalike(ReasonCode::kLookalikeCombosquat, "PayPal")};
    DropBrandsOwningCertificate(*probe, *index, "", kNow, reasons);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0].code, ReasonCode::kLookalikeCombosquat);
  }
  // A certificate shared with unrelated sites (a host's certificate for
  // its customers) proves nothing about one of them.
  certs::CertProbe shared = trusted;
  shared.leaf.san_dns_names = {"paypal-secure.com", "www.paypal.com",
                               "bakery-example.org"};
  std::vector<Reason> kept = {
      Lookalike(ReasonCode::kLookalikeCombosquat, "PayPal")};
  DropBrandsOwningCertificate(shared, *index, "", kNow, kept);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].code, ReasonCode::kLookalikeCombosquat);
  // A trusted one naming some other brand's domain leaves PayPal's alone.
  certs::CertProbe other = trusted;
  other.leaf.san_dns_names = {"paypal-secure.com", "example.com"};
  std::vector<Reason> reasons = {
      Lookalike(ReasonCode::kLookalikeCombosquat, "PayPal")};
  DropBrandsOwningCertificate(other, *index, "", kNow, reasons);
  EXPECT_EQ(reasons.size(), 1u);
  // The control: the trusted one owns it.
  DropBrandsOwningCertificate(trusted, *index, "", kNow, reasons);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0].code, ReasonCode::kCertBrandOwned);
}

}  // namespace
}  // namespace lureguard::verdict
