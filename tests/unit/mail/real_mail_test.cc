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
#include "tests/fakes/fake_clock.h"
#include "tests/testing/temp_dir.h"

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
  RealMailTest() : engine_(clock_) {
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    absl::StatusOr<lookalike::BrandIndex> index =
        lookalike::BrandIndex::Build(lookalike::DefaultBrands());
    EXPECT_TRUE(index.ok()) << index.status();
    snapshot->brands =
        std::make_shared<const lookalike::BrandIndex>(*std::move(index));
    engine_.Publish(std::move(snapshot));
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    EXPECT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    links::LinkPolicy global;
    global.click_base_url = "https://click.example";
    absl::StatusOr<links::ClickTokenCodec> codec =
        links::ClickTokenCodec::Create(
            {{.id = "k1", .secret = std::string(32, 's')}}, "k1",
            absl::Hours(24));
    EXPECT_TRUE(codec.ok());
    verdicts_ = [this](absl::string_view, absl::string_view url,
                       absl::string_view tenant) {
      return engine_.CheckUrl(url, tenant);
    };
    links_ = std::make_unique<links::LinkProtector>(
        *std::move(codec), links::LinkPolicies(global, {}), verdicts_, engine_,
        *KeyedHasher::Create(std::string(32, 'k')), *store_, clock_);
    absl::StatusOr<MailPolicies> policies = MailPolicies::Create({}, {}, {});
    EXPECT_TRUE(policies.ok());
    policies_ = std::make_unique<MailPolicies>(*std::move(policies));
    checker_ = std::make_unique<MessageChecker>(*links_, verdicts_, engine_,
                                                *policies_, clock_);
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
          checker_->Check({.message = message});
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

  FakeClock clock_;
  testing::TempDir dir_;
  verdict::Engine engine_;
  std::unique_ptr<store::Store> store_;
  links::UrlVerdicts verdicts_;
  std::unique_ptr<links::LinkProtector> links_;
  std::unique_ptr<MailPolicies> policies_;
  std::unique_ptr<MessageChecker> checker_;
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
