#include "server/service/internal/wire_reader.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace lureguard::service::internal {
namespace {

struct Seen {
  uint32_t number;
  int wire_type;
  std::string payload;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> ReadAll(const std::string& bytes, bool* ok) {
  WireReader reader(bytes);
  WireReader::Field field;
  std::vector<Seen> seen;
  while (reader.Next(field)) {
    seen.push_back({field.number, field.wire_type, std::string(field.payload)});
  }
  *ok = reader.ok();
  return seen;
}

TEST(WireReader, ReportsEachTopLevelFieldInOrder) {
  // 1: "ab", 2: varint 300, 7: group holding 1: "x", 3: "", 5: fixed32.
  const std::string bytes(
      "\x0a\x02"
      "ab"
      "\x10\xac\x02"
      "\x3b\x0a\x01x\x3c"
      "\x1a\x00"
      "\x2d\x01\x02\x03\x04",
      19);
  bool ok = false;
  const std::vector<Seen> seen = ReadAll(bytes, &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(seen,
            (std::vector<Seen>{
                {1, 2, "ab"}, {2, 0, ""}, {7, 3, ""}, {3, 2, ""}, {5, 5, ""}}));
}

TEST(WireReader, StopsAtTheFirstFaultAndSaysSo) {
  bool ok = true;
  // A good field, then a length past the end.
  const std::vector<Seen> seen =
      ReadAll(std::string("\x0a\x01z\x12\x09short", 9), &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(seen, (std::vector<Seen>{{1, 2, "z"}}));
  ReadAll(std::string("\x0c", 1), &ok);  // an end-group tag at the top
  EXPECT_FALSE(ok);
  ReadAll("", &ok);
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace lureguard::service::internal
