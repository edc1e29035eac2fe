#include "server/login/breached_passwords.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/login/breached_password_import.h"
#include "tests/fakes/faulty_file_system.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::login {
namespace {

using ::testing::HasSubstr;

// The example answer for `GET /range/21BD1` in the Pwned Passwords API
// documentation (haveibeenpwned.com/API/v3#SearchingPwnedPasswordsByRange),
// first lines.
constexpr char kDocumentedRange[] =
    "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n"
    "00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2\r\n"
    "011053FD0102E94D6AE2F8B83D76FAF94F6:1\r\n"
    "012A7CA357541F0AC487871FEEC1891C49C:2\r\n"
    "0136E006E24E7D152139815FB0FC6A50B15:2";

// SHA-1("password"), the most documented hash there is.
constexpr char kPasswordSha1[] = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";

class BreachedPasswordsTest : public ::testing::Test {
 protected:
  std::string StorePath() const { return dir_.path() + "/breached.lgpw"; }

  // Imports `text` in `chunk`-byte pieces (with `prefix` for per-prefix
  // lines) into the store at StorePath(), merging with `existing`.
  absl::StatusOr<int64_t> Import(
      absl::string_view text, absl::string_view prefix = "",
      const BreachedPasswordStore* existing = nullptr, size_t chunk = 7,
      size_t run_bytes = 1 << 20) {
    BreachedPasswordImporter importer(
        {.work_dir = dir_.path(), .run_bytes = run_bytes});
    if (absl::Status s = importer.SetPrefix(prefix); !s.ok()) return s;
    for (size_t i = 0; i < text.size(); i += chunk) {
      if (absl::Status s = importer.Add(text.substr(i, chunk)); !s.ok()) {
        return s;
      }
    }
    return importer.Finish(existing, StorePath(), absl::FromUnixSeconds(1e9));
  }

  std::unique_ptr<BreachedPasswordStore> Open() {
    absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> store =
        BreachedPasswordStore::Open(StorePath());
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  static std::string Body(const BreachedPasswordStore* store,
                          absl::string_view prefix, bool padding = false) {
    std::mt19937_64 random(42);
    absl::StatusOr<std::string> body =
        RangeBody(store, prefix, padding, [&] { return random(); });
    EXPECT_TRUE(body.ok()) << body.status();
    return body.value_or("");
  }

  testing::TempDir dir_;
};

TEST_F(BreachedPasswordsTest, RangeIsByteCompatibleWithTheDocumentedAnswer) {
  // The same hashes as full SHA1:COUNT lines, out of order, LF endings.
  std::string full;
  std::vector<std::string> lines = absl::StrSplit(kDocumentedRange, "\r\n");
  std::reverse(lines.begin(), lines.end());
  for (const std::string& line : lines)
    absl::StrAppend(&full, "21BD1", line, "\n");
  ASSERT_EQ(*Import(full), 5);
  std::unique_ptr<BreachedPasswordStore> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Body(store.get(), "21BD1"), kDocumentedRange);
  EXPECT_EQ(Body(store.get(), "21bd1"), kDocumentedRange);  // either case
  EXPECT_EQ(Body(store.get(), "21BD0"), "");
  EXPECT_EQ(Body(store.get(), "21BD2"), "");
}

TEST_F(BreachedPasswordsTest, PerPrefixFilesImportLikeTheRangeTheyCameFrom) {
  // A per-prefix file is exactly a range answer: CRLF, no final newline.
  ASSERT_EQ(*Import(kDocumentedRange, "21bd1"), 5);
  std::unique_ptr<BreachedPasswordStore> store = Open();
  EXPECT_EQ(Body(store.get(), "21BD1"), kDocumentedRange);
  EXPECT_EQ(
      store->Lookup(*ParseSha1Hex("21BD10018A45C4D1DEF81644B54AB7F969B88D65")),
      1u);
  EXPECT_EQ(
      store->Lookup(*ParseSha1Hex("21BD100D4F6E8FA6EECAD2A3AA415EEC418D38EC")),
      2u);
  EXPECT_EQ(store->Lookup(*ParseSha1Hex(kPasswordSha1)), std::nullopt);
}

TEST_F(BreachedPasswordsTest, PaddingFillsTo800To1000SortedZeroCountLines) {
  ASSERT_TRUE(Import(kDocumentedRange, "21BD1").ok());
  std::unique_ptr<BreachedPasswordStore> store = Open();
  const std::string body = Body(store.get(), "21BD1", /*padding=*/true);
  std::vector<std::string> lines = absl::StrSplit(body, "\r\n");
  EXPECT_GE(lines.size(), 800u);
  EXPECT_LE(lines.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  int real = 0;
  for (const std::string& line : lines) {
    ASSERT_EQ(line.size() > 36 ? line[35] : ' ', ':') << line;
    for (int i = 0; i < 35; ++i) {
      ASSERT_TRUE(absl::ascii_isxdigit(line[i]) &&
                  !absl::ascii_islower(line[i]))
          << line;
    }
    if (!absl::EndsWith(line, ":0")) ++real;
  }
  EXPECT_EQ(real, 5);
  for (absl::string_view line : absl::StrSplit(kDocumentedRange, "\r\n")) {
    EXPECT_THAT(body, HasSubstr(line));
  }
  // Without a store the padding still answers, as the public API does for
  // a prefix it has nothing under.
  std::vector<std::string> empty =
      absl::StrSplit(Body(nullptr, "FFFFF", true), "\r\n");
  EXPECT_GE(empty.size(), 800u);
}

TEST_F(BreachedPasswordsTest, BadPrefixIsInvalidArgumentNamingTheField) {
  for (absl::string_view prefix : {"", "21BD", "21BD1A", "21BG1"}) {
    absl::StatusOr<std::string> body =
        RangeBody(nullptr, prefix, false, [] { return uint64_t{0}; });
    EXPECT_EQ(body.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(body.status().message(), HasSubstr("prefix: "));
  }
}

TEST_F(BreachedPasswordsTest, ImportMergesWithTheCurrentStoreKeepingMaxCounts) {
  ASSERT_TRUE(Import(absl::StrCat(kPasswordSha1, ":100\r\n")).ok());
  std::unique_ptr<BreachedPasswordStore> first = Open();
  // Runs of 1 KiB force several sorted runs and a real k-way merge.
  std::string many;
  std::mt19937_64 random(7);
  for (int i = 0; i < 2000; ++i) {
    absl::StrAppend(&many, absl::Hex(random(), absl::kZeroPad16),
                    absl::Hex(random(), absl::kZeroPad16),
                    absl::Hex(random() >> 32, absl::kZeroPad8), ":", i + 1,
                    "\n");
  }
  absl::StrAppend(&many, absl::AsciiStrToLower(kPasswordSha1), ":9545824\n");
  absl::StatusOr<int64_t> total =
      Import(many, "", first.get(), /*chunk=*/4096, /*run_bytes=*/1024);
  ASSERT_TRUE(total.ok()) << total.status();
  EXPECT_EQ(*total, 2001);
  first.reset();
  std::unique_ptr<BreachedPasswordStore> merged = Open();
  EXPECT_EQ(merged->size(), 2001);
  EXPECT_EQ(merged->Lookup(*ParseSha1Hex(kPasswordSha1)), 9545824u);
  // Every record comes back in ascending order.
  Sha1 previous{};
  int64_t seen = 0;
  merged->ForEach([&](const Sha1& hash, uint32_t) {
    if (seen++ > 0) {
      EXPECT_LT(previous, hash);
    }
    previous = hash;
  });
  EXPECT_EQ(seen, 2001);
  EXPECT_EQ(merged->update_time(), absl::FromUnixSeconds(1e9));
  // No run files are left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(BreachedPasswordsTest, AnImportAbandonedBeforeTheSwapKeepsTheOldStore) {
  ASSERT_TRUE(Import(absl::StrCat(kPasswordSha1, ":100\n")).ok());
  BreachedPasswordImporter importer({.work_dir = dir_.path()});
  ASSERT_TRUE(
      importer.Add("0000000000000000000000000000000000000001:5\n").ok());
  int asked = 0;
  absl::StatusOr<int64_t> total = importer.Finish(
      Open().get(), StorePath(), absl::FromUnixSeconds(2e9), [&asked] {
        ++asked;
        return false;
      });
  EXPECT_EQ(total.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(asked, 1);
  std::unique_ptr<BreachedPasswordStore> kept = Open();
  EXPECT_EQ(kept->size(), 1);
  EXPECT_EQ(kept->update_time(), absl::FromUnixSeconds(1e9));
  // Neither the half-written store nor the runs stay.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(names, ::testing::ElementsAre("breached.lgpw"));
}

TEST_F(BreachedPasswordsTest, LeftoversOfDeadImportersAreRemovedAndOthersKept) {
  // A process that has exited: its pid names no running process (until
  // reused, which this test cannot rule out but never sees in practice
  // within its own lifetime).
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  const pid_t running = getppid();  // the test runner's parent

  auto write = [&](const std::string& name, size_t bytes) {
    std::ofstream(dir_.path() + "/" + name) << std::string(bytes, 'x');
  };
  write(absl::StrCat(".breached-run-", child, "-0-0"), 100);
  write(absl::StrCat(".breached-run-", child, "-0-1"), 50);
  write(absl::StrCat("breached.lgpw.tmp-", child), 30);
  write(absl::StrCat(".breached-run-", running, "-3-0"), 7);
  write(absl::StrCat("other.lgpw.tmp-", child), 1);
  write("breached.lgpw", 1);
  write(".breached-run-notapid-0-0", 1);
  // Names with the writer's host: this host's go by pid (our own pid too:
  // a container restarted as pid 1 again); another host's, a replica on
  // the shared volume whose processes cannot be asked, only after a day.
  const std::string tag = BreachedPasswordImporter::FileTag();
  ASSERT_EQ(tag.substr(0, tag.find('@')), absl::StrCat(getpid()));
  const std::string host = tag.substr(tag.find('@') + 1);
  write(absl::StrCat(".breached-run-", child, "@", host, "-0-0"), 200);
  write(absl::StrCat("breached.lgpw.tmp-", getpid(), "@", host), 400);
  write(absl::StrCat(".breached-run-", running, "@", host, "-1-0"), 3);
  write(".breached-run-1@replica_b-0-0", 5);
  write(".breached-run-1@replica_b-0-1", 800);
  write("breached.lgpw.tmp-1@replica_b", 1600);
  const auto days_ago = [](int days) {
    return std::filesystem::file_time_type::clock::now() -
           std::chrono::hours(24 * days);
  };
  std::filesystem::last_write_time(
      dir_.path() + "/.breached-run-1@replica_b-0-1", days_ago(2));
  std::filesystem::last_write_time(
      dir_.path() + "/breached.lgpw.tmp-1@replica_b", days_ago(2));

  EXPECT_EQ(
      BreachedPasswordImporter::RemoveAbandonedFiles(dir_.path(), StorePath()),
      180 + 200 + 400 + 800 + 1600);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(names,
              ::testing::UnorderedElementsAre(
                  absl::StrCat(".breached-run-", running, "-3-0"),
                  absl::StrCat("other.lgpw.tmp-", child), "breached.lgpw",
                  ".breached-run-notapid-0-0",
                  absl::StrCat(".breached-run-", running, "@", host, "-1-0"),
                  ".breached-run-1@replica_b-0-0"));
}

TEST_F(BreachedPasswordsTest, BadLinesNameTheLineWithoutEchoingTheHash) {
  absl::StatusOr<int64_t> total =
      Import(absl::StrCat(kPasswordSha1, ":1\nABCDEF:2\n"));
  EXPECT_EQ(total.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(total.status().message(), HasSubstr("line 2: "));
  EXPECT_THAT(std::string(total.status().message()),
              ::testing::Not(HasSubstr("ABCDEF")));
  total = Import(absl::StrCat(kPasswordSha1, ":lots\n"));
  EXPECT_THAT(total.status().message(), HasSubstr("line 1: the count"));
  // A suffix without a prefix cannot be placed.
  total = Import("0018A45C4D1DEF81644B54AB7F969B88D65:1\n");
  EXPECT_THAT(total.status().message(), HasSubstr("line 1: expected 40"));
  EXPECT_FALSE(std::filesystem::exists(StorePath()));
}

// Found by breached_password_import_fuzzer: a long line was refused when
// it arrived over several Add calls but accepted when one call held it
// whole, so the same file imported or not depending on its chunking.
TEST_F(BreachedPasswordsTest, LongLinesAreRefusedHoweverTheFileIsChunked) {
  const std::string file = absl::StrCat(
      kPasswordSha1, ":1\n", std::string(5000, ' '), kPasswordSha1, ":3\n");
  for (size_t chunk : {size_t{7}, file.size()}) {
    SCOPED_TRACE(chunk);
    absl::StatusOr<int64_t> total = Import(file, "", nullptr, chunk);
    EXPECT_EQ(total.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(total.status().message(),
                HasSubstr("line 2: longer than 4096 bytes"));
  }
  // The last line, without a line break, too.
  EXPECT_THAT(Import(absl::StrCat(std::string(5000, ' '), kPasswordSha1), "",
                     nullptr, 1 << 20)
                  .status()
                  .message(),
              HasSubstr("line 1: longer than 4096 bytes"));
}

TEST_F(BreachedPasswordsTest, CorruptOrForeignFilesAreRefusedWithThePath) {
  EXPECT_EQ(BreachedPasswordStore::Open(StorePath()).status().code(),
            absl::StatusCode::kNotFound);
  std::ofstream(StorePath()) << "not a store";
  absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> store =
      BreachedPasswordStore::Open(StorePath());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(store.status().message(), HasSubstr(StorePath()));
  // A store cut short is refused too.
  ASSERT_TRUE(Import(absl::StrCat(kPasswordSha1, ":1\n")).ok());
  std::filesystem::resize_file(StorePath(),
                               std::filesystem::file_size(StorePath()) - 1);
  EXPECT_EQ(BreachedPasswordStore::Open(StorePath()).status().code(),
            absl::StatusCode::kDataLoss);
}

// ---- Failures, through FaultyFileSystem (as any user)

// Each step of opening a real, good store fails in turn: the error says
// which, names the path, and a later open of the same file works.
TEST_F(BreachedPasswordsTest, EachFailingStepOfOpeningIsNamed) {
  ASSERT_TRUE(Import(absl::StrCat(kPasswordSha1, ":3\n")).ok());
  const std::string prefix = "breached-password store '" + StorePath() + "'";
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kOpenForReading, EACCES);
  EXPECT_EQ(BreachedPasswordStore::Open(StorePath(), fs).status(),
            absl::NotFoundError(prefix + " cannot be opened"));
  fs.Fail(FileOperation::kSize, EIO);
  EXPECT_EQ(BreachedPasswordStore::Open(StorePath(), fs).status(),
            absl::DataLossError(prefix + " cannot be read"));
  fs.Fail(FileOperation::kMap, ENOMEM, /*nth=*/1);
  EXPECT_EQ(BreachedPasswordStore::Open(StorePath(), fs).status(),
            absl::DataLossError(prefix + " cannot be mapped"));
  absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> store =
      BreachedPasswordStore::Open(StorePath(), fs);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->Lookup(*ParseSha1Hex(kPasswordSha1)), 3u);
  EXPECT_EQ(fs.calls(FileOperation::kOpenForReading), 4);
  EXPECT_EQ(fs.calls(FileOperation::kMap), 2);
}

}  // namespace
}  // namespace lureguard::login
