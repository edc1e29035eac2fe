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
  index.Add("blockchain", 7, 2);
  index.Finish();
  EXPECT_TRUE(Finds(index, "blockchan", 2, 7));
  EXPECT_TRUE(Finds(index, "blokchan", 2, 7));    // two omissions
  EXPECT_TRUE(Finds(index, "blackchaan", 2, 7));  // two replacements
  EXPECT_FALSE(Finds(index, "blackchaan", 1, 7));
}

TEST(DeletionIndex, TwoDeletionsInsideARunOfOneLetter) {
  DeletionIndex index;
  index.Add("metamask", 4, 2);
  index.Add("facebook", 5, 2);
  index.Finish();
  // Both letters of a doubled run deleted on the query's side: "maatamask"
  // and "metamask" both lose two letters to "mtamask".
  EXPECT_TRUE(Finds(index, "maatamask", 2, 4));
  EXPECT_TRUE(Finds(index, "metaamaask", 2, 4));  // two doubled letters
  // And on the key's side: "facebook" without its "oo" is "facebk".
  EXPECT_TRUE(Finds(index, "facebk", 2, 5));
  EXPECT_FALSE(Finds(index, "faceboooook", 2, 5));  // three more: too far
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

TEST(DeletionIndex, LongKeysOfTwoDeletionsGoThroughThePartitionIndex) {
  DeletionIndex index;
  index.Add("bankofamerica", 3, 2);  // 13 >= kMinPartitionedLength
  index.Add("paypal", 1, 1);
  index.Finish();
  // Three partition entries instead of 1 + 13 + 78 deletion variants.
  EXPECT_EQ(index.variant_count(), 3u + 7u);
  EXPECT_TRUE(Finds(index, "bankofamerica", 0, 3));
  EXPECT_TRUE(Finds(index, "bankofamerca", 1, 3));
  EXPECT_TRUE(Finds(index, "bnakofamerca", 2, 3));
  EXPECT_TRUE(Finds(index, "paypa", 2, 1));
}

}  // namespace
}  // namespace lureguard::lookalike::internal
