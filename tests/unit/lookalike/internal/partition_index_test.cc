#include "server/lookalike/internal/partition_index.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/lookalike/internal/edits.h"

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
  EXPECT_TRUE(Finds(index, "myehterwallet", 1, 7));
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
  // Transpositions across both segment boundaries ("myet|herw|allet"),
  // and one across a boundary plus another edit.
  EXPECT_TRUE(Finds(index, "myehterawllet", 2, 7));
  EXPECT_TRUE(Finds(index, "myehterwalet", 2, 7));
  EXPECT_TRUE(Finds(index,
                    "xmyetheraw"
                    "llet",
                    2, 7));
  // A budget of one edit only probes lengths one away.
  EXPECT_FALSE(Finds(index, "etherwallet", 1, 7));
}

TEST(PartitionIndex, FindsTwoTranspositionsOneAcrossABoundary) {
  // "stea|mcomm|unity": 'ea' swapped inside the first segment, 'mu' across
  // the second boundary; no segment of the query is intact.
  const PartitionIndex index = OneKey("steamcommunity", 3);
  EXPECT_TRUE(Finds(index, "staemcomumnity", 2, 3));
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

// One probe stands for a segment of keys of several lengths; an entry of a
// length the budget cannot reach is not returned although its segment is
// intact in the query and the characters agree.
TEST(PartitionIndex, AProbeStandsOnlyForTheLengthsOfItsPlan) {
  PartitionIndex index;
  index.Add("wxyzabcdefgh", 1);   // 12 letters: segment 0 "wxyz"
  index.Add("wxyzabcdefgha", 2);  // 13 letters: segment 0 "wxyz" too
  index.Finish();
  // 14 letters: one edit from key 2, two from key 1.
  EXPECT_TRUE(Finds(index, "wxyzabcdefghab", 1, 2));
  EXPECT_FALSE(Finds(index, "wxyzabcdefghab", 1, 1));
  EXPECT_TRUE(Finds(index, "wxyzabcdefghab", 2, 1));
}

// The probe plans are computed once per query length: every key within the
// budget must still be found, whatever the lengths and the edits.
TEST(PartitionIndex, FindsEveryKeyWithinTheBudgetOfRandomEdits) {
  std::mt19937 random(11);
  std::uniform_int_distribution<int> letter(0, 5), length(12, 30);
  std::vector<std::string> keys;
  PartitionIndex index;
  for (uint32_t id = 0; id < 300; ++id) {
    std::string key;
    for (int i = length(random); i > 0; --i)
      key.push_back('a' + letter(random));
    index.Add(key, id);
    keys.push_back(std::move(key));
  }
  index.Finish();
  int checked = 0;
  for (int round = 0; round < 3000; ++round) {
    const uint32_t id = static_cast<uint32_t>(random() % keys.size());
    std::string query = keys[id];
    for (int e = round % 3; e > 0; --e) {
      const size_t at = random() % query.size();
      switch (random() % 4) {
        case 0:
          query.erase(at, 1);
          break;
        case 1:
          query.insert(query.begin() + at, 'a' + letter(random));
          break;
        case 2:
          if (at + 1 < query.size()) std::swap(query[at], query[at + 1]);
          break;
        default:
          query[at] = 'a' + letter(random);
      }
    }
    for (int budget = 1; budget <= 2; ++budget) {
      if (BoundedEditDistance(query, keys[id], budget) > budget) continue;
      ++checked;
      ASSERT_TRUE(Finds(index, query.c_str(), budget, id))
          << "'" << query << "' misses key '" << keys[id] << "' at budget "
          << budget;
    }
  }
  EXPECT_GT(checked, 3000);
}

// Every string within two edits of a key, not a sample: each deletion,
// insertion, substitution and adjacent transposition, then each of those
// applied to the results, over a small alphabet so that letters repeat.
// Segments are looked for only at the shifts the multi-match-aware
// selection allows, so a lost string would show here.
std::vector<std::string> OneEditAway(const std::string& s,
                                     const std::string& alphabet) {
  std::vector<std::string> out;
  for (size_t at = 0; at <= s.size(); ++at) {
    for (char c : alphabet) {
      out.push_back(s.substr(0, at) + c + s.substr(at));  // insertion
      if (at < s.size() && s[at] != c) {
        std::string t = s;
        t[at] = c;
        out.push_back(t);  // substitution
      }
    }
    if (at < s.size()) out.push_back(s.substr(0, at) + s.substr(at + 1));
    if (at + 1 < s.size()) {
      std::string t = s;
      std::swap(t[at], t[at + 1]);
      out.push_back(t);
    }
  }
  return out;
}

TEST(PartitionIndex, FindsEveryStringWithinTwoEditsOfItsKey) {
  const std::string alphabet = "abcd";
  const std::vector<std::string> keys = {"abcabcabcabc", "aabbccaabbcca",
                                         "abacabacabacab", "cabbacabcabbacb",
                                         "dacbdabcadbcd"};
  PartitionIndex index;
  for (uint32_t id = 0; id < keys.size(); ++id) index.Add(keys[id], id);
  index.Finish();
  int checked = 0;
  for (uint32_t id = 0; id < keys.size(); ++id) {
    for (const std::string& one : OneEditAway(keys[id], alphabet)) {
      for (const std::string& query : OneEditAway(one, alphabet)) {
        const int budget = BoundedEditDistance(query, keys[id], 1) <= 1 ? 1 : 2;
        if (BoundedEditDistance(query, keys[id], 2) > 2) continue;
        ++checked;
        ASSERT_TRUE(Finds(index, query.c_str(), budget, id))
            << "'" << query << "' misses key '" << keys[id] << "' at budget "
            << budget;
      }
    }
  }
  EXPECT_GT(checked, 70000);  // 25,803 distinct strings, with repeats
}

}  // namespace
}  // namespace lureguard::lookalike::internal
