#include "server/certs/ct_leaf.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_ct_log.h"

namespace lureguard::certs {
namespace {

namespace enc = ::lureguard::testing::ct_encoding;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kMs = 1767225600000;

class CtLeafTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ca_ = new testing::CtTestCa("Leaf Test CA"); }
  static void TearDownTestSuite() { delete ca_; }
  static testing::CtTestCa* ca_;
};
testing::CtTestCa* CtLeafTest::ca_ = nullptr;

TEST_F(CtLeafTest, X509EntryGivesTheCertificateChainAndNames) {
  const std::string der =
      ca_->Issue({"paypa1-login.com", "WWW.Paypa1-Login.com."}, 0x1234, false);
  absl::StatusOr<CtEntry> entry = ParseRfc6962Entry(
      enc::X509Leaf(der, kMs), enc::X509ExtraData({ca_->der()}), 42);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->index, 42);
  EXPECT_EQ(entry->type, CtEntryType::kX509);
  EXPECT_EQ(entry->timestamp, absl::FromUnixMillis(kMs));
  EXPECT_EQ(entry->certificate, der);
  EXPECT_THAT(entry->chain, ElementsAre(ca_->der()));

  absl::StatusOr<CertificateSummary> cert = SummarizeEntry(*entry);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_THAT(cert->names,
              ElementsAre("paypa1-login.com", "www.paypa1-login.com"));
  EXPECT_EQ(cert->issuer, "CN=Leaf Test CA, O=Lureguard Tests, C=US");
  EXPECT_EQ(cert->subject, "CN=paypa1-login.com");
  EXPECT_EQ(cert->serial, "1234");
  EXPECT_EQ(cert->not_before, absl::FromUnixSeconds(1767225600));
  EXPECT_EQ(cert->sha256, absl::BytesToHexString(enc::Sha256(der)));
}

TEST_F(CtLeafTest, PrecertEntryIsReadFromItsTbsCertificate) {
  const std::string pre = ca_->Issue({"*.micros0ft-support.net"}, 9, true);
  const std::string tbs = testing::CtTestCa::TbsWithoutPoison(pre);
  absl::StatusOr<CtEntry> entry =
      ParseRfc6962Entry(enc::PrecertLeaf(ca_->key_hash(), tbs, kMs),
                        enc::PrecertExtraData(pre, {ca_->der()}), 7);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->type, CtEntryType::kPrecert);
  EXPECT_EQ(entry->issuer_key_hash, ca_->key_hash());
  EXPECT_EQ(entry->certificate, tbs);
  EXPECT_EQ(entry->pre_certificate, pre);
  EXPECT_THAT(entry->chain, ElementsAre(ca_->der()));
  absl::StatusOr<CertificateSummary> cert = SummarizeEntry(*entry);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_THAT(cert->names, ElementsAre("*.micros0ft-support.net"));
  EXPECT_EQ(cert->serial, "9");
}

TEST_F(CtLeafTest, EmptyExtraDataMeansNoChain) {
  const std::string der = ca_->Issue({"a.example"}, 1, false);
  absl::StatusOr<CtEntry> entry =
      ParseRfc6962Entry(enc::X509Leaf(der, kMs), "", 0);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_TRUE(entry->chain.empty());
}

TEST_F(CtLeafTest, MalformedLeavesNameTheFieldAndOffset) {
  const std::string der = ca_->Issue({"a.example"}, 1, false);
  const std::string leaf = enc::X509Leaf(der, kMs);
  const std::string extra = enc::X509ExtraData({ca_->der()});

  EXPECT_THAT(ParseRfc6962Entry(leaf.substr(0, leaf.size() - 10), extra, 0)
                  .status()
                  .message(),
              HasSubstr("leaf_input: offset 12: signed_entry.x509: length"));
  EXPECT_THAT(ParseRfc6962Entry(leaf + "x", extra, 0).status().message(),
              HasSubstr("1 trailing bytes"));
  EXPECT_THAT(ParseRfc6962Entry(leaf.substr(0, 5), extra, 0).status().message(),
              HasSubstr("timestamp: needs 8 bytes, 3 left"));
  std::string v2 = leaf;
  v2[0] = 1;
  EXPECT_THAT(ParseRfc6962Entry(v2, extra, 0).status().message(),
              HasSubstr("version: 1 is not v1"));
  std::string type = leaf;
  type[11] = 5;
  EXPECT_THAT(ParseRfc6962Entry(type, extra, 0).status().message(),
              HasSubstr("entry_type: 5 is neither x509"));
  EXPECT_THAT(ParseRfc6962Entry(leaf, extra.substr(0, extra.size() - 1), 0)
                  .status()
                  .message(),
              HasSubstr("extra_data: offset 0: certificate_chain: length"));
  EXPECT_EQ(ParseRfc6962Entry("", extra, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CtLeafTest, CertificateThatIsNotDerIsInvalid) {
  const std::string leaf = enc::X509Leaf("not a certificate", kMs);
  absl::StatusOr<CtEntry> entry = ParseRfc6962Entry(leaf, "", 3);
  ASSERT_TRUE(entry.ok()) << entry.status();
  absl::StatusOr<CertificateSummary> cert = SummarizeEntry(*entry);
  EXPECT_EQ(cert.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(cert.status().message(),
              HasSubstr("certificate: not a DER X.509 certificate (17 bytes)"));
}

TEST_F(CtLeafTest, DataTileHoldsLeavesWithFingerprintsAndIndexes) {
  const std::string der = ca_->Issue({"x.example"}, 2, false);
  const std::string pre = ca_->Issue({"y.example"}, 3, true);
  const std::string tbs = testing::CtTestCa::TbsWithoutPoison(pre);
  const std::string fp = enc::Sha256(ca_->der());
  const std::string tile =
      enc::TileLeaf(512, false, der, "", "", {fp}, kMs) +
      enc::TileLeaf(513, true, tbs, ca_->key_hash(), pre, {fp, fp}, kMs);
  absl::StatusOr<std::vector<CtEntry>> entries = ParseDataTile(tile, 512, 2);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].index, 512);
  EXPECT_EQ((*entries)[0].certificate, der);
  EXPECT_THAT((*entries)[0].chain_fingerprints, ElementsAre(fp));
  EXPECT_EQ((*entries)[1].type, CtEntryType::kPrecert);
  EXPECT_EQ((*entries)[1].pre_certificate, pre);
  EXPECT_THAT((*entries)[1].chain_fingerprints, ElementsAre(fp, fp));
  EXPECT_THAT(SummarizeEntry((*entries)[1])->names, ElementsAre("y.example"));

  EXPECT_THAT(ParseDataTile(tile, 0, 2).status().message(),
              HasSubstr("leaf 0 of 2: leaf_index: the leaf says 512 but sits "
                        "at index 0"));
  EXPECT_THAT(ParseDataTile(tile, 512, 1).status().message(),
              HasSubstr("trailing bytes after 1 leaves"));
  EXPECT_THAT(ParseDataTile(tile, 512, 3).status().message(),
              HasSubstr("leaf 2 of 3: tile: offset"));
  EXPECT_THAT(
      ParseDataTile(tile.substr(0, tile.size() - 1), 512, 2).status().message(),
      HasSubstr("leaf 1 of 2"));
  EXPECT_THAT(ParseDataTile(tile, 512, 0).status().message(),
              HasSubstr("tile width 0 is outside [1, 256]"));
}

}  // namespace
}  // namespace lureguard::certs
