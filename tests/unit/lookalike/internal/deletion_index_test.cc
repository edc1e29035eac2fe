#include "server/lookalike/internal/deletion_index.h"

#include <algorithm>
#include <vector>

#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

bool Finds(const DeletionIndex& index, const char* query, int deletions,
           uint32_t id) {
  std::vector<uint32_t> ids;
  index.Candidates(query, deletions, &ids);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST(DeletionIndex, FindsKeysWithinOneEdit) {
  DeletionIndex index;
  index.Add("paypal", 1, 1);
  index.Add("google", 2, 1);
  index.Finish();
  EXPECT_TRUE(Finds(index, "paypal", 1, 1));   // equal
  EXPECT_TRUE(Finds(index, "paypl", 1, 1));    // omission
  EXPECT_TRUE(Finds(index, "paypall", 1, 1));  // addition
  EXPECT_TRUE(Finds(index, "paypbl", 1, 1));   // replacement
  EXPECT_TRUE(Finds(index, "papyal", 1, 1));   // transposition
  EXPECT_FALSE(Finds(index, "pypl", 1, 1));    // two omissions
  EXPECT_TRUE(Finds(index, "gogle", 1, 2));
  EXPECT_FALSE(Finds(index, "amazon", 1, 1));
}

TEST(DeletionIndex, TwoDeletionsForLongKeys) {
  DeletionIndex index;
  index.Add("myetherwallet", 7, 2);
  index.Finish();
  EXPECT_TRUE(Finds(index, "myetherwalet", 2, 7));
  EXPECT_TRUE(Finds(index, "myethrwalet", 2, 7));    // two omissions
  EXPECT_TRUE(Finds(index, "myatherwallat", 2, 7));  // two replacements
  EXPECT_FALSE(Finds(index, "myatherwallat", 1, 7));
}

TEST(DeletionIndex, TwoQueryDeletionsOnlyReachKeysWithTwo) {
  DeletionIndex index;
  index.Add("paypal", 1, 1);
  index.Add("myetherwallet", 7, 2);
  index.Finish();
  // "paypalxy" deleted twice is "paypal", but two edits exceed the budget
  // of a key indexed with one deletion.
  EXPECT_FALSE(Finds(index, "paypalxy", 2, 1));
  EXPECT_TRUE(Finds(index, "paypalx", 2, 1));
  EXPECT_TRUE(Finds(index, "myetherwalletxy", 2, 7));
}

}  // namespace
}  // namespace lureguard::lookalike::internal
