#include "server/auth/key_admin.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_owner_test.h"

namespace lureguard::auth {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

class KeyAdminTest : public testing::AdminOwnerTest {
 protected:
  void SetUp() override {
    AdminOwnerTest::SetUp();
    keys_ = std::make_unique<KeyRing>(*store_, clock_);
    ASSERT_TRUE(keys_->Load().ok());
    admin_ = std::make_unique<KeyAdmin>(*keys_, clock_);
  }

  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<KeyAdmin> admin_;
};

TEST_F(KeyAdminTest, CreateReturnsAWorkingTokenAndAuditsTheKeyNotItsSecret) {
  absl::StatusOr<CreatedKey> created = admin_->Create(
      caller_, {.name = "acme-gw", .role = Role::kVerdict, .tenant = "acme"});
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(created->info.has_value());
  EXPECT_EQ(created->info->name, "acme-gw");
  EXPECT_EQ(created->info->tenant, "acme");
  absl::StatusOr<Principal> who = keys_->Authenticate(created->token);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->tenant, "acme");

  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].method, "CreateApiKey");
  EXPECT_EQ(audit[0].target, "key:acme-gw");
  EXPECT_EQ(audit[0].tenant, "acme");
  EXPECT_EQ(audit[0].after, "role=verdict tenant=acme");
  EXPECT_EQ(audit[0].actor, "ops");
}

TEST_F(KeyAdminTest, OnlyVerdictKeysMayBeBoundToATenant) {
  for (Role role : {Role::kAdmin, Role::kReadonlyAdmin}) {
    EXPECT_EQ(
        admin_->Create(caller_, {.name = "x", .role = role, .tenant = "acme"})
            .status(),
        absl::InvalidArgumentError(
            "tenant: only VERDICT keys can be bound to a tenant"));
  }
  EXPECT_EQ(
      admin_
          ->Create(caller_,
                   {.name = "x", .role = Role::kVerdict, .tenant = "acme corp"})
          .status(),
      absl::InvalidArgumentError(
          "tenant: \"acme corp\" must be up to 128 printable ASCII "
          "characters without spaces"));
  EXPECT_THAT(admin_->List(), IsEmpty());
  EXPECT_THAT(Audit(), IsEmpty());
}

TEST_F(KeyAdminTest, RevokeEndsTheKeyAndAuditsWhatItWas) {
  absl::StatusOr<CreatedKey> created = admin_->Create(
      caller_,
      {.name = "mtls", .role = Role::kAdmin, .client_subject = "ops.example"});
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(admin_->Revoke(caller_, "mtls").ok());
  EXPECT_FALSE(keys_->Authenticate(created->token).ok());
  const store::AuditRecord audit = Audit()[0];
  EXPECT_EQ(audit.method, "RevokeApiKey");
  EXPECT_EQ(audit.before, "role=admin client_subject=ops.example");
  EXPECT_EQ(audit.after, "");

  EXPECT_TRUE(absl::IsNotFound(admin_->Revoke(caller_, "mtls")));
  EXPECT_THAT(Audit(), SizeIs(2));  // nothing changed, nothing audited
}

}  // namespace
}  // namespace lureguard::auth
