#include "server/lists/internal/string_pool.h"

#include "gtest/gtest.h"

namespace lureguard::lists::internal {
namespace {

TEST(StringPool, InternReturnsOneIdPerDistinctString) {
  StringPool pool;
  EXPECT_EQ(pool.Intern(""), 0u);
  const uint32_t admin = pool.Intern("admin");
  const uint32_t feed = pool.Intern("feed:openphish");
  EXPECT_NE(admin, 0u);
  EXPECT_NE(admin, feed);
  EXPECT_EQ(pool.Intern("admin"), admin);
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.bytes(), 19u);
}

TEST(StringPool, StringsReadBackAfterFreeze) {
  StringPool pool;
  const uint32_t a = pool.Intern(".example.test");
  const uint32_t b = pool.Intern("listed by feed x");
  pool.Freeze();
  EXPECT_EQ(pool.Get(0), "");
  EXPECT_EQ(pool.Get(a), ".example.test");
  EXPECT_EQ(pool.Get(b), "listed by feed x");
}

}  // namespace
}  // namespace lureguard::lists::internal
