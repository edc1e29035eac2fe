#include "server/certs/cert_features.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_certs.h"

namespace lureguard::certs {
namespace {

using ::lureguard::testing::MakeSelfSignedCert;
using ::lureguard::testing::TestCa;
using ::lureguard::testing::TestCert;
using ::lureguard::testing::TestCertSpec;
using ::testing::ElementsAre;

TEST(ExtractCertFeatures, ReadsNamesIssuerAndDatesOfAnIssuedLeaf) {
  TestCa ca = TestCa::Create("Lureguard Test CA", "Lureguard Tests");
  TestCertSpec spec;
  spec.cn = "Shop.Example";
  spec.dns_sans = {"shop.example", "*.Shop.Example", "paypa1-login.com"};
  spec.not_before = absl::FromUnixSeconds(1767225600);  // 2026-01-01
  spec.not_after = spec.not_before + absl::Hours(24 * 90);
  spec.serial = 0x1234abcd;
  TestCert leaf = ca.Issue(spec);

  absl::StatusOr<CertFeatures> f = ExtractCertFeaturesFromDer(leaf.der);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->subject_cn, "Shop.Example");
  EXPECT_THAT(f->san_dns_names, ElementsAre("shop.example", "*.shop.example",
                                            "paypa1-login.com"));
  // The CN repeats the first SAN, so it is not listed twice.
  EXPECT_THAT(f->dns_names, ElementsAre("shop.example", "*.shop.example",
                                        "paypa1-login.com"));
  EXPECT_EQ(f->issuer_organization, "Lureguard Tests");
  EXPECT_EQ(f->issuer_cn, "Lureguard Test CA");
  EXPECT_FALSE(f->free_dv_issuer);
  EXPECT_EQ(f->not_before, absl::FromUnixSeconds(1767225600));
  EXPECT_EQ(f->validity, absl::Hours(24 * 90));
  EXPECT_FALSE(f->self_signed);
  EXPECT_EQ(f->serial_hex, "1234ABCD");
  EXPECT_EQ(f->sha256_hex.size(), 64u);
}

TEST(ExtractCertFeatures, SelfSignedCertificateWithOnlyACommonName) {
  TestCertSpec spec;
  spec.cn = "login.bank.test";
  TestCert cert = MakeSelfSignedCert(spec);
  absl::StatusOr<CertFeatures> f = ExtractCertFeaturesFromDer(cert.der);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->self_signed);
  EXPECT_TRUE(f->san_dns_names.empty());
  EXPECT_THAT(f->dns_names, ElementsAre("login.bank.test"));
  EXPECT_EQ(f->issuer_cn, "login.bank.test");
}

TEST(ExtractCertFeatures, ACommonNameThatIsNoHostNameIsNoDnsName) {
  TestCertSpec spec;
  spec.cn = "Acme Corporation";
  spec.dns_sans = {"acme.test"};
  TestCert cert = MakeSelfSignedCert(spec);
  absl::StatusOr<CertFeatures> f = ExtractCertFeaturesFromDer(cert.der);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->dns_names, ElementsAre("acme.test"));
}

TEST(ExtractCertFeatures, AFreeDvIssuerIsRecognised) {
  TestCa ca = TestCa::Create("R11", "Let's Encrypt");
  TestCert leaf = ca.Issue({.cn = "a.test", .dns_sans = {"a.test"}});
  absl::StatusOr<CertFeatures> f = ExtractCertFeaturesFromDer(leaf.der);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->free_dv_issuer);
  EXPECT_TRUE(
      IsFreeDvIssuer("Buypass AS-983163327", "Buypass Class 2 CA 5 Go SSL"));
  EXPECT_FALSE(IsFreeDvIssuer("Buypass AS-983163327", "Buypass Class 3 CA 2"));
  EXPECT_FALSE(IsFreeDvIssuer("DigiCert Inc", "DigiCert Global G2 TLS RSA"));
}

TEST(ExtractCertFeaturesFromDer, RejectsWhatIsNotOneCertificate) {
  absl::StatusOr<CertFeatures> f = ExtractCertFeaturesFromDer("not a cert");
  EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(f.status().message(),
            "certificate: 10 bytes are not a DER X.509 certificate");

  TestCert cert = MakeSelfSignedCert({.cn = "a.test"});
  f = ExtractCertFeaturesFromDer(cert.der + "xx");
  EXPECT_EQ(f.status().message(),
            "certificate: 2 bytes follow the certificate");
}

}  // namespace
}  // namespace lureguard::certs
