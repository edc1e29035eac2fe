#include "server/common/hmac_sha256.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace lureguard {
namespace {

std::string Hex(const HmacSha256::Tag& tag) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
}

std::string Sign(const std::string& key, const std::string& message) {
  absl::StatusOr<std::shared_ptr<const HmacSha256>> hmac =
      HmacSha256::Create(key);
  EXPECT_TRUE(hmac.ok()) << hmac.status();
  return Hex((*hmac)->Sign(message));
}

// RFC 4231 section 4: test cases 1, 2 (short key), 6 (key longer than a
// block, hashed first) and 7 (long key and long message).
TEST(HmacSha256, Rfc4231Vectors) {
  EXPECT_EQ(Sign(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Sign("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Sign(std::string(131, '\xaa'),
                 "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(
      Sign(std::string(131, '\xaa'),
           "This is a test using a larger than block-size key and a larger "
           "than block-size data. The key needs to be hashed before being "
           "used by the HMAC algorithm."),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HmacSha256, OneKeySignsManyMessagesIndependently) {
  absl::StatusOr<std::shared_ptr<const HmacSha256>> hmac =
      HmacSha256::Create("Jefe");
  ASSERT_TRUE(hmac.ok());
  const HmacSha256::Tag first = (*hmac)->Sign("what do ya want for nothing?");
  (*hmac)->Sign("something else");
  EXPECT_EQ((*hmac)->Sign("what do ya want for nothing?"), first);
}

}  // namespace
}  // namespace lureguard
