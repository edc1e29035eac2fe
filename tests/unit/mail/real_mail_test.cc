// Real-world mail that no one here wrote: CPython's email test corpus
// (Debian's libpython3.11-testsuite, installed by scripts/setup) and every
// message the links fuzz corpus holds. None may BLOCK, crash or fail,
// except a text with no header section at all, which gets a degraded
// verdict.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/mail/message_checker.h"
#include "tests/testing/mail_checker_stack.h"

namespace lureguard::mail {
namespace {

namespace fs = std::filesystem;

// Where Debian's libpython3.11-testsuite puts the corpus.
constexpr char kCPythonCorpus[] = "/usr/lib/python3.11/test/test_email/data";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class RealMailTest : public ::testing::Test {
 protected:
  RealMailTest() : stack_(Snapshot(), *MailPolicies::Create({}, {}, {})) {}

  static std::shared_ptr<const verdict::EngineSnapshot> Snapshot() {
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    absl::StatusOr<lookalike::BrandIndex> index =
        lookalike::BrandIndex::Build(lookalike::DefaultBrands());
    EXPECT_TRUE(index.ok()) << index.status();
    snapshot->brands =
        std::make_shared<const lookalike::BrandIndex>(*std::move(index));
    return snapshot;
  }

  // Checks every file of `dir` whose name `wanted` accepts; returns how
  // many were checked.
  int CheckAll(const fs::path& dir, bool (*wanted)(const std::string&)) {
    int checked = 0;
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file() && wanted(entry.path().filename())) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      SCOPED_TRACE(file.string());
      const std::string message = ReadFile(file);
      if (message.empty()) continue;
      absl::StatusOr<MessageCheck> check =
          stack_.checker().Check({.message = message});
      ++checked;
      EXPECT_TRUE(check.ok()) << check.status();
      if (!check.ok()) continue;
      EXPECT_NE(check->verdict.action, verdict::Action::kBlock)
          << check->verdict.reasons.front().detail;
      if (check->verdict.action != verdict::Action::kAllow) {
        ++not_allowed_;
      }
      // Only a text without a header section may be unreadable as MIME.
      if (check->verdict.degraded) {
        EXPECT_THAT(check->notes,
                    ::testing::Contains(::testing::HasSubstr("MIME")))
            << absl::StrJoin(check->notes, "; ");
      }
    }
    return checked;
  }

  testing::MailCheckerStack stack_;
  int not_allowed_ = 0;
};

TEST_F(RealMailTest, CPythonEmailCorpusNeverBlocks) {
  // scripts/setup installs the package: its absence is a failure, not a
  // reason to skip.
  ASSERT_TRUE(fs::is_directory(kCPythonCorpus))
      << kCPythonCorpus
      << " is missing: install libpython3.11-testsuite (scripts/setup)";
  const int checked = CheckAll(kCPythonCorpus, [](const std::string& name) {
    return absl::StartsWith(name, "msg_") && absl::EndsWith(name, ".txt");
  });
  EXPECT_GE(checked, 46);
  // The corpus is test mail about Python's email package: none of it is a
  // lure, and none should even warn.
  EXPECT_EQ(not_allowed_, 0);
}

TEST_F(RealMailTest, LinksCorpusNeverBlocks) {
  const fs::path corpus =
      fs::path(LUREGUARD_SOURCE_DIR) / "tests/fuzz/corpus/links";
  ASSERT_TRUE(fs::is_directory(corpus));
  EXPECT_GE(CheckAll(corpus, [](const std::string&) { return true; }), 5);
}

}  // namespace
}  // namespace lureguard::mail
