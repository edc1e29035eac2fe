#include "server/lists/internal/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lists::internal {
namespace {

using ::testing::ElementsAre;

TEST(ParseCsvRecord, SplitsPlainAndQuotedFields) {
  std::vector<std::string> fields;
  ASSERT_EQ(ParseCsvRecord(R"(1,"a ""b"", c",,"",d )", &fields),
            CsvRecordStatus::kComplete);
  EXPECT_THAT(fields, ElementsAre("1", "a \"b\", c", "", "", "d "));
}

TEST(ParseCsvRecord, AnEmptyRecordIsOneEmptyField) {
  std::vector<std::string> fields;
  ASSERT_EQ(ParseCsvRecord("", &fields), CsvRecordStatus::kComplete);
  EXPECT_THAT(fields, ElementsAre(""));
  ASSERT_EQ(ParseCsvRecord(",", &fields), CsvRecordStatus::kComplete);
  EXPECT_THAT(fields, ElementsAre("", ""));
}

TEST(ParseCsvRecord, AnOpenQuoteAsksForTheNextLine) {
  std::vector<std::string> fields;
  EXPECT_EQ(ParseCsvRecord(R"(1,"two)", &fields), CsvRecordStatus::kOpenQuote);
  EXPECT_EQ(ParseCsvRecord(R"(1,"two "")", &fields),
            CsvRecordStatus::kOpenQuote);
  ASSERT_EQ(ParseCsvRecord("1,\"two\nlines\",3", &fields),
            CsvRecordStatus::kComplete);
  EXPECT_THAT(fields, ElementsAre("1", "two\nlines", "3"));
}

TEST(ParseCsvRecord, StrayQuotesAreMalformed) {
  std::vector<std::string> fields;
  std::string error;
  EXPECT_EQ(ParseCsvRecord(R"(1,ab"c,3)", &fields, &error),
            CsvRecordStatus::kMalformed);
  EXPECT_EQ(error, "field 2: a quote inside an unquoted field");
  EXPECT_EQ(ParseCsvRecord(R"("a"b,3)", &fields, &error),
            CsvRecordStatus::kMalformed);
  EXPECT_EQ(error, "field 1: text after the closing quote");
}

}  // namespace
}  // namespace lureguard::lists::internal
