#include "server/common/log.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// Points this process's stderr at a file for the test's lifetime.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FlushLogs();
    std::fflush(stderr);
    path_ = dir_.path() + "/stderr";
    const int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    saved_stderr_ = dup(STDERR_FILENO);
    ASSERT_GE(saved_stderr_, 0);
    ASSERT_EQ(dup2(fd, STDERR_FILENO), STDERR_FILENO);
    close(fd);
  }

  void TearDown() override {
    FlushLogs();
    std::fflush(stderr);
    dup2(saved_stderr_, STDERR_FILENO);
    close(saved_stderr_);
  }

  // The lines written to stderr so far.
  std::vector<std::string> Written() const {
    std::ifstream file(path_, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    return absl::StrSplit(text, '\n', absl::SkipEmpty());
  }

  testing::TempDir dir_;
  std::string path_;
  int saved_stderr_ = -1;
};

TEST_F(LogTest, AWarningIsWrittenBeforeLogReturnsAfterTheLinesBeforeIt) {
  LogInfo("first");
  LogInfo("second");
  LogWarning("trouble", {{"what", "disk"}});
  // No flush and no wait: the warning took the queued lines with it.
  const std::vector<std::string> lines = Written();
  ASSERT_THAT(lines, SizeIs(3));
  EXPECT_THAT(lines[0], HasSubstr("\"message\":\"first\""));
  EXPECT_THAT(lines[1], HasSubstr("\"message\":\"second\""));
  EXPECT_THAT(lines[2], HasSubstr("\"level\":\"warning\""));
  EXPECT_THAT(lines[2], HasSubstr("\"what\":\"disk\""));
}

TEST_F(LogTest, InfoLinesAreWrittenWithoutAFlush) {
  LogInfo("request", {{"status", "OK"}});
  // The writer thread writes the batch after kLogBatchDelay; allow a
  // loaded machine far more.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Written().empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_THAT(Written(), SizeIs(1));
  EXPECT_THAT(Written()[0], HasSubstr("\"status\":\"OK\""));
}

TEST_F(LogTest, ConcurrentLinesAreWholeAndInEachThreadsOrder) {
  constexpr int kThreads = 8;
  constexpr int kLinesEach = 2000;  // several full batches
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLinesEach; ++i) {
        const std::string thread = absl::StrCat(t);
        const std::string index = absl::StrCat(i);
        LogInfo("line", {{"thread", thread}, {"index", index}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  FlushLogs();

  const std::vector<std::string> lines = Written();
  ASSERT_THAT(lines, SizeIs(kThreads * kLinesEach));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    ASSERT_EQ(line.front(), '{') << line;
    ASSERT_EQ(line.back(), '}') << line;
    int thread = -1;
    int index = -1;
    ASSERT_EQ(
        std::sscanf(line.c_str() + line.find("\"thread\""),
                    "\"thread\":\"%d\",\"index\":\"%d\"", &thread, &index),
        2)
        << line;
    ASSERT_GE(thread, 0);
    ASSERT_LT(thread, kThreads);
    EXPECT_EQ(index, next[thread]) << line;
    next[thread] = index + 1;
  }
}

TEST_F(LogTest, LinesQueuedAtExitAreWritten) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    dup2(out[1], STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    LogInfo("last words");
    std::exit(0);  // runs the exit flush; no FlushLogs here
  }
  close(out[1]);
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(out[0], buffer, sizeof(buffer))) > 0) text.append(buffer, n);
  close(out[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_THAT(text, HasSubstr("\"message\":\"last words\""));
}

TEST_F(LogTest, LinesBelowTheLevelAreDropped) {
  SetLogLevel(LogLevel::kWarning);
  LogInfo("quiet");
  LogError("loud");
  SetLogLevel(LogLevel::kInfo);
  FlushLogs();
  const std::vector<std::string> lines = Written();
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("\"message\":\"loud\""));
}

}  // namespace
}  // namespace lureguard
