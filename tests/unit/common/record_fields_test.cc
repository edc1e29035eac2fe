#include "server/common/record_fields.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/resource_name.h"

namespace lureguard {
namespace {

using ::testing::HasSubstr;

std::vector<std::pair<std::string, std::string>> Fields(
    absl::string_view payload, absl::Status* status) {
  std::vector<std::pair<std::string, std::string>> fields;
  *status = ForEachRecordField(
      payload, "test record",
      [&fields](absl::string_view key, const RecordField& field) {
        fields.emplace_back(std::string(key), field.text);
      });
  return fields;
}

TEST(RecordFields, TextSurvivesNewlinesEqualsAndBinaryBytes) {
  RecordFieldWriter writer;
  const std::string awkward("line1\nkey=value\\\0\xff", 17);
  writer.Text("error", awkward);
  writer.Number("count", -42);
  const std::string payload = std::move(writer).Finish();
  EXPECT_EQ(std::count(payload.begin(), payload.end(), '\n'), 2);

  std::vector<std::pair<std::string, RecordField>> fields;
  ASSERT_TRUE(
      ForEachRecordField(payload, "test record",
                         [&](absl::string_view key, const RecordField& field) {
                           fields.emplace_back(std::string(key), field);
                         })
          .ok());
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].first, "error");
  EXPECT_EQ(fields[0].second.text, awkward);
  EXPECT_FALSE(fields[0].second.is_number);
  EXPECT_EQ(fields[1].first, "count");
  EXPECT_TRUE(fields[1].second.is_number);
  EXPECT_EQ(fields[1].second.number, -42);
}

TEST(RecordFields, EmptyLinesAreSkippedAndBadLinesAreDataLoss) {
  absl::Status status;
  EXPECT_EQ(Fields("\na=1\n\n", &status).size(), 1u);
  EXPECT_TRUE(status.ok());

  Fields("a=1\nno equals sign\n", &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("test record: line without '='"));

  Fields("name=bad\\escape\\\n", &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("bad escape in name"));
}

TEST(ResourceName, AcceptsLowercaseNamesAndSaysWhyOthersFail) {
  EXPECT_TRUE(ValidateResourceName("phishtank").ok());
  EXPECT_TRUE(ValidateResourceName("argon2025h2.us-1_b").ok());
  EXPECT_TRUE(ValidateResourceName(std::string(64, 'a')).ok());

  absl::Status too_long = ValidateResourceName(std::string(65, 'a'));
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_long.message(), "name: must be 1 to 64 characters");
  EXPECT_FALSE(ValidateResourceName("").ok());
  for (absl::string_view bad : {"Upper", "-leading", ".dot", "sp ace", "a/b"}) {
    absl::Status s = ValidateResourceName(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), HasSubstr("must be lowercase letters")) << bad;
  }
}

}  // namespace
}  // namespace lureguard
