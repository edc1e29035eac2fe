#include "server/lookalike/internal/suffixes.h"

#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

TEST(IsVettedSuffix, RestrictedAndGovernmentRegistries) {
  for (const char* suffix : {"gov", "mil", "edu", "int", "gov.br", "gob.mx",
                             "gouv.fr", "go.th", "edu.pe", "ac.uk"}) {
    EXPECT_TRUE(IsVettedSuffix(suffix)) << suffix;
  }
  // Open registries, and look-alike names under generic suffixes.
  for (const char* suffix :
       {"com", "co.uk", "com.br", "gov.example", "government", "ac", ""}) {
    EXPECT_FALSE(IsVettedSuffix(suffix)) << suffix;
  }
}

}  // namespace
}  // namespace lureguard::lookalike::internal
