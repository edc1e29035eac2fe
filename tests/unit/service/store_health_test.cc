#include "server/service/store_health.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/store/store.h"
#include "tests/testing/postgres_test_server.h"

namespace lureguard::service {
namespace {

using ::testing::ElementsAre;

// A real PostgreSQL stopped and started under a real store: the health
// follows, reporting each change once.
TEST(StoreHealth, FollowsAPostgresOutageAndItsEnd) {
  absl::StatusOr<std::unique_ptr<testing::PostgresTestServer>> postgres =
      testing::PostgresTestServer::Start();
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  ASSERT_TRUE((*postgres)->CreateDatabase("lureguard").ok());
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenPostgresStore((*postgres)->Url("lureguard"));
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<int> changes;  // 1: up, 0: down
  StoreHealth health(**store, SystemClock(),
                     [&](bool up) { changes.push_back(up ? 1 : 0); });

  EXPECT_TRUE(health.Check().ok());
  EXPECT_TRUE(health.up());
  EXPECT_EQ(health.down_since(), absl::InfinitePast());

  ASSERT_TRUE((*postgres)->Stop().ok());
  const absl::Time stopped = absl::Now();
  EXPECT_TRUE(health.Check().ok());  // an outage is a state, not an error
  EXPECT_FALSE(health.up());
  EXPECT_GE(health.down_since(), stopped);
  EXPECT_TRUE(health.Check().ok());
  EXPECT_THAT(changes, ElementsAre(0));  // reported once

  ASSERT_TRUE((*postgres)->Restart().ok());
  EXPECT_TRUE(health.Check().ok());
  EXPECT_TRUE(health.up());
  EXPECT_EQ(health.down_since(), absl::InfinitePast());
  EXPECT_THAT(changes, ElementsAre(0, 1));
}

// The embedded store is always there.
TEST(StoreHealth, ASqliteStoreIsUp) {
  const std::string dir = ::testing::TempDir() + "store_health_sqlite";
  std::filesystem::create_directories(dir);
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(dir + "/lureguard.db");
  ASSERT_TRUE(store.ok()) << store.status();
  StoreHealth health(**store, SystemClock(), nullptr);
  EXPECT_TRUE(health.Check().ok());
  EXPECT_TRUE(health.up());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lureguard::service
