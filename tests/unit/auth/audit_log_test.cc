// ListAuditLog over audited writes to a real SQLite store in a temporary
// directory.

#include "server/auth/audit_log.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/caller.h"
#include "server/store/audit_scope.h"
#include "tests/testing/admin_owner_test.h"

namespace lureguard::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::SizeIs;

class AuditLogTest : public testing::AdminOwnerTest {
 protected:
  // Writes one record per name, in order, each audited as `method` by
  // `actor` on "key:NAME".
  void Write(const std::vector<std::string>& names,
             const std::string& actor = "ops",
             const std::string& method = "CreateApiKey") {
    Caller caller = caller_;
    caller.principal.key_name = actor;
    for (const std::string& name : names) {
      store::AuditScope audit(
          AuditRecordOf(caller, method, "key:" + name, "", clock_.Now()));
      ASSERT_TRUE(store_
                      ->PutRecord({.collection = "audit_log_test",
                                   .name = name,
                                   .payload = method},
                                  /*affects_snapshot=*/false)
                      .ok());
    }
  }
};

TEST_F(AuditLogTest, PagesNewestFirstUntilTheOldestRecord) {
  Write({"k1", "k2", "k3"});
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
  Write(names);
  absl::StatusOr<AuditLogPage> page = ListAuditLog(*store_, {.page_size = 0});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->records, SizeIs(100));
  EXPECT_TRUE(page->next_before_id.has_value());
  EXPECT_EQ(ListAuditLog(*store_, {.page_size = -1}).status(),
            absl::InvalidArgumentError("page_size: is negative"));
}

TEST_F(AuditLogTest, FiltersByActorAndMethod) {
  Write({"mine"}, "ops");
  Write({"theirs"}, "other-admin");
  Write({"mine"}, "ops", "RevokeApiKey");
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
