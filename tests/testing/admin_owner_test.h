// The fixture of the admin owners' unit tests (lists::ListAdmin,
// verdict::BrandRegistry): a real SQLite store in a fresh temporary
// directory, a fake clock, an admin caller, and readers for what the
// owners promise to leave behind (audit records, the store's revision).

#ifndef LUREGUARD_TESTS_TESTING_ADMIN_OWNER_TEST_H_
#define LUREGUARD_TESTS_TESTING_ADMIN_OWNER_TEST_H_

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "server/auth/caller.h"
#include "server/store/store.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::testing {

class AdminOwnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    caller_.principal = {.key_name = "ops", .role = auth::Role::kAdmin};
    caller_.request_id = "req-1";
  }

  // The audit log, newest first.
  std::vector<store::AuditRecord> Audit() {
    absl::StatusOr<store::AuditPage> page = store_->ListAuditRecords({});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->records : std::vector<store::AuditRecord>{};
  }

  // The revision the snapshot publisher follows.
  int64_t Revision() {
    absl::StatusOr<int64_t> revision = store_->Revision();
    EXPECT_TRUE(revision.ok()) << revision.status();
    return revision.value_or(-1);
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  auth::Caller caller_;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_ADMIN_OWNER_TEST_H_
