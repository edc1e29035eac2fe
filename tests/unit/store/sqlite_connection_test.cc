#include "server/store/internal/sqlite_connection.h"

#include <sqlite3.h>

#include <memory>

#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::store::internal {
namespace {

// A bulk write fills the page cache; ReleaseCachedPages gives it back, so
// the store's 64 MiB writer cache is not held for good after an import.
TEST(SqliteConnection, ReleasedCachedPagesAreGivenBack) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Open(dir.path() + "/cache.db",
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
  ASSERT_TRUE(connection.ok()) << connection.status();
  Connection& db = **connection;
  ASSERT_TRUE(db.Exec("PRAGMA cache_size = -65536").ok());
  ASSERT_TRUE(db.Exec("CREATE TABLE t (v BLOB);"
                      "BEGIN;"
                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                      "FROM n WHERE i < 20000) "
                      "INSERT INTO t SELECT randomblob(200) FROM n;"
                      "COMMIT;")
                  .ok());
  // 20,000 rows of 200 bytes: about 4 MB of pages were touched.
  EXPECT_GT(db.CachedBytes(), 2 << 20);
  db.ReleaseCachedPages();
  EXPECT_LT(db.CachedBytes(), 256 << 10);
}

}  // namespace
}  // namespace lureguard::store::internal
