// ZIP reading: archives are built at test time with libzip itself (in
// memory), then read back through ReadZip; the ZIP-bomb, encryption and
// corruption cases patch or shape those archives so each limit and each
// error path is reached on purpose.

#include "server/mail/zip_archive.h"

#include <zip.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// One entry of an archive a test builds.
struct Entry {
  std::string name;
  std::string data;
  bool directory = false;
  bool store = false;              // stored instead of deflated
  const char* password = nullptr;  // encrypts the entry when set
  uint16_t encryption = ZIP_EM_AES_256;
};

// Builds a ZIP archive in memory with libzip: an empty buffer source kept
// alive past zip_close, then read back.
std::string BuildZip(const std::vector<Entry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  EXPECT_NE(buffer, nullptr);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr) << zip_error_strerror(&error);
  for (const Entry& e : entries) {
    if (e.directory) {
      EXPECT_GE(zip_dir_add(archive, e.name.c_str(), ZIP_FL_ENC_UTF_8), 0);
      continue;
    }
    // The data outlives zip_close (the caller's vector), so no copy.
    zip_source_t* data =
        zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
    const zip_int64_t index =
        zip_file_add(archive, e.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(index, 0) << zip_strerror(archive);
    EXPECT_EQ(zip_set_file_compression(
                  archive, index, e.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9),
              0);
    if (e.password != nullptr) {
      EXPECT_EQ(
          zip_file_set_encryption(archive, index, e.encryption, e.password), 0)
          << zip_strerror(archive);
    }
  }
  EXPECT_EQ(zip_close(archive), 0);

  std::string out;
  zip_stat_t stat;
  EXPECT_EQ(zip_source_stat(buffer, &stat), 0);
  EXPECT_EQ(zip_source_open(buffer), 0);
  out.resize(stat.size);
  EXPECT_EQ(zip_source_read(buffer, out.data(), out.size()),
            static_cast<zip_int64_t>(out.size()));
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

uint32_t Read32(const std::string& bytes, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  }
  return v;
}

void Write16(std::string& bytes, size_t at, uint16_t v) {
  bytes[at] = static_cast<char>(v & 0xff);
  bytes[at + 1] = static_cast<char>(v >> 8);
}

void Write32(std::string& bytes, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>(v >> (8 * i));
}

// Offsets of the central directory header and the local header of the
// member called `name` (APPNOTE.TXT §4.3.7 and §4.3.12).
struct HeaderOffsets {
  size_t central = 0;
  size_t local = 0;
};

HeaderOffsets FindHeaders(const std::string& zip, std::string_view name) {
  for (size_t at = zip.find("PK\x01\x02"); at != std::string::npos;
       at = zip.find("PK\x01\x02", at + 4)) {
    const size_t name_length = static_cast<unsigned char>(zip[at + 28]) |
                               (static_cast<unsigned char>(zip[at + 29]) << 8);
    if (std::string_view(zip).substr(at + 46, name_length) == name) {
      return {.central = at, .local = Read32(zip, at + 42)};
    }
  }
  ADD_FAILURE() << "no central directory header for " << name;
  return {};
}

// Rewrites what the headers of `name` declare: both copies, since libzip
// checks that they agree.
void PatchUncompressedSize(std::string& zip, std::string_view name,
                           uint32_t size) {
  const HeaderOffsets h = FindHeaders(zip, name);
  Write32(zip, h.central + 24, size);
  Write32(zip, h.local + 22, size);
}

void PatchCrc(std::string& zip, std::string_view name, uint32_t crc) {
  const HeaderOffsets h = FindHeaders(zip, name);
  Write32(zip, h.central + 16, crc);
  Write32(zip, h.local + 14, crc);
}

void PatchMethod(std::string& zip, std::string_view name, uint16_t method) {
  const HeaderOffsets h = FindHeaders(zip, name);
  Write16(zip, h.central + 10, method);
  Write16(zip, h.local + 8, method);
}

std::vector<std::string> Names(const ZipContents& z) {
  std::vector<std::string> names;
  for (const ZipMember& m : z.members) names.push_back(m.name);
  return names;
}

bool IsMarkupName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return lower.ends_with(".html") || lower.ends_with(".htm") ||
         lower.ends_with(".svg");
}

TEST(ReadZip, ReadsWantedMembersInArchiveOrderAndSkipsDirectories) {
  const std::vector<Entry> entries = {
      {.name = "invoice/", .directory = true},
      {.name = "invoice/Invoice_8812.html",
       .data = "<form action=\"https://evil.example/p\">"},
      {.name = "readme.txt", .data = "not wanted"},
      {.name = "logo.svg", .data = "<svg/>", .store = true},
  };
  const std::string zip = BuildZip(entries);
  absl::StatusOr<ZipContents> z = ReadZip(zip, {}, IsMarkupName);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(z->member_count, 4u);
  EXPECT_THAT(Names(*z), ElementsAre("invoice/Invoice_8812.html", "logo.svg"));
  EXPECT_EQ(z->members[0].data, "<form action=\"https://evil.example/p\">");
  EXPECT_FALSE(z->members[0].truncated);
  EXPECT_EQ(z->members[1].data, "<svg/>");
  EXPECT_THAT(z->unreadable, IsEmpty());
  EXPECT_FALSE(z->truncated);
}

TEST(ReadZip, NullWantedReadsEveryFile) {
  const std::string zip = BuildZip({{.name = "a.txt", .data = "a"},
                                    {.name = "d/", .directory = true},
                                    {.name = "b.bin", .data = ""}});
  absl::StatusOr<ZipContents> z = ReadZip(zip, {}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_THAT(Names(*z), ElementsAre("a.txt", "b.bin"));
  EXPECT_EQ(z->members[1].data, "");
}

TEST(ReadZip, MemberLongerThanTheCapIsCutAndMarked) {
  const std::string zip =
      BuildZip({{.name = "big.html", .data = std::string(5000, 'x')}});
  absl::StatusOr<ZipContents> z =
      ReadZip(zip, {.max_member_bytes = 1000}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  ASSERT_EQ(z->members.size(), 1u);
  EXPECT_EQ(z->members[0].data, std::string(1000, 'x'));
  EXPECT_TRUE(z->members[0].truncated);
  EXPECT_TRUE(z->truncated);

  // Exactly at the cap is not truncated.
  z = ReadZip(zip, {.max_member_bytes = 5000}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(z->members[0].data.size(), 5000u);
  EXPECT_FALSE(z->members[0].truncated);
  EXPECT_FALSE(z->truncated);
}

// 64 MiB of zeros deflate to about 64 KiB: the classic bomb shape. The
// member cap holds, and the read stops long before 64 MiB.
TEST(ReadZip, HighlyCompressibleMemberStopsAtTheCap) {
  const std::string zeros(64u << 20, '\0');
  const std::string zip = BuildZip({{.name = "bomb.html", .data = zeros}});
  EXPECT_LT(zip.size(), 1u << 20);
  absl::StatusOr<ZipContents> z = ReadZip(zip, {}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  ASSERT_EQ(z->members.size(), 1u);
  EXPECT_EQ(z->members[0].data.size(), ZipLimits{}.max_member_bytes);
  EXPECT_TRUE(z->members[0].truncated);
  EXPECT_TRUE(z->truncated);
}

// The header says 1 KiB; the stream inflates to 8 MiB. Only the bytes that
// come out of the inflater count, never the declared size.
TEST(ReadZip, DeclaredSizeIsNotTrusted) {
  const std::string zeros(8u << 20, '\0');
  std::string zip = BuildZip({{.name = "liar.html", .data = zeros}});
  PatchUncompressedSize(zip, "liar.html", 1024);
  absl::StatusOr<ZipContents> z =
      ReadZip(zip, {.max_member_bytes = 1u << 20}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  ASSERT_EQ(z->members.size(), 1u);
  EXPECT_EQ(z->members[0].data.size(), 1u << 20);
  EXPECT_TRUE(z->members[0].truncated);
  EXPECT_TRUE(z->truncated);

  // With a cap above the real size the whole stream comes out: libzip 1.7
  // checks the CRC at the end, not the declared size.
  z = ReadZip(zip, {.max_member_bytes = 16u << 20}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  ASSERT_EQ(z->members.size(), 1u);
  EXPECT_EQ(z->members[0].data, zeros);
  EXPECT_FALSE(z->members[0].truncated);
}

TEST(ReadZip, TotalCapStopsTheReading) {
  const std::string data(3000, 'y');
  const std::string zip = BuildZip({{.name = "1.html", .data = data},
                                    {.name = "2.html", .data = data},
                                    {.name = "3.html", .data = data}});
  absl::StatusOr<ZipContents> z = ReadZip(
      zip, {.max_member_bytes = 4000, .max_total_bytes = 5000}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_THAT(Names(*z), ElementsAre("1.html", "2.html"));
  EXPECT_EQ(z->members[0].data.size(), 3000u);
  EXPECT_FALSE(z->members[0].truncated);
  EXPECT_EQ(z->members[1].data.size(), 2000u);
  EXPECT_TRUE(z->members[1].truncated);
  EXPECT_TRUE(z->truncated);
  EXPECT_EQ(z->member_count, 3u);
}

TEST(ReadZip, MemberCapLimitsTheEntriesLookedAt) {
  const std::string zip = BuildZip({{.name = "1.html", .data = "1"},
                                    {.name = "2.html", .data = "2"},
                                    {.name = "3.html", .data = "3"}});
  absl::StatusOr<ZipContents> z = ReadZip(zip, {.max_members = 2}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_THAT(Names(*z), ElementsAre("1.html", "2.html"));
  EXPECT_EQ(z->member_count, 3u);
  EXPECT_TRUE(z->truncated);
}

TEST(ReadZip, EncryptedMemberIsUnreadableWhateverWantedSays) {
  const std::string zip =
      BuildZip({{.name = "open.html", .data = "<p>hi</p>"},
                {.name = "secret.exe", .data = "MZ...", .password = "pw"},
                {.name = "secret.html", .data = "<form>", .password = "pw"},
                {.name = "legacy.html",
                 .data = "<form>",
                 .password = "pw",
                 .encryption = ZIP_EM_TRAD_PKWARE}});
  absl::StatusOr<ZipContents> z = ReadZip(zip, {}, IsMarkupName);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_THAT(Names(*z), ElementsAre("open.html"));
  EXPECT_THAT(z->unreadable,
              ElementsAre("secret.exe: encrypted", "secret.html: encrypted",
                          "legacy.html: encrypted"));
}

TEST(ReadZip, UnknownCompressionMethodIsUnreadable) {
  std::string zip = BuildZip({{.name = "a.html", .data = "<p>a</p>"},
                              {.name = "b.html", .data = "<p>b</p>"}});
  PatchMethod(zip, "a.html", 19);  // IBM LZ77 z Architecture
  absl::StatusOr<ZipContents> z = ReadZip(zip, {}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_THAT(Names(*z), ElementsAre("b.html"));
  EXPECT_THAT(z->unreadable,
              ElementsAre("a.html: compression method 19 not supported"));
}

TEST(ReadZip, CrcMismatchIsReportedButTheBytesAreStillRead) {
  std::string zip = BuildZip({{.name = "a.html", .data = "<p>a</p>"},
                              {.name = "b.html", .data = "<p>b</p>"}});
  PatchCrc(zip, "a.html", 0x12345678);
  absl::StatusOr<ZipContents> z = ReadZip(zip, {}, nullptr);
  ASSERT_TRUE(z.ok()) << z.status();
  // A broken CRC must not hide a page from inspection.
  EXPECT_THAT(Names(*z), ElementsAre("a.html", "b.html"));
  EXPECT_EQ(z->members[0].data, "<p>a</p>");
  EXPECT_TRUE(z->members[0].truncated);
  EXPECT_THAT(z->unreadable, ElementsAre("a.html: CRC error"));
}

TEST(ReadZip, RefusesWhatIsNotAZipArchive) {
  for (std::string_view bytes :
       {std::string_view(""), std::string_view("PK"),
        std::string_view("<html><body>this is not a zip file at all, just "
                         "a web page</body></html>")}) {
    absl::StatusOr<ZipContents> z = ReadZip(bytes, {}, nullptr);
    EXPECT_EQ(z.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(z.status().message()),
                StartsWith("not a ZIP archive: "));
  }
  absl::StatusOr<ZipContents> empty = ReadZip("", {}, nullptr);
  EXPECT_EQ(empty.status().message(),
            "not a ZIP archive: 0 bytes, shorter than an "
            "end-of-central-directory record (22)");
}

TEST(ReadZip, RefusesATruncatedArchive) {
  const std::string zip =
      BuildZip({{.name = "a.html", .data = std::string(2000, 'a')},
                {.name = "b.html", .data = "<p>b</p>"}});
  absl::StatusOr<ZipContents> z =
      ReadZip(std::string_view(zip).substr(0, zip.size() / 2), {}, nullptr);
  EXPECT_EQ(z.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(z.status().message()),
              HasSubstr("not a ZIP archive: "));
}

}  // namespace
}  // namespace lureguard::mail
