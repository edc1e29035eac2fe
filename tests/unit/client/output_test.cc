#include "client/output.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.pb.h"
#include "lureguard/v1/url_service.pb.h"

namespace lureguard::cli {
namespace {

TEST(TableWriter, AlignsColumnsWithThreeSpacesAndNoTrailingBlanks) {
  std::ostringstream out;
  TableWriter table(out, {"ID", "VALUE", "REASON"});
  table.AddRow({"1", "evil.example", "kit"});
  table.AddRow({"12345", "a.example", "-"});
  table.Flush();
  EXPECT_EQ(out.str(),
            "ID      VALUE          REASON\n"
            "1       evil.example   kit\n"
            "12345   a.example      -\n");
  EXPECT_EQ(table.rows_written(), 2u);
}

TEST(TableWriter, WritesHeaderOnceAndWidensLaterBatches) {
  std::ostringstream out;
  TableWriter table(out, {"A", "B"});
  table.Flush();  // nothing buffered: no header either
  EXPECT_EQ(out.str(), "");
  table.AddRow({"x", "1"});
  table.Flush();
  table.AddRow({"longer", "2"});
  table.Flush();
  EXPECT_EQ(out.str(),
            "A   B\n"
            "x   1\n"
            "longer   2\n");
}

TEST(TableWriter, CountsUtf8CodePointsForWidth) {
  std::ostringstream out;
  TableWriter table(out, {"HOST", "X"});
  table.AddRow(
      {"b\xC3\xBC"
       "cher.example",
       "1"});  // "bücher.example"
  table.AddRow({"a", "2"});
  table.Flush();
  EXPECT_EQ(out.str(),
            "HOST             X\n"
            "b\xC3\xBC"
            "cher.example   1\n"
            "a                2\n");
}

TEST(WriteJsonLine, UsesProto3JsonNamesOneObjectPerLine) {
  lureguard::v1::CheckUrlResponse r;
  r.set_url("http://evil.example/");
  r.set_canonical_url("http://evil.example/");
  r.mutable_verdict()->set_action(lureguard::v1::BLOCK);
  r.mutable_verdict()->set_score(0.5);
  r.mutable_verdict()->mutable_cache_ttl()->set_seconds(300);
  std::ostringstream out;
  ASSERT_TRUE(WriteJsonLine(r, out).ok());
  EXPECT_EQ(out.str(),
            "{\"verdict\":{\"action\":\"BLOCK\",\"score\":0.5,"
            "\"cacheTtl\":\"300s\"},\"canonicalUrl\":\"http://evil.example/\","
            "\"url\":\"http://evil.example/\"}\n");
}

TEST(WriteJsonLine, OmitsDefaultsAndQuotesInt64) {
  lureguard::v1::ListEntry e;
  e.set_id(7);
  std::ostringstream out;
  ASSERT_TRUE(WriteJsonLine(e, out).ok());
  EXPECT_EQ(out.str(), "{\"id\":\"7\"}\n");
}

TEST(WriteKeyValues, AlignsValuesAfterTheLongestKey) {
  std::ostringstream out;
  WriteKeyValues({{"format", "domains"}, {"duplicates", "3"}}, out);
  EXPECT_EQ(out.str(),
            "format:     domains\n"
            "duplicates: 3\n");
}

TEST(FormatReasons, ListsCodesWithWhatMatched) {
  lureguard::v1::Verdict v;
  EXPECT_EQ(FormatReasons(v), "-");
  auto* r = v.add_reasons();
  r->set_code(lureguard::v1::BLOCKLIST_MATCH);
  r->set_matched("evil.example");
  v.add_reasons()->set_code(lureguard::v1::URL_USERINFO);
  v.add_reasons()->set_code(static_cast<lureguard::v1::ReasonCode>(999));
  EXPECT_EQ(FormatReasons(v),
            "BLOCKLIST_MATCH(evil.example), URL_USERINFO, REASON_999");
}

TEST(Formatting, ScoresTimestampsAndBytes) {
  EXPECT_EQ(FormatScore(0.8749), "0.87");
  EXPECT_EQ(FormatScore(1), "1.00");
  google::protobuf::Timestamp t;
  t.set_seconds(1714564800);
  EXPECT_EQ(FormatTimestamp(t), "2024-05-01T12:00:00Z");
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(uint64_t{3} << 20), "3.0 MiB");
  EXPECT_EQ(FormatBytes(uint64_t{5} << 30), "5.0 GiB");
  EXPECT_EQ(DisplayWidth("\xD0\xB0\xD1\x80"), 2u);  // Cyrillic "ар"
}

}  // namespace
}  // namespace lureguard::cli
