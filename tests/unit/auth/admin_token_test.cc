#include "server/auth/admin_token.h"

#include <errno.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/fakes/faulty_file_system.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::auth {
namespace {

std::string Contents(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

class AdminTokenTest : public ::testing::Test {
 protected:
  std::string TokenPath() const { return dir_.path() + "/admin.token"; }
  testing::TempDir dir_;
};

TEST_F(AdminTokenTest, IsOneLineReadableByTheOwnerOnly) {
  ASSERT_TRUE(WriteAdminTokenFile(TokenPath(), "lg_abc_secret").ok());
  EXPECT_EQ(Contents(TokenPath()), "lg_abc_secret\n");
  struct stat st;
  ASSERT_EQ(stat(TokenPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(AdminTokenTest, AFullDiskLeavesTheOldTokenWhole) {
  ASSERT_TRUE(WriteAdminTokenFile(TokenPath(), "lg_old_secret").ok());
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kAppend, ENOSPC);
  EXPECT_EQ(WriteAdminTokenFile(TokenPath(), "lg_new_secret", fs),
            absl::FailedPreconditionError(
                "cannot write the admin key to '" + TokenPath() + "': write '" +
                TokenPath() + ".tmp': No space left on device"));
  EXPECT_EQ(Contents(TokenPath()), "lg_old_secret\n");
  EXPECT_FALSE(std::filesystem::exists(TokenPath() + ".tmp"));
}

TEST_F(AdminTokenTest, AnUnwritableDataDirIsNamed) {
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kCreate, EACCES);
  EXPECT_EQ(WriteAdminTokenFile(TokenPath(), "lg_abc_secret", fs),
            absl::FailedPreconditionError(
                "cannot write the admin key to '" + TokenPath() +
                "': create '" + TokenPath() + ".tmp': Permission denied"));
  EXPECT_FALSE(std::filesystem::exists(TokenPath()));
}

TEST_F(AdminTokenTest, AFailedRenameLeavesNoTemporary) {
  FaultyFileSystem fs;
  fs.Fail(FileOperation::kRename, EIO);
  EXPECT_EQ(WriteAdminTokenFile(TokenPath(), "lg_abc_secret", fs).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(TokenPath()));
  EXPECT_FALSE(std::filesystem::exists(TokenPath() + ".tmp"));
}

}  // namespace
}  // namespace lureguard::auth
