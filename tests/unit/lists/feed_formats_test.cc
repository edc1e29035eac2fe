// Feed formats of ImportParser on the real feed samples in
// ../shared/data/feeds/ and on hostile input. The expected counts were
// checked independently with Python's csv/json/urllib on the same files.

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/import_parser.h"

namespace lureguard::lists {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr size_t kChunkSizes[] = {1, 7, 4096};

absl::StatusOr<ImportResult> ParseAll(absl::string_view format,
                                      absl::string_view text,
                                      bool skip_invalid = true,
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

std::vector<std::string> FirstValues(const ImportResult& result, size_t n) {
  std::vector<std::string> values = Values(result);
  values.resize(std::min(n, values.size()));
  return values;
}

int CountKind(const ImportResult& result, EntryKind kind) {
  int count = 0;
  for (const EntryValue& v : result.entries) count += v.kind == kind;
  return count;
}

// The sample's bytes, or nullopt when the shared data set is absent.
std::optional<std::string> ReadSample(absl::string_view name) {
  std::ifstream in(absl::StrCat(LUREGUARD_DATA_DIR, "/feeds/", name),
                   std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

#define READ_SAMPLE_OR_SKIP(var, name)                                        \
  std::optional<std::string> var = ReadSample(name);                          \
  if (!var) {                                                                 \
    GTEST_SKIP() << "feed sample " << LUREGUARD_DATA_DIR << "/feeds/" << name \
                 << " is absent (shared data set not installed)";             \
  }

// Every sample must give the same result in auto mode and with its named
// format, at every chunk size.
struct SampleCase {
  const char* file;
  const char* format;
  size_t entries;
  int64_t duplicates;
  int64_t skipped;
  std::vector<std::string> first;
  std::string last;
  EntryKind first_kind;
  std::string threat_hint;
};

class FeedSampleTest : public ::testing::TestWithParam<SampleCase> {};

TEST_P(FeedSampleTest, ParsesTheRealSampleInAnyChunkSize) {
  const SampleCase& c = GetParam();
  READ_SAMPLE_OR_SKIP(text, c.file);
  for (absl::string_view format :
       {absl::string_view("auto"), absl::string_view(c.format)}) {
    for (size_t chunk : kChunkSizes) {
      SCOPED_TRACE(absl::StrCat(c.file, " as ", format, ", chunk ", chunk));
      absl::StatusOr<ImportResult> result =
          ParseAll(format, *text, /*skip_invalid=*/false, chunk);
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->format, c.format);
      EXPECT_EQ(result->entries.size(), c.entries);
      EXPECT_EQ(result->duplicate_count, c.duplicates);
      EXPECT_EQ(result->skipped_count, c.skipped);
      EXPECT_EQ(FirstValues(*result, c.first.size()), c.first);
      EXPECT_EQ(Values(*result).back(), c.last);
      EXPECT_EQ(result->entries.front().kind, c.first_kind);
      EXPECT_EQ(result->threat_hint, c.threat_hint);
      // What a feed of this sample lists when its admin does not say.
      EXPECT_EQ(DefaultThreatType(result->format),
                c.threat_hint == "malware" ? store::ThreatType::kMalware
                                           : store::ThreatType::kPhishing);
    }
  }
}

TEST(DefaultThreatType, UrlhausFormatsListMalwareEveryOtherPhishing) {
  EXPECT_EQ(DefaultThreatType("urlhaus-csv"), store::ThreatType::kMalware);
  for (absl::string_view format :
       {"auto", "domains", "hosts", "urls", "entries", "phishtank-csv",
        "phishtank-json", "adblock"}) {
    EXPECT_EQ(DefaultThreatType(format), store::ThreatType::kPhishing)
        << format;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Samples, FeedSampleTest,
    ::testing::Values(
        SampleCase{"openphish-sample.txt",
                   "urls",
                   300,
                   0,
                   0,
                   {"api.msuto.com/", "send-usdt-9999.netlify.app/",
                    "send-usdt-1-chi.vercel.app/",
                    // "https://dau-ug-...vercel.app/?naps": query dropped.
                    "dau-ug-koreatyujdjhdjuuej6664746637-chi.vercel.app/"},
                   "gleeful-mousse-699032.netlify.app/",
                   EntryKind::kUrlPrefix,
                   ""},
        SampleCase{
            "phishtank-sample.csv",
            "phishtank-csv",
            295,
            5,
            0,
            {"attmailgfedrternbqwjhkmbfgpktygfghtdm.weebly.com/",
             "binjolafilms.com/", "aeonxq.tokyo/jp/login", "lnkd.in/eZcmUWpr",
             // Its row ends in the quoted target "ING Direct".
             "notificaciones.wpengine.com/cor/Correosss/"
             "Seleccione_medio_de_pago.php"},
            "domianserverc33.firebaseapp.com/",
            EntryKind::kUrlPrefix,
            "phishing"},
        SampleCase{
            "phishtank-sample.json",
            "phishtank-json",
            3,
            0,
            0,
            {"tunahrtjanzak2.web.app/", "tunahrtjanzak2.firebaseapp.com/",
             "tunahrtjanzak3.web.app/"},
            "tunahrtjanzak3.web.app/",
            EntryKind::kUrlPrefix,
            "phishing"},
        SampleCase{"phishtank-sample-converted-from-csv.json",
                   "phishtank-json",
                   197,
                   3,
                   0,
                   {"attmailgfedrternbqwjhkmbfgpktygfghtdm.weebly.com/",
                    "binjolafilms.com/", "aeonxq.tokyo/jp/login"},
                   "cssogrdtedadyrealpassso.firebaseapp.com/",
                   EntryKind::kUrlPrefix,
                   "phishing"},
        SampleCase{"urlhaus-sample.csv",
                   "urlhaus-csv",
                   10,
                   0,
                   0,
                   // The port of "http://120.84.215.27:44835/i" is not part
                   // of a Safe Browsing expression.
                   {"120.84.215.27/i", "176.65.139.212/eclipse.sh4"},
                   "176.65.139.212/eclipse.i686",
                   EntryKind::kUrlPrefix,
                   "malware"},
        SampleCase{"urlhaus-sample-rows.csv",
                   "urlhaus-csv",
                   300,
                   0,
                   0,
                   {"117.209.87.242/bin.sh", "125.43.33.121/i"},
                   "117.209.94.161/i",
                   EntryKind::kUrlPrefix,
                   "malware"},
        SampleCase{"hosts-sample.txt",
                   "hosts",
                   301,
                   0,
                   0,
                   {"0-google.com", "007-dvd.com", "0xf.org"},
                   "aitcmr.en.ecplaza.net",
                   EntryKind::kHost,
                   ""},
        SampleCase{
            "hosts-sample-urlhaus-filter.txt",
            "hosts",
            300,
            0,
            0,
            {"0022a601.pphost.net"},
            "bafybeidvf6tytrspkd4wnvxzs23m3kjr6bfvgszbfwybmmcosl4rrhvuo4."
            "ipfs.dweb.link",
            EntryKind::kHost,
            ""},
        SampleCase{"adblock-sample.txt",
                   "adblock",
                   290,
                   10,
                   0,
                   {"0022a601.pphost.net",
                    "038d159d-b3bc-44dd-a0c4-bec68c0c4123.random.bb2023."
                    "duckdns.org"},
                   "cdn.discordapp.com/attachments/1354952311923015761/"
                   "1362602137682448545/new_folder.zip",
                   EntryKind::kDomain,
                   ""},
        SampleCase{"ublock-sample-openphish.txt",
                   "adblock",
                   300,
                   0,
                   0,
                   {"mailupdate45.wixsite.com",
                    "pub-cfe3b618b25d4e3e9bfd6f4f7e843cca.r2.dev"},
                   "updatemail12.wixsite.com",
                   EntryKind::kDomain,
                   ""}),
    [](const ::testing::TestParamInfo<SampleCase>& param_info) {
      std::string name = param_info.param.file;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(FeedFormats, AdblockHostRulesAreDomainsAndIpHostsAreRanges) {
  READ_SAMPLE_OR_SKIP(text, "adblock-sample.txt");
  absl::StatusOr<ImportResult> result = ParseAll("adblock", *text);
  ASSERT_TRUE(result.ok()) << result.status();
  // 150 "||host^$all" rules: 6 names and 144 IPv4 hosts; 150 path rules
  // that shrink to 140 URL prefixes once their queries are dropped and
  // "advertipros.com//" is canonicalized to "advertipros.com/".
  EXPECT_EQ(CountKind(*result, EntryKind::kDomain), 6);
  EXPECT_EQ(CountKind(*result, EntryKind::kIpRange), 144);
  EXPECT_EQ(CountKind(*result, EntryKind::kUrlPrefix), 140);
  EXPECT_EQ(result->entries[6].kind, EntryKind::kIpRange);
  EXPECT_EQ(result->entries[6].value, "1.0.209.238/32");
}

TEST(FeedFormats, UblockPathRulesAreUrlPrefixes) {
  READ_SAMPLE_OR_SKIP(text, "ublock-sample-openphish.txt");
  absl::StatusOr<ImportResult> result = ParseAll("adblock", *text);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(CountKind(*result, EntryKind::kDomain), 290);
  EXPECT_EQ(CountKind(*result, EntryKind::kUrlPrefix), 10);
  EXPECT_EQ(result->entries[13].value, "radiosatelit.ro/impots.gouv/new/app");
  EXPECT_EQ(result->entries[13].kind, EntryKind::kUrlPrefix);
}

TEST(FeedFormats, UrlhausOfflineRowsAreSkippedWithTheReason) {
  READ_SAMPLE_OR_SKIP(text, "urlhaus-sample.csv");
  // Rows 2 and 4 of the real dump (file lines 11 and 13) turned offline.
  std::vector<std::string> lines = absl::StrSplit(*text, '\n');
  for (size_t line : {10, 12}) {
    lines[line] =
        absl::StrReplaceAll(lines[line], {{"\"online\"", "\"offline\""}});
  }
  absl::StatusOr<ImportResult> result =
      ParseAll("urlhaus-csv", absl::StrJoin(lines, "\n"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->entries.size(), 8);
  EXPECT_EQ(result->skipped_count, 2);
  EXPECT_THAT(result->skipped_examples,
              ElementsAre("line 11: URL is offline (url_status 'offline')",
                          "line 13: URL is offline (url_status 'offline')"));
  absl::StatusOr<ImportResult> strict =
      ParseAll("urlhaus-csv", absl::StrJoin(lines, "\n"), false);
  EXPECT_EQ(strict.status().message(),
            "line 11: URL is offline (url_status 'offline')");
}

TEST(FeedFormats, PhishtankRowsNotVerifiedOrOfflineAreSkipped) {
  const std::string csv =
      "phish_id,url,phish_detail_url,submission_time,verified,"
      "verification_time,online,target\n"
      "1,https://a.test/x,http://d/1,t,yes,t,yes,Other\n"
      "2,https://b.test/x,http://d/2,t,no,t,yes,\"eBay, Inc.\"\n"
      "3,https://c.test/x,http://d/3,t,yes,t,no,Other\n";
  absl::StatusOr<ImportResult> result = ParseAll("auto", csv);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->format, "phishtank-csv");
  EXPECT_THAT(Values(*result), ElementsAre("a.test/x"));
  EXPECT_THAT(
      result->skipped_examples,
      ElementsAre(
          "line 3: not verified as phishing by PhishTank (verified 'no')",
          "line 4: offline (online 'no')"));
  const std::string json =
      R"([{"url":"https:\/\/a.test\/x?id=1","verified":"yes","online":"yes"},)"
      R"({"url":"https://b.test/","verified":"no"},)"
      R"({"phish_id":3},)"
      R"({"url":"https://\u00e9t\u00e9.test/p\u00e4th"}])";
  absl::StatusOr<ImportResult> parsed = ParseAll("auto", json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(Values(*parsed),
              ElementsAre("a.test/x", "xn--t-9fab.test/p%C3%A4th"));
  EXPECT_THAT(
      parsed->skipped_examples,
      ElementsAre(
          "record 2: not verified as phishing by PhishTank (verified 'no')",
          "record 3: the object has no \"url\" string"));
}

TEST(FeedFormats, AdblockRulesOtherThanHostRulesAreSkippedWithReasons) {
  const std::string rules =
      "[Adblock Plus 2.0]\n"
      "! Title: test\n"
      "||evil.test^\n"
      "||www.evil.test^$document,third-party\n"
      "||evil.test/login/^$all\n"
      "@@||good.test^\n"
      "example.test##.banner\n"
      "||*.evil.test^\n"
      "|https://evil.test/\n"
      "||evil2.test^$badfilter\n"
      "/ads[0-9]+/\n"
      "||evil.test/a^b\n"
      "||EVIL.test^|\n";
  absl::StatusOr<ImportResult> result = ParseAll("auto", rules);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->format, "adblock");
  EXPECT_THAT(Values(*result),
              ElementsAre("evil.test", "www.evil.test", "evil.test/login/"));
  EXPECT_EQ(result->duplicate_count, 1);
  EXPECT_EQ(result->skipped_count, 7);
  EXPECT_THAT(
      result->skipped_examples,
      ElementsAre(
          "line 6: exception rule ('@@'): allow rules are not imported",
          "line 7: cosmetic rule: only '||host^' network rules are imported",
          "line 8: wildcard '*' rules are not imported",
          "line 9: not a '||host^' rule: only host and host/path rules are "
          "imported",
          "line 10: '$badfilter' cancels another rule; not imported"));
}

TEST(FeedFormats, AutoDetectsEachFormatFromItsFirstLines) {
  struct Case {
    std::string text;
    std::string format;
  };
  for (const Case& c : std::vector<Case>{
           {"||a.test^\n", "adblock"},
           {"! Title: x\na.test\n", "adblock"},
           {"[Adblock Plus 2.0]\n||a.test^\n", "adblock"},
           {"  [ {\"url\": \"http://a.test/\"} ]", "phishtank-json"},
           {"\xEF\xBB\xBF[]", "phishtank-json"},
           {"phish_id,url,online\n1,http://a.test/,yes\n", "phishtank-csv"},
           {"id,dateadded,url,url_status\n\"1\",\"d\",\"http://a.test/\","
            "\"online\"\n",
            "urlhaus-csv"},
           {"#####\n# id,dateadded,url,url_status,threat\n", "urlhaus-csv"},
           {"# hosts\n0.0.0.0 a.test\n", "hosts"},
           {"http://a.test/x\n", "urls"},
           {"a.test\n", "entries"},
       }) {
    for (size_t chunk : kChunkSizes) {
      absl::StatusOr<ImportResult> result =
          ParseAll("auto", c.text, true, chunk);
      ASSERT_TRUE(result.ok()) << c.text << ": " << result.status();
      EXPECT_EQ(result->format, c.format) << c.text << " chunk " << chunk;
      EXPECT_LE(result->entries.size(), 1u);
    }
  }
}

TEST(FeedFormats, CsvHeaderWithoutTheUrlColumnIsAnErrorNamingIt) {
  for (bool skip_invalid : {false, true}) {
    absl::StatusOr<ImportResult> result =
        ParseAll("phishtank-csv",
                 "phish_id,link,verified,online\n1,http://a.test/,yes,yes\n",
                 skip_invalid);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().message(),
              "line 1: phishtank-csv header has no 'url' column (columns: "
              "phish_id, link, verified, online)");
  }
  // URLhaus rows with their header comment cut off: the first row is read
  // as the header, and it has no "url" column.
  absl::StatusOr<ImportResult> headless = ParseAll(
      "urlhaus-csv",
      "# abuse.ch URLhaus\n\"1\",\"d\",\"http://a.test/\",\"online\"\n");
  EXPECT_THAT(std::string(headless.status().message()),
              StartsWith("line 2: urlhaus-csv header has no 'url' column "
                         "(columns: 1, d, http://a.test/, online)"));
  absl::StatusOr<ImportResult> generic =
      ParseAll("auto", "name,url\nx,http://a.test/\n");
  EXPECT_THAT(std::string(generic.status().message()),
              HasSubstr("neither PhishTank's 'phish_id' nor URLhaus's "
                        "'url_status'"));
}

TEST(FeedFormats, AnHtmlErrorPageIsAnErrorNotAnEmptyList) {
  const std::string page =
      "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
      "<body>nginx</body></html>\n";
  for (absl::string_view format : {"phishtank-csv", "urlhaus-csv", "urls",
                                   "domains", "hosts", "adblock"}) {
    absl::StatusOr<ImportResult> result = ParseAll(format, page, true);
    EXPECT_EQ(
        result.status().message(),
        absl::StrCat("line 1: an HTML or XML page, not a ", format, " list"));
  }
  EXPECT_EQ(ParseAll("auto", page).status().message(),
            "line 1: an HTML or XML page, not a list in a known format");
  EXPECT_EQ(ParseAll("phishtank-json", page).status().message(),
            "phishtank-json: an HTML or XML page, not a JSON array");
}

TEST(FeedFormats, BrokenOrTruncatedJsonIsAnError) {
  EXPECT_EQ(ParseAll("phishtank-json", R"({"url":"http://a.test/"})")
                .status()
                .message(),
            "phishtank-json: byte 0: expected '[' opening a JSON array, "
            "found '{'");
  EXPECT_EQ(ParseAll("phishtank-json", R"([{"url":"http://a.test/"},])")
                .status()
                .message(),
            "phishtank-json: byte 26: expected '{' opening an object, "
            "found ']'");
  EXPECT_EQ(ParseAll("phishtank-json", R"([{"url":"http://a.test/"}] x)")
                .status()
                .message(),
            "phishtank-json: byte 27: expected nothing after the array's "
            "closing ']', found 'x'");
  EXPECT_EQ(ParseAll("phishtank-json", "").status().message(),
            "phishtank-json: empty input: expected a JSON array");
  READ_SAMPLE_OR_SKIP(text, "phishtank-sample.json");
  const std::string truncated = text->substr(0, text->size() - 200);
  for (size_t chunk : kChunkSizes) {
    EXPECT_EQ(
        ParseAll("auto", truncated, true, chunk).status().message(),
        absl::StrCat("phishtank-json: the input ends after ", truncated.size(),
                     " bytes inside the JSON array (2 objects read): "
                     "truncated"));
  }
}

TEST(FeedFormats, AnInvalidJsonObjectIsSkippedAndTheScanGoesOn) {
  absl::StatusOr<ImportResult> result = ParseAll(
      "phishtank-json",
      R"([{"url": "http://a.test/"}, {"url": tru}, {"url": "http://b.test/"}])");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(Values(*result), ElementsAre("a.test/", "b.test/"));
  ASSERT_EQ(result->skipped_examples.size(), 1u);
  EXPECT_THAT(result->skipped_examples[0],
              StartsWith("record 2: invalid JSON: "));
  std::string huge =
      absl::StrCat(R"([{"url":"http://a.test/","pad":")",
                   std::string(100000, 'x'), R"("},{"url":"http://b.test/"}])");
  absl::StatusOr<ImportResult> big =
      ParseAll("phishtank-json", huge, true, 4096);
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_THAT(Values(*big), ElementsAre("b.test/"));
  EXPECT_THAT(big->skipped_examples,
              ElementsAre("record 1: longer than 65536 bytes"));
}

TEST(FeedFormats, CsvQuotedFieldsMaySpanLinesAndHoldCommasAndQuotes) {
  const std::string csv =
      "phish_id,url,target\r\n"
      "1,\"https://a.test/x\",\"Line one\r\nline \"\"two\"\", with comma\"\r\n"
      "2,https://b.test/y,Other\r\n";
  for (size_t chunk : kChunkSizes) {
    absl::StatusOr<ImportResult> result =
        ParseAll("phishtank-csv", csv, false, chunk);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_THAT(Values(*result), ElementsAre("a.test/x", "b.test/y"));
  }
}

TEST(FeedFormats, CsvRowsWithAnOpenQuoteOrWrongFieldCountAreSkipped) {
  const std::string csv =
      "phish_id,url,target\n"
      "1,https://a.test/x,Other,extra\n"
      "2,https://b.test/\"y,Other\n"
      "3,https://c.test/z,\"Other\n";  // truncated inside the quotes
  absl::StatusOr<ImportResult> result = ParseAll("phishtank-csv", csv);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->entries.empty());
  EXPECT_THAT(
      result->skipped_examples,
      ElementsAre("line 2: row has 4 fields; the header names 3",
                  "line 3: malformed CSV: field 2: a quote inside an unquoted "
                  "field",
                  "line 4: a quoted field is not closed at the end of the "
                  "input"));
}

TEST(FeedFormats, HostileLinesAreSkippedWithReasons) {
  std::string text = "\xEF\xBB\xBFhttps://ok.test/a\r\n";
  text += "https://" + std::string(9000, 'x') + ".test/\n";
  text += std::string("https://nul\0.test/\n", 19);
  text += "https://bad\xC3\x28.test/\n";
  text += "https://over\xC0\xAF.test/\n";
  text += "https://ok.test/last";  // no final newline
  for (size_t chunk : kChunkSizes) {
    absl::StatusOr<ImportResult> result = ParseAll("urls", text, true, chunk);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_THAT(Values(*result), ElementsAre("ok.test/a", "ok.test/last"));
    EXPECT_THAT(
        result->skipped_examples,
        ElementsAre("line 2: longer than 8192 bytes",
                    "line 3: contains a NUL byte", "line 4: not valid UTF-8",
                    "line 5: not valid UTF-8"));
  }
}

TEST(FeedFormats, TruncatedLastLineOfARealFeedStillParses) {
  READ_SAMPLE_OR_SKIP(text, "urlhaus-sample-rows.csv");
  // Cut inside the last row's last quoted field: that row is skipped, the
  // rest stand.
  std::string cut = text->substr(0, text->rfind("geenensp") + 3);
  absl::StatusOr<ImportResult> result = ParseAll("auto", cut);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->entries.size(), 299u);
  EXPECT_THAT(result->skipped_examples,
              ElementsAre("line 301: a quoted field is not closed at the end "
                          "of the input"));
}

TEST(FeedFormats, UnknownFormatListsTheKnownOnes) {
  EXPECT_EQ(ParseAll("csv", "a\n").status().message(),
            "format: unknown format 'csv' (known: auto, entries, domains, "
            "hosts, urls, phishtank-csv, phishtank-json, urlhaus-csv, "
            "adblock)");
}

}  // namespace
}  // namespace lureguard::lists
