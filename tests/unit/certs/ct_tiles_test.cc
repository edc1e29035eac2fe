#include "server/certs/ct_tiles.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::certs {
namespace {

using ::testing::HasSubstr;

TEST(DataTilePath, GroupsTheIndexInThreesWithXPrefixes) {
  EXPECT_EQ(DataTilePath(0, 0), "tile/data/000");
  EXPECT_EQ(DataTilePath(5, 256), "tile/data/005");
  EXPECT_EQ(DataTilePath(1234067, 0), "tile/data/x001/x234/067");
  EXPECT_EQ(DataTilePath(1000, 0), "tile/data/x001/000");
}

TEST(DataTilePath, PartialTilesNameTheirWidth) {
  EXPECT_EQ(DataTilePath(5, 17), "tile/data/005.p/17");
  EXPECT_EQ(DataTilePath(1234067, 255), "tile/data/x001/x234/067.p/255");
}

TEST(IssuerPath, IsTheHexFingerprint) {
  EXPECT_EQ(IssuerPath(std::string("\x01\xab", 2)), "issuer/01ab");
}

TEST(ParseCheckpoint, ReadsOriginSizeAndRootHash) {
  const std::string root(32, 'r');
  absl::StatusOr<Checkpoint> checkpoint = ParseCheckpoint(
      "log.example/2025h2\n1234567\n" + absl::Base64Escape(root) +
      "\nextension line\n\n\xE2\x80\x94 log.example/2025h2 AAAA\n");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->origin, "log.example/2025h2");
  EXPECT_EQ(checkpoint->tree_size, 1234567);
  EXPECT_EQ(checkpoint->root_hash, root);
}

TEST(ParseCheckpoint, RefusesWhatIsNotACheckpoint) {
  const std::string hash = absl::Base64Escape(std::string(32, 'r'));
  EXPECT_THAT(ParseCheckpoint("origin\n12\n" + hash + "\n").status().message(),
              HasSubstr("no blank line"));
  EXPECT_THAT(
      ParseCheckpoint("origin\n-12\n" + hash + "\n\nsig\n").status().message(),
      HasSubstr("line 2: '-12' is not a decimal tree size"));
  EXPECT_THAT(
      ParseCheckpoint("origin\n012\n" + hash + "\n\nsig\n").status().message(),
      HasSubstr("line 2"));
  EXPECT_THAT(ParseCheckpoint("origin\n12\nAAAA\n\nsig\n").status().message(),
              HasSubstr("line 3: the root hash is not 32 bytes"));
  EXPECT_THAT(ParseCheckpoint("origin\n12\n\nsig\n").status().message(),
              HasSubstr("the body has 2 lines"));
  EXPECT_THAT(ParseCheckpoint("<html>\n\n").status().message(),
              HasSubstr("the body has 1 lines"));
}

}  // namespace
}  // namespace lureguard::certs
