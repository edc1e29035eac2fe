#include "server/lists/import_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lists {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

absl::StatusOr<ImportResult> ParseAll(absl::string_view format,
                                      absl::string_view text,
                                      bool skip_invalid = false,
                                      size_t chunk_size = 0) {
  ImportParser parser(format, skip_invalid);
  if (chunk_size == 0) chunk_size = text.size() + 1;
  for (size_t i = 0; i < text.size(); i += chunk_size) {
    if (absl::Status s = parser.AddChunk(text.substr(i, chunk_size)); !s.ok()) {
      return s;
    }
  }
  return std::move(parser).Finish();
}

std::vector<std::string> Values(const ImportResult& result) {
  std::vector<std::string> values;
  for (const EntryValue& v : result.entries) values.push_back(v.value);
  return values;
}

TEST(ImportParser, DomainsWithCommentsBlankLinesCrlfAndBom) {
  absl::StatusOr<ImportResult> result = ParseAll(
      "domains", "\xEF\xBB\xBF# a comment\r\nEvil.com\r\n\r\n  b.test  \n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Values(*result), ElementsAre("evil.com", "b.test"));
  EXPECT_EQ(result->entries[0].kind, EntryKind::kDomain);
  EXPECT_EQ(result->format, "domains");
}

TEST(ImportParser, LinesSpanningChunksParseTheSame) {
  const std::string text = "alpha.test\nbeta.test\ngamma.test";
  for (size_t chunk : {1, 2, 3, 7, 100}) {
    absl::StatusOr<ImportResult> result =
        ParseAll("domains", text, false, chunk);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_THAT(Values(*result),
                ElementsAre("alpha.test", "beta.test", "gamma.test"))
        << "chunk size " << chunk;
  }
}

TEST(ImportParser, HostsFileTakesSinkholedNamesOnly) {
  absl::StatusOr<ImportResult> result = ParseAll(
      "hosts",
      "# Title: test\n127.0.0.1 localhost\n0.0.0.0 a.test b.test # two\n"
      "0.0.0.0\tc.test\n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Values(*result), ElementsAre("a.test", "b.test", "c.test"));
  EXPECT_EQ(result->entries[0].kind, EntryKind::kHost);
  absl::StatusOr<ImportResult> bad = ParseAll("hosts", "10.1.2.3 a.test\n");
  EXPECT_EQ(bad.status().message(),
            "line 1: address '10.1.2.3' is not a sinkhole (0.0.0.0, "
            "127.0.0.1)");
}

TEST(ImportParser, UrlListsBecomeUrlPrefixesWithoutTheQuery) {
  absl::StatusOr<ImportResult> result = ParseAll(
      "urls",
      "https://evil.test/login/index.php?user=victim\nhttp://x.test/\n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Values(*result),
              ElementsAre("evil.test/login/index.php", "x.test/"));
  EXPECT_EQ(result->entries[0].kind, EntryKind::kUrlPrefix);
}

TEST(ImportParser, AutoDetectsTheFormatFromTheFirstLine) {
  absl::StatusOr<ImportResult> hosts =
      ParseAll("auto", "# header\n0.0.0.0 a.test\n");
  ASSERT_TRUE(hosts.ok()) << hosts.status();
  EXPECT_EQ(hosts->format, "hosts");
  absl::StatusOr<ImportResult> urls = ParseAll("auto", "http://a.test/x\n");
  ASSERT_TRUE(urls.ok()) << urls.status();
  EXPECT_EQ(urls->format, "urls");
  absl::StatusOr<ImportResult> entries =
      ParseAll("", "a.test\n10.0.0.0/8\nb.test/path/\n");
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(entries->format, "entries");
  EXPECT_THAT(entries->entries,
              ElementsAre(Field(&EntryValue::kind, EntryKind::kDomain),
                          Field(&EntryValue::kind, EntryKind::kIpRange),
                          Field(&EntryValue::kind, EntryKind::kUrlPrefix)));
}

TEST(ImportParser, DuplicatesAreCountedOnce) {
  absl::StatusOr<ImportResult> result =
      ParseAll("domains", "a.test\nA.TEST\na.test.\nb.test\n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Values(*result), ElementsAre("a.test", "b.test"));
  EXPECT_EQ(result->duplicate_count, 2);
}

TEST(ImportParser, AnInvalidLineFailsTheImportAndNamesTheLine) {
  absl::StatusOr<ImportResult> result =
      ParseAll("entries", "good.test\n\n10.0.0.1/8\n");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(),
            "line 3: '10.0.0.1/8': host bits are set; the network is "
            "10.0.0.0/8");
}

TEST(ImportParser, SkipInvalidReportsTheFirstFewReasons) {
  std::string text = "good.test\n";
  for (int i = 0; i < 7; ++i) text += "bad host name\n";
  text += std::string("nul\0byte.test\n", 14);
  absl::StatusOr<ImportResult> result =
      ParseAll("domains", text, /*skip_invalid=*/true);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Values(*result), ElementsAre("good.test"));
  EXPECT_EQ(result->skipped_count, 8);
  ASSERT_EQ(result->skipped_examples.size(), ImportParser::kMaxSkippedExamples);
  EXPECT_THAT(result->skipped_examples[0], ::testing::StartsWith("line 2: "));
}

TEST(ImportParser, OverlongLinesAreRejectedWithoutBufferingThem) {
  std::string text = "a.test\n" + std::string(100000, 'x') + "\nb.test\n";
  absl::StatusOr<ImportResult> strict = ParseAll("domains", text, false, 4096);
  EXPECT_EQ(strict.status().message(), "line 2: longer than 8192 bytes");
  absl::StatusOr<ImportResult> lenient = ParseAll("domains", text, true, 4096);
  ASSERT_TRUE(lenient.ok()) << lenient.status();
  EXPECT_THAT(Values(*lenient), ElementsAre("a.test", "b.test"));
}

TEST(ImportParser, UnknownFormatIsAnError) {
  absl::StatusOr<ImportResult> result = ParseAll("csv-ish", "a.test\n");
  EXPECT_EQ(result.status().message(),
            "format: unknown format 'csv-ish' (known: auto, entries, "
            "domains, hosts, urls, phishtank-csv, phishtank-json, "
            "urlhaus-csv, adblock)");
}

}  // namespace
}  // namespace lureguard::lists
