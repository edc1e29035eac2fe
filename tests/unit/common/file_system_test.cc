#include "server/common/file_system.h"

#include <errno.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/faulty_file_system.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int Mode(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return st.st_mode & 0777;
}

class FileSystemTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const {
    return dir_.path() + "/" + name;
  }
  testing::TempDir dir_;
};

TEST_F(FileSystemTest,
       AtomicWriteReplacesAWorldReadableFileWithAnOwnerOnlyOne) {
  std::ofstream(Path("admin.token")) << "old\n";
  std::filesystem::permissions(Path("admin.token"),
                               std::filesystem::perms(0644));
  ASSERT_TRUE(WriteOwnerOnlyFileAtomically(DefaultFileSystem(),
                                           Path("admin.token"), "new\n")
                  .ok());
  EXPECT_EQ(Contents(Path("admin.token")), "new\n");
  EXPECT_EQ(Mode(Path("admin.token")), 0600);
  EXPECT_FALSE(std::filesystem::exists(Path("admin.token.tmp")));
}

TEST_F(FileSystemTest, OwnerOnlyEvenUnderAUmaskThatTakesTheOwnersBits) {
  const mode_t old_umask = umask(0277);
  absl::Status created =
      CreateOwnerOnlyFileWith(DefaultFileSystem(), Path("key"), "secret");
  umask(old_umask);
  ASSERT_TRUE(created.ok()) << created;
  EXPECT_EQ(Mode(Path("key")), 0600);
  EXPECT_EQ(Contents(Path("key")), "secret");
}

TEST_F(FileSystemTest, ExclusiveCreateRefusesAnExistingFileAndKeepsIt) {
  std::ofstream(Path("key")) << "first";
  absl::Status created =
      CreateOwnerOnlyFileWith(DefaultFileSystem(), Path("key"), "second");
  EXPECT_EQ(created.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(created.message(), "create '" + Path("key") + "': File exists");
  EXPECT_EQ(Contents(Path("key")), "first");
}

TEST_F(FileSystemTest, ReadSmallFileNamesAMissingFileAndRefusesABigOne) {
  absl::StatusOr<std::string> missing =
      ReadSmallFile(DefaultFileSystem(), Path("none"), 10);
  EXPECT_EQ(missing.status(),
            absl::NotFoundError("open '" + Path("none") +
                                "': No such file or directory"));
  std::ofstream(Path("big")) << std::string(11, 'x');
  EXPECT_EQ(
      ReadSmallFile(DefaultFileSystem(), Path("big"), 10).status(),
      absl::OutOfRangeError("'" + Path("big") + "' is longer than 10 bytes"));
  std::ofstream(Path("fits")) << std::string(10, 'x');
  EXPECT_EQ(*ReadSmallFile(DefaultFileSystem(), Path("fits"), 10),
            std::string(10, 'x'));
}

TEST_F(FileSystemTest, AnEmptyFileMapsToAnEmptyRegion) {
  std::ofstream(Path("empty"));
  absl::StatusOr<std::unique_ptr<ReadableFile>> file =
      DefaultFileSystem().OpenForReading(Path("empty"));
  ASSERT_TRUE(file.ok()) << file.status();
  absl::StatusOr<MappedRegion> region = (*file)->Map();
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->size(), 0u);
}

// ---- Failures, through FaultyFileSystem (as any user)

// Whichever step of an atomic write fails, the old file stays whole, no
// temporary is left, and the error names the step and the file.
TEST_F(FileSystemTest, AFailedAtomicWriteLeavesTheOldFileAndNoTemporary) {
  const std::string path = Path("admin.token");
  const std::string temporary = path + ".tmp";
  struct Case {
    FileOperation operation;
    int error_number;
    absl::Status expected;
  };
  const Case cases[] = {
      {FileOperation::kCreate, EACCES,
       absl::PermissionDeniedError("create '" + temporary +
                                   "': Permission denied")},
      {FileOperation::kAppend, ENOSPC,
       absl::ResourceExhaustedError("write '" + temporary +
                                    "': No space left on device")},
      {FileOperation::kSync, EIO,
       absl::UnknownError("fsync '" + temporary + "': Input/output error")},
      {FileOperation::kClose, EIO,
       absl::UnknownError("close '" + temporary + "': Input/output error")},
      {FileOperation::kRename, EACCES,
       absl::PermissionDeniedError("rename '" + temporary + "' to '" + path +
                                   "': Permission denied")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected.ToString());
    std::ofstream(path) << "old\n";
    FaultyFileSystem fs;
    fs.Fail(c.operation, c.error_number);
    EXPECT_EQ(WriteOwnerOnlyFileAtomically(fs, path, "new\n"), c.expected);
    EXPECT_EQ(Contents(path), "old\n");
    EXPECT_FALSE(std::filesystem::exists(temporary));
  }
}

TEST_F(FileSystemTest, OnlyTheNthWriteFails) {
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kAppend, EIO, /*nth=*/2);
  EXPECT_TRUE(CreateOwnerOnlyFileWith(fs, Path("a"), "1").ok());
  EXPECT_EQ(
      CreateOwnerOnlyFileWith(fs, Path("b"), "2"),
      absl::UnknownError("write '" + Path("b") + "': Input/output error"));
  EXPECT_TRUE(CreateOwnerOnlyFileWith(fs, Path("c"), "3").ok());
  EXPECT_EQ(Contents(Path("a")), "1");
  EXPECT_FALSE(std::filesystem::exists(Path("b")));  // removed, not half
  EXPECT_EQ(Contents(Path("c")), "3");
  EXPECT_EQ(fs.calls(FileOperation::kAppend), 3);
}

TEST_F(FileSystemTest, AFailedSyncRemovesTheNewFile) {
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kSync, EIO);
  EXPECT_EQ(CreateOwnerOnlyFileWith(fs, Path("key"), "secret").code(),
            absl::StatusCode::kUnknown);
  EXPECT_FALSE(std::filesystem::exists(Path("key")));
  EXPECT_EQ(fs.calls(FileOperation::kRemove), 1);
}

TEST_F(FileSystemTest, AnInjectedOpenFailureNeverTouchesTheRealFile) {
  std::ofstream(Path("key")) << "secret";
  FaultyFileSystem fs;
  fs.FailAlways(FileOperation::kOpenForReading, EACCES);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(ReadSmallFile(fs, Path("key"), 100).status(),
              absl::PermissionDeniedError("open '" + Path("key") +
                                          "': Permission denied"));
  }
  EXPECT_EQ(fs.calls(FileOperation::kOpenForReading), 2);
  EXPECT_EQ(*ReadSmallFile(DefaultFileSystem(), Path("key"), 100), "secret");
}

}  // namespace
}  // namespace lureguard
