#include "server/lists/internal/json_array_scanner.h"

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lists::internal {
namespace {

using ::testing::ElementsAre;

// Scans `text` in chunks of `chunk` bytes; returns the objects seen, with
// a "!" prefix on oversized ones.
absl::StatusOr<std::vector<std::string>> Scan(absl::string_view text,
                                              size_t chunk,
                                              size_t max_bytes = 1000) {
  JsonArrayScanner scanner(max_bytes);
  std::vector<std::string> objects;
  for (size_t i = 0; i < text.size(); i += chunk) {
    absl::Status s = scanner.Add(
        text.substr(i, chunk), [&](absl::string_view object, bool oversized) {
          objects.push_back((oversized ? "!" : "") + std::string(object));
          return absl::OkStatus();
        });
    if (!s.ok()) return s;
  }
  if (absl::Status s = scanner.Finish(); !s.ok()) return s;
  return objects;
}

TEST(JsonArrayScanner, SplitsObjectsWhateverTheChunkBoundaries) {
  const std::string text =
      "\xEF\xBB\xBF [ {\"a\":\"]}\\\"{\"}, {\"b\":[1,{\"c\":[]}]} ,{}]\n";
  for (size_t chunk : {1, 2, 3, 5, 100}) {
    absl::StatusOr<std::vector<std::string>> objects = Scan(text, chunk);
    ASSERT_TRUE(objects.ok()) << objects.status();
    EXPECT_THAT(*objects,
                ElementsAre(R"({"a":"]}\"{"})", R"({"b":[1,{"c":[]}]})", "{}"))
        << "chunk " << chunk;
  }
}

TEST(JsonArrayScanner, AnEmptyArrayHasNoObjects) {
  absl::StatusOr<std::vector<std::string>> objects = Scan(" [ ] ", 1);
  ASSERT_TRUE(objects.ok()) << objects.status();
  EXPECT_TRUE(objects->empty());
}

TEST(JsonArrayScanner, OversizedObjectsAreCutAndFlagged) {
  absl::StatusOr<std::vector<std::string>> objects =
      Scan(R"([{"a":"0123456789"},{"b":1}])", 3, /*max_bytes=*/8);
  ASSERT_TRUE(objects.ok()) << objects.status();
  EXPECT_THAT(*objects, ElementsAre("!{\"a\":\"01", "{\"b\":1}"));
}

TEST(JsonArrayScanner, StructureErrorsNameTheByte) {
  EXPECT_EQ(Scan("[1]", 1).status().message(),
            "byte 1: expected '{' opening an object, found '1'");
  EXPECT_EQ(Scan("[{} {}]", 1).status().message(),
            "byte 4: expected ',' or ']' after an object, found '{'");
  EXPECT_EQ(Scan("[{\"a\":\"x", 2).status().message(),
            "the input ends after 8 bytes inside the JSON array (0 objects "
            "read): truncated");
  EXPECT_EQ(Scan("\x01", 1).status().message(),
            "byte 0: expected '[' opening a JSON array, found byte 0x01");
}

}  // namespace
}  // namespace lureguard::lists::internal
