// ListAuditLog over the records KeyAdmin writes to a real SQLite store in a
// temporary directory.

#include "server/auth/audit_log.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/key_admin.h"
#include "tests/testing/admin_owner_test.h"

namespace lureguard::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::SizeIs;

class AuditLogTest : public testing::AdminOwnerTest {
 protected:
  void SetUp() override {
    AdminOwnerTest::SetUp();
    keys_ = std::make_unique<KeyRing>(*store_, clock_);
    ASSERT_TRUE(keys_->Load().ok());
    admin_ = std::make_unique<KeyAdmin>(*keys_, clock_);
  }

  // Audits the creation of keys named `names`, in order, by `actor`.
  void CreateKeys(const std::vector<std::string>& names,
                  const std::string& actor = "ops") {
    Caller caller = caller_;
    caller.principal.key_name = actor;
    for (const std::string& name : names) {
      ASSERT_TRUE(
          admin_->Create(caller, {.name = name, .role = Role::kVerdict}).ok());
    }
  }

  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<KeyAdmin> admin_;
};

TEST_F(AuditLogTest, PagesNewestFirstUntilTheOldestRecord) {
  CreateKeys({"k1", "k2", "k3"});
  absl::StatusOr<AuditLogPage> first = ListAuditLog(*store_, {.page_size = 2});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->records,
              ElementsAre(Field(&store::AuditRecord::target, "key:k3"),
                          Field(&store::AuditRecord::target, "key:k2")));
  ASSERT_TRUE(first->next_before_id.has_value());
  EXPECT_EQ(*first->next_before_id, first->records.back().id);

  absl::StatusOr<AuditLogPage> last = ListAuditLog(
      *store_, {.before_id = *first->next_before_id, .page_size = 2});
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_THAT(last->records,
              ElementsAre(Field(&store::AuditRecord::target, "key:k1")));
  EXPECT_EQ(last->next_before_id, std::nullopt);
}

TEST_F(AuditLogTest, PageSizeFollowsTheCommonRule) {
  std::vector<std::string> names;
  for (int i = 0; i < 101; ++i) names.push_back(absl::StrCat("k", i));
  CreateKeys(names);
  absl::StatusOr<AuditLogPage> page = ListAuditLog(*store_, {.page_size = 0});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->records, SizeIs(100));
  EXPECT_TRUE(page->next_before_id.has_value());
  EXPECT_EQ(ListAuditLog(*store_, {.page_size = -1}).status(),
            absl::InvalidArgumentError("page_size: is negative"));
}

TEST_F(AuditLogTest, FiltersByActorAndMethod) {
  CreateKeys({"mine"}, "ops");
  CreateKeys({"theirs"}, "other-admin");
  ASSERT_TRUE(admin_->Revoke(caller_, "mine").ok());
  absl::StatusOr<AuditLogPage> by_other =
      ListAuditLog(*store_, {.actor = "other-admin"});
  ASSERT_TRUE(by_other.ok()) << by_other.status();
  EXPECT_THAT(by_other->records,
              ElementsAre(Field(&store::AuditRecord::target, "key:theirs")));
  absl::StatusOr<AuditLogPage> revokes =
      ListAuditLog(*store_, {.method = "RevokeApiKey"});
  ASSERT_TRUE(revokes.ok()) << revokes.status();
  EXPECT_THAT(revokes->records,
              ElementsAre(Field(&store::AuditRecord::target, "key:mine")));
}

}  // namespace
}  // namespace lureguard::auth
