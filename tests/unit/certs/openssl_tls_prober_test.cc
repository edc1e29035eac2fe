#include "server/certs/openssl_tls_prober.h"

#include <fstream>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_resolver.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_certs.h"
#include "tests/testing/tls_test_server.h"

namespace lureguard::certs {
namespace {

using ::lureguard::testing::FullBacklogPort;
using ::lureguard::testing::MakeSelfSignedCert;
using ::lureguard::testing::TempDir;
using ::lureguard::testing::TestCa;
using ::lureguard::testing::TestCert;
using ::lureguard::testing::TestCertSpec;
using ::lureguard::testing::TlsTestServer;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class OpenSslTlsProberTest : public ::testing::Test {
 protected:
  OpenSslTlsProberTest() : ca_(TestCa::Create("Lureguard Test CA")) {
    // Every test name resolves to the loopback server, as DNS would for a
    // phishing host.
    resolver_.AnswerOtherHosts({"127.0.0.1"});
    resolver_.Fail("nx.test",
                   absl::UnavailableError("cannot resolve 'nx.test'"));
    ca_file_ = dir_.path() + "/ca.pem";
    std::ofstream(ca_file_) << ca_.cert_pem();
  }

  std::unique_ptr<OpenSslTlsProber> Prober(bool allow_private = true) {
    OpenSslTlsProberOptions options;
    options.target_policy.allow_private_targets = allow_private;
    options.resolver = &resolver_;
    options.deadline = absl::Milliseconds(400);
    options.use_system_store = false;
    options.extra_ca_file = ca_file_;
    absl::StatusOr<std::unique_ptr<OpenSslTlsProber>> prober =
        OpenSslTlsProber::Create(options);
    EXPECT_TRUE(prober.ok()) << prober.status();
    return *std::move(prober);
  }

  std::unique_ptr<TlsTestServer> Serve(const TestCert& cert) {
    absl::StatusOr<std::unique_ptr<TlsTestServer>> server =
        TlsTestServer::Start(
            {.cert_chain_pem = cert.cert_pem, .key_pem = cert.key_pem});
    EXPECT_TRUE(server.ok()) << server.status();
    return *std::move(server);
  }

  TempDir dir_;
  TestCa ca_;
  std::string ca_file_;
  FakeResolver resolver_;
};

TEST_F(OpenSslTlsProberTest, AGoodChainVerifiesAndMatchesTheName) {
  TestCert leaf = ca_.Issue(
      {.cn = "shop.test", .dns_sans = {"shop.test", "www.shop.test"}});
  auto server = Serve(leaf);
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"shop.test", server->port()});
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_TRUE(probe->chain_trusted);
  EXPECT_TRUE(probe->hostname_matches);
  EXPECT_THAT(probe->verify_errors, IsEmpty());
  EXPECT_THAT(probe->leaf.dns_names, ElementsAre("shop.test", "www.shop.test"));
  EXPECT_EQ(probe->leaf.issuer_cn, "Lureguard Test CA");
  EXPECT_EQ(probe->address, "127.0.0.1");
  EXPECT_EQ(probe->chain_length, 1);
  EXPECT_EQ(probe->tls_version, "TLSv1.3");
  EXPECT_GT(probe->latency, absl::ZeroDuration());
  EXPECT_EQ(server->last_sni(), "shop.test");
}

TEST_F(OpenSslTlsProberTest, AnExpiredCertificateIsTrustedButReported) {
  TestCertSpec spec{.cn = "shop.test", .dns_sans = {"shop.test"}};
  spec.not_before = absl::Now() - absl::Hours(24 * 400);
  spec.not_after = absl::Now() - absl::Hours(24 * 10);
  auto server = Serve(ca_.Issue(spec));
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"shop.test", server->port()});
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_TRUE(probe->chain_trusted);
  EXPECT_TRUE(probe->hostname_matches);
  EXPECT_THAT(probe->verify_errors,
              ElementsAre("depth 0: certificate has expired"));
  EXPECT_LT(probe->leaf.not_after, absl::Now());
}

TEST_F(OpenSslTlsProberTest, ASelfSignedCertificateIsUntrusted) {
  auto server =
      Serve(MakeSelfSignedCert({.cn = "shop.test", .dns_sans = {"shop.test"}}));
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"shop.test", server->port()});
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_FALSE(probe->chain_trusted);
  EXPECT_TRUE(probe->leaf.self_signed);
  EXPECT_TRUE(probe->hostname_matches);
  EXPECT_THAT(probe->verify_errors,
              Contains("depth 0: self-signed certificate"));
}

TEST_F(OpenSslTlsProberTest, AWrongNameIsAMismatchOnATrustedChain) {
  auto server = Serve(ca_.Issue(
      {.cn = "other.test", .dns_sans = {"other.test", "*.other.test"}}));
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"shop.test", server->port()});
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_TRUE(probe->chain_trusted);
  EXPECT_FALSE(probe->hostname_matches);
  EXPECT_THAT(probe->verify_errors, ElementsAre("depth 0: hostname mismatch"));
}

TEST_F(OpenSslTlsProberTest, ASelfSignedCertificateForAnotherNameFailsBoth) {
  auto server = Serve(MakeSelfSignedCert({.cn = "localhost"}));
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"shop.test", server->port()});
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_FALSE(probe->chain_trusted);
  EXPECT_FALSE(probe->hostname_matches);
}

TEST_F(OpenSslTlsProberTest, BrandLookalikeSansAreAllRead) {
  auto server = Serve(ca_.Issue(
      {.cn = "paypa1-login.com",
       .dns_sans = {"paypa1-login.com", "*.paypa1-login.com",
                    "secure-paypal-verify.com", "appleid-unlock.net"}}));
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"paypa1-login.com", server->port()});
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_TRUE(probe->hostname_matches);
  EXPECT_THAT(probe->leaf.dns_names,
              ElementsAre("paypa1-login.com", "*.paypa1-login.com",
                          "secure-paypal-verify.com", "appleid-unlock.net"));
}

TEST_F(OpenSslTlsProberTest, TheGuardRefusesLoopbackByDefault) {
  auto server =
      Serve(ca_.Issue({.cn = "shop.test", .dns_sans = {"shop.test"}}));
  absl::StatusOr<CertProbe> probe =
      Prober(/*allow_private=*/false)->Probe({"shop.test", server->port()});
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(probe.status().message(),
            "refusing to probe shop.test (127.0.0.1): loopback address "
            "(server not started with --allow_private_targets)");
  probe = Prober(false)->Probe({"127.0.0.1", server->port()});
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(server->handshakes(), 0);
}

TEST_F(OpenSslTlsProberTest, AServerThatNeverSpeaksHitsTheDeadline) {
  absl::StatusOr<std::unique_ptr<TlsTestServer>> server =
      TlsTestServer::Start({.silent = true});
  ASSERT_TRUE(server.ok());
  const absl::Time start = absl::Now();
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"shop.test", (*server)->port()});
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(probe.status().message(),
              HasSubstr("TLS handshake with 127.0.0.1 did not finish within "
                        "400ms"));
  EXPECT_GE(took, absl::Milliseconds(390));
  EXPECT_LT(took, absl::Seconds(3));
}

TEST_F(OpenSslTlsProberTest, APortThatNeverAnswersHitsTheDeadline) {
  absl::StatusOr<std::unique_ptr<FullBacklogPort>> port =
      FullBacklogPort::Open();
  ASSERT_TRUE(port.ok());
  absl::StatusOr<CertProbe> probe =
      Prober()->Probe({"shop.test", (*port)->port()});
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(probe.status().message(), HasSubstr("did not finish"));
}

TEST_F(OpenSslTlsProberTest, ResolutionAndConnectionFailuresNameTheTarget) {
  absl::StatusOr<CertProbe> probe = Prober()->Probe({"nx.test", 443});
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(probe.status().message(), "cannot resolve 'nx.test'");
  int closed_port = 0;
  {
    auto server = Serve(ca_.Issue({.cn = "shop.test"}));
    closed_port = server->port();
  }
  probe = Prober()->Probe({"shop.test", closed_port});
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(probe.status().message(),
            "probe shop.test:" + std::to_string(closed_port) +
                ": connect to 127.0.0.1: Connection refused");
  probe = Prober()->Probe({"shop.test", 0});
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OpenSslTlsProber, AnUnreadableCaFileIsAnErrorNamingIt) {
  OpenSslTlsProberOptions options;
  options.extra_ca_file = "/nonexistent/ca.pem";
  absl::StatusOr<std::unique_ptr<OpenSslTlsProber>> prober =
      OpenSslTlsProber::Create(options);
  EXPECT_EQ(prober.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(prober.status().message(),
              HasSubstr("certs.extra_ca_file: '/nonexistent/ca.pem' cannot be "
                        "loaded"));
}

}  // namespace
}  // namespace lureguard::certs
