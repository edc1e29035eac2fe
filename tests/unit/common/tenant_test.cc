#include "server/common/tenant.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace lureguard {
namespace {

absl::Status Refused(absl::string_view shown) {
  return absl::InvalidArgumentError(
      absl::StrCat("tenant: \"", shown,
                   "\" must be up to 128 printable ASCII characters without "
                   "spaces"));
}

TEST(Tenant, EmptyMeansGlobalAndPrintableAsciiIsAName) {
  EXPECT_TRUE(ValidateTenant("").ok());
  EXPECT_TRUE(ValidateTenant("acme").ok());
  EXPECT_TRUE(ValidateTenant("acme-eu_2.prod").ok());
  EXPECT_TRUE(ValidateTenant("acme/eu:1").ok());
  EXPECT_TRUE(ValidateTenant(std::string(128, 't')).ok());
}

TEST(Tenant, SpacesControlsNonAsciiAndLongNamesAreRefusedShownEscaped) {
  EXPECT_EQ(ValidateTenant("acme corp"), Refused("acme corp"));
  EXPECT_EQ(ValidateTenant("acme\n"), Refused("acme\\n"));
  EXPECT_EQ(ValidateTenant("acm\xC3\xA9"), Refused("acm\\xc3\\xa9"));
  EXPECT_EQ(ValidateTenant("acme\x7F"), Refused("acme\\x7f"));
  EXPECT_EQ(ValidateTenant(std::string(129, 't')),
            Refused(std::string(64, 't') + "..."));
}

TEST(AssignTenantKey, KeysOfOtherTenantsOrNamesNeverMeet) {
  std::string a, b;
  AssignTenantKey("ac", "me.test", a);
  AssignTenantKey("acme", ".test", b);
  EXPECT_NE(a, b);  // the NUL keeps the tenant apart from the name
  EXPECT_EQ(a, std::string("ac\0me.test", 10));
  AssignTenantKey("", "acme.test", a);  // the buffer is reused, not appended
  EXPECT_EQ(a, std::string("\0acme.test", 10));
}

}  // namespace
}  // namespace lureguard
