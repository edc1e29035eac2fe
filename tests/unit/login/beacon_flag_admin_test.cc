// BeaconFlagAdmin over real BeaconFlags on a real SQLite store in a
// temporary directory.

#include "server/login/beacon_flag_admin.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_owner_test.h"

namespace lureguard::login {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

class BeaconFlagAdminTest : public testing::AdminOwnerTest {
 protected:
  void SetUp() override {
    AdminOwnerTest::SetUp();
    BeaconFlagOptions unlimited;
    unlimited.per_client_ip = {};
    unlimited.per_tenant = {};
    flags_ = std::make_unique<BeaconFlags>(store_.get(), clock_, unlimited);
    ASSERT_TRUE(flags_->Load().ok());
  }

  void Flag(const std::string& tenant, const std::string& host) {
    absl::StatusOr<BeaconHit> hit =
        flags_->Record({.tenant = tenant,
                        .host = host,
                        .brand = "Acme",
                        .technique = "reverse-proxy"},
                       "203.0.113.9");
    ASSERT_TRUE(hit.ok()) << hit.status();
  }

  std::unique_ptr<BeaconFlags> flags_;
  BeaconFlagAdmin admin_{clock_};
};

TEST_F(BeaconFlagAdminTest, UnavailableUntilTheFlagsAreAttached) {
  EXPECT_EQ(admin_.List(std::nullopt, 0, 0).status(),
            absl::UnavailableError("the login engine is not started"));
  EXPECT_EQ(admin_.Remove(caller_, "acme", "evil.example"),
            absl::UnavailableError("the login engine is not started"));
  // A bad request is named before the engine is needed.
  EXPECT_EQ(admin_.Remove(caller_, "acme", ""),
            absl::InvalidArgumentError("host: is empty"));
}

TEST_F(BeaconFlagAdminTest, ListPagesByOffsetAndFiltersByTenant) {
  admin_.Attach(flags_.get());
  Flag("acme", "a.example");
  Flag("acme", "b.example");
  Flag("acme", "c.example");
  Flag("other", "d.example");
  EXPECT_EQ(admin_.List(std::nullopt, 0, -1).status(),
            absl::InvalidArgumentError("page_size: is negative"));

  absl::StatusOr<BeaconFlagPage> first = admin_.List("acme", 0, 2);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->flags,
              ElementsAre(Field(&store::BeaconFlagRecord::host, "a.example"),
                          Field(&store::BeaconFlagRecord::host, "b.example")));
  ASSERT_EQ(first->next_offset, 2);
  absl::StatusOr<BeaconFlagPage> second =
      admin_.List("acme", *first->next_offset, 2);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(second->flags,
              ElementsAre(Field(&store::BeaconFlagRecord::host, "c.example")));
  EXPECT_EQ(second->next_offset, std::nullopt);

  absl::StatusOr<BeaconFlagPage> all = admin_.List(std::nullopt, 0, 0);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->flags.size(), 4u);
  // An offset past the end is an empty last page, not an error.
  absl::StatusOr<BeaconFlagPage> past = admin_.List(std::nullopt, 99, 0);
  ASSERT_TRUE(past.ok()) << past.status();
  EXPECT_THAT(past->flags, IsEmpty());
  EXPECT_EQ(past->next_offset, std::nullopt);
}

TEST_F(BeaconFlagAdminTest, RemoveTakesAnyCaseAndAuditsWhatTheFlagWas) {
  admin_.Attach(flags_.get());
  Flag("acme", "evil.example");
  ASSERT_TRUE(admin_.Remove(caller_, "acme", "EVIL.Example").ok());
  EXPECT_EQ(flags_->Find("acme", "evil.example"), std::nullopt);
  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].method, "DeleteBeaconFlag");
  EXPECT_EQ(audit[0].target, "beacon:evil.example");
  EXPECT_EQ(audit[0].tenant, "acme");
  EXPECT_EQ(audit[0].actor, "ops");
  EXPECT_EQ(audit[0].before,
            absl::StrCat("Acme reverse-proxy hits=1 last_seen=",
                         absl::FormatTime(clock_.Now())));

  EXPECT_EQ(admin_.Remove(caller_, "acme", "evil.example"),
            absl::NotFoundError(
                "host: tenant 'acme' has no beacon flag on 'evil.example'"));
}

}  // namespace
}  // namespace lureguard::login
