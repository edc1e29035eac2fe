#include "server/common/keyed_hasher.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/faulty_file_system.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

TEST(KeyedHasher, CreatesAnOwnerOnlyKeyOnceAndReusesIt) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/login.key";
  absl::StatusOr<KeyedHasher> first = KeyedHasher::LoadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.status();
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(st.st_size, 32);
  absl::StatusOr<KeyedHasher> again = KeyedHasher::LoadOrCreate(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->Hash("acme", "alice"), again->Hash("acme", "alice"));
}

TEST(KeyedHasher, IsTheFirstHalfOfHmacSha256OverTenantNulIdentifier) {
  const std::string key(32, 'a');
  absl::StatusOr<KeyedHasher> a = KeyedHasher::Create(key);
  ASSERT_TRUE(a.ok()) << a.status();
  // OpenSSL's one-shot HMAC as the reference: ids stay what they were
  // before the key schedule was precomputed.
  const std::string message = std::string("acme") + '\0' + "alice";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       mac, &length);
  EXPECT_EQ(a->Hash("acme", "alice"),
            absl::BytesToHexString(
                absl::string_view(reinterpret_cast<const char*>(mac), 16)));
  absl::StatusOr<KeyedHasher> b = KeyedHasher::Create(std::string(32, 'b'));
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->Hash("", "alice"), b->Hash("", "alice"));
  EXPECT_THAT(a->Hash("", "alice"), ::testing::MatchesRegex("[0-9a-f]{32}"));
}

TEST(KeyedHasher, AShortKeyIsRefused) {
  absl::StatusOr<KeyedHasher> hasher = KeyedHasher::Create("short");
  EXPECT_EQ(hasher.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(hasher.status().message(), ::testing::HasSubstr("at least 32"));
}

TEST(KeyedHasher, NormalizesCaseAndBlanksButSeparatesTenants) {
  const KeyedHasher hasher = *KeyedHasher::Create(std::string(32, 'k'));
  EXPECT_EQ(hasher.Hash("acme", "Alice@Example.COM "),
            hasher.Hash("acme", "alice@example.com"));
  EXPECT_NE(hasher.Hash("acme", "alice"), hasher.Hash("globex", "alice"));
  EXPECT_NE(hasher.Hash("acme", "alice"), hasher.Hash("acme", "alicf"));
}

TEST(KeyedHasher, AShortKeyFileIsRefusedWithItsPath) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/login.key";
  std::ofstream(path) << "short";
  absl::StatusOr<KeyedHasher> hasher = KeyedHasher::LoadOrCreate(path);
  EXPECT_EQ(hasher.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(hasher.status().message(), ::testing::HasSubstr(path));
}

// ---- Failures, through FaultyFileSystem (as any user)

// An existing key that cannot be read is an error, never replaced: ids
// hashed under it would stop matching. (It used to retry forever: the
// exclusive create found the file and went back to reading it.)
TEST(KeyedHasher, AnUnreadableKeyIsRefusedNotReplaced) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/login.key";
  std::ofstream(path) << std::string(32, 'k');
  FaultyFileSystem fs;
  fs.FailAlways(FileOperation::kOpenForReading, EACCES);
  absl::StatusOr<std::string> key = LoadOrCreateKeyFile(path, fs);
  EXPECT_EQ(key.status(),
            absl::FailedPreconditionError(
                "key '" + path +
                "' is shorter than 32 bytes, longer than 4096 or unreadable"));
  EXPECT_EQ(fs.calls(FileOperation::kCreate), 0);
  EXPECT_EQ(*LoadOrCreateKeyFile(path), std::string(32, 'k'));
}

// Whichever step of creating the key fails, the error names the key and
// the step, no partial key is left, and the next start creates a whole one.
TEST(KeyedHasher, AKeyThatCannotBeCreatedLeavesNoFileBehind) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/login.key";
  const std::string prefix = "cannot create the key '" + path + "': ";
  struct Case {
    FileOperation operation;
    int error_number;
    std::string message;
  };
  const Case cases[] = {
      {FileOperation::kCreate, EACCES,
       prefix + "create '" + path + "': Permission denied"},
      {FileOperation::kAppend, ENOSPC,
       prefix + "write '" + path + "': No space left on device"},
      {FileOperation::kSync, EIO,
       prefix + "fsync '" + path + "': Input/output error"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    FaultyFileSystem fs;
    fs.Fail(c.operation, c.error_number);
    EXPECT_EQ(LoadOrCreateKeyFile(path, fs).status(),
              absl::FailedPreconditionError(c.message));
    EXPECT_FALSE(std::filesystem::exists(path));
    absl::StatusOr<std::string> key = LoadOrCreateKeyFile(path, fs);
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(key->size(), 32u);
    std::filesystem::remove(path);
  }
}

}  // namespace
}  // namespace lureguard
