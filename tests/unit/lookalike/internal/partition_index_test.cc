#include "server/lookalike/internal/partition_index.h"

#include <algorithm>
#include <vector>

#include "gtest/gtest.h"

namespace lureguard::lookalike::internal {
namespace {

bool Finds(const PartitionIndex& index, const char* query, int edits,
           uint32_t id) {
  std::vector<uint32_t> ids;
  index.Candidates(query, edits, &ids);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

PartitionIndex OneKey(const char* key, uint32_t id) {
  PartitionIndex index;
  index.Add(key, id);
  index.Finish();
  return index;
}

TEST(PartitionIndex, FindsEverySingleEdit) {
  const PartitionIndex index = OneKey("myetherwallet", 7);
  EXPECT_TRUE(Finds(index, "myetherwallet", 1, 7));   // equal
  EXPECT_TRUE(Finds(index, "yetherwallet", 1, 7));    // first letter gone
  EXPECT_TRUE(Finds(index, "myetherwalle", 1, 7));    // last letter gone
  EXPECT_TRUE(Finds(index, "xmyetherwallet", 1, 7));  // letter in front
  EXPECT_TRUE(Finds(index, "myetherwallets", 1, 7));  // plural
  EXPECT_TRUE(Finds(index, "myethewrwallet", 1, 7));  // insertion
  // Transpositions on both segment boundaries (4|4|5: "myet|herw|allet").
  EXPECT_TRUE(Finds(index, "myehtrwallet", 1, 7));
  EXPECT_TRUE(Finds(index,
                    "myetheraw"
                    "llet",
                    1, 7));
}

TEST(PartitionIndex, FindsDoubleEditsAnywhere) {
  const PartitionIndex index = OneKey("myetherwallet", 7);
  EXPECT_TRUE(Finds(index, "myethrwalet", 2, 7));    // two omissions
  EXPECT_TRUE(Finds(index, "myatherwallat", 2, 7));  // two replacements
  EXPECT_TRUE(Finds(index, "xmyetherwalletx", 2, 7));
  EXPECT_TRUE(Finds(index, "etherwallet", 2, 7));  // two letters in front
  EXPECT_TRUE(Finds(index, "myetherwall", 2, 7));  // two at the end
  // A budget of one edit only probes lengths one away.
  EXPECT_FALSE(Finds(index, "etherwallet", 1, 7));
}

TEST(PartitionIndex, RejectsDistantKeys) {
  PartitionIndex index;
  index.Add("myetherwallet", 7);
  index.Add("bankofamerica", 8);
  index.Finish();
  EXPECT_FALSE(Finds(index, "myetherwallet", 2, 8));
  EXPECT_FALSE(Finds(index, "bankofamerica", 2, 7));
  // A shared segment alone does not make a candidate when the characters
  // differ by more than two: "wallet" ends both, little else is shared.
  EXPECT_FALSE(Finds(index, "zzzzzqqwallet", 2, 7));
  // Lengths out of reach are not even probed.
  EXPECT_FALSE(index.MayReach(10, 2));
  EXPECT_TRUE(index.MayReach(11, 2));
  EXPECT_FALSE(index.MayReach(11, 1));
}

}  // namespace
}  // namespace lureguard::lookalike::internal
