#include "server/lists/internal/key_table.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lists::internal {
namespace {

std::vector<uint32_t> Candidates(const KeyTable& table, uint64_t hash) {
  std::vector<uint32_t> refs;
  table.ForEachCandidate(hash, [&](uint32_t ref) { refs.push_back(ref); });
  return refs;
}

TEST(KeyTable, EmptyTableHasNoCandidates) {
  KeyTable table;
  EXPECT_TRUE(table.empty());
  EXPECT_THAT(Candidates(table, KeyTable::Hash("a")), ::testing::IsEmpty());
  table.Build({}, {});
  EXPECT_THAT(Candidates(table, KeyTable::Hash("a")), ::testing::IsEmpty());
}

TEST(KeyTable, EqualHashesAreVisitedNewestFirst) {
  const uint64_t hash = KeyTable::Hash("dup.test");
  KeyTable table;
  table.Build({hash, KeyTable::Hash("other.test"), hash, hash},
              {10, 20, 30, 40});
  EXPECT_THAT(Candidates(table, hash), ::testing::ElementsAre(40, 30, 10));
  EXPECT_THAT(Candidates(table, KeyTable::Hash("other.test")),
              ::testing::ElementsAre(20));
  EXPECT_THAT(Candidates(table, KeyTable::Hash("absent.test")),
              ::testing::IsEmpty());
}

TEST(KeyTable, SameHomeSlotButDifferentCheckBitsIsNoCandidate) {
  // Equal high bits give the same home slot; the low 32 bits differ.
  const uint64_t a = 0xffffffff00000001u;
  const uint64_t b = 0xffffffff00000002u;
  KeyTable table;
  table.Build({a}, {7});
  EXPECT_THAT(Candidates(table, a), ::testing::ElementsAre(7));
  EXPECT_THAT(Candidates(table, b), ::testing::IsEmpty());
}

TEST(KeyTable, ProbingWrapsAroundTheEnd) {
  // The largest hashes' home is the last slot; a run there continues at 0.
  const uint64_t last = UINT64_MAX;
  KeyTable table;
  table.Build({last, last, last}, {1, 2, 3});
  ASSERT_EQ(table.capacity(), 5u);
  EXPECT_THAT(Candidates(table, last), ::testing::ElementsAre(3, 2, 1));
}

TEST(KeyTable, EveryKeyOfAManyEntryTableIsFound) {
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> refs;
  for (uint32_t i = 0; i < 100000; ++i) {
    hashes.push_back(KeyTable::Hash(std::to_string(i)));
    refs.push_back(i);
  }
  KeyTable table;
  table.Build(hashes, refs);
  for (uint32_t i = 0; i < 100000; ++i) {
    ASSERT_THAT(Candidates(table, hashes[i]), ::testing::Contains(i)) << i;
  }
}

}  // namespace
}  // namespace lureguard::lists::internal
