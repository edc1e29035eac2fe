#include "tests/testing/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lureguard::testing {
namespace {

std::vector<char*> CArgv(std::vector<std::string>& argv) {
  std::vector<char*> c_argv;
  for (std::string& arg : argv) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);
  return c_argv;
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

Subprocess::Subprocess(std::vector<std::string> argv) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    std::perror("pipe2");
    std::abort();
  }
  std::vector<char*> c_argv = CArgv(argv);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, STDIN_FILENO);
    execv(c_argv[0], c_argv.data());
    std::perror("execv");
    _exit(127);
  }
  close(pipe_fds[1]);
  reader_ = std::thread([this, fd = pipe_fds[0]] { ReadStderr(fd); });
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && exit_code_ < 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (reader_.joinable()) reader_.join();
}

void Subprocess::ReadStderr(int fd) {
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    absl::MutexLock lock(&mu_);
    stderr_.append(buffer, n);
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  stderr_closed_ = true;
}

absl::StatusOr<std::string> Subprocess::WaitForStderrLine(
    absl::string_view needle, absl::Duration timeout) {
  std::string found;
  auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (absl::string_view line : absl::StrSplit(stderr_, '\n')) {
      if (line.find(needle) != absl::string_view::npos) {
        found = std::string(line);
        return true;
      }
    }
    return stderr_closed_;
  };
  absl::MutexLock lock(&mu_);
  if (!mu_.AwaitWithTimeout(absl::Condition(&ready), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("no stderr line with '", needle, "' within ",
                     absl::FormatDuration(timeout), "; stderr:\n", stderr_));
  }
  if (found.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the process closed stderr before printing '", needle,
                     "'; stderr:\n", stderr_));
  }
  return found;
}

void Subprocess::Signal(int signal) {
  if (pid_ > 0 && exit_code_ < 0) kill(pid_, signal);
}

int Subprocess::Wait() {
  if (exit_code_ >= 0) return exit_code_;
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = DecodeWaitStatus(status);
  return exit_code_;
}

std::string Subprocess::stderr_text() const {
  absl::MutexLock lock(&mu_);
  return stderr_;
}

RunResult Run(const std::vector<std::string>& argv_in,
              absl::string_view stdin_text, absl::Duration timeout) {
  std::vector<std::string> argv = argv_in;
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
      pipe2(err, O_CLOEXEC) != 0) {
    std::perror("pipe2");
    std::abort();
  }
  std::vector<char*> c_argv = CArgv(argv);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execv(c_argv[0], c_argv.data());
    std::perror("execv");
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  // A writer thread keeps a large stdin from deadlocking against full
  // stdout/stderr pipes.
  std::string input(stdin_text);
  std::thread writer([fd = in[1], &input] {
    signal(SIGPIPE, SIG_IGN);
    size_t done = 0;
    while (done < input.size()) {
      ssize_t n = write(fd, input.data() + done, input.size() - done);
      if (n <= 0) break;
      done += n;
    }
    close(fd);
  });
  RunResult result;
  const absl::Time deadline = absl::Now() + timeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0) {
    const int wait_ms = static_cast<int>(std::max<int64_t>(
        0, absl::ToInt64Milliseconds(deadline - absl::Now())));
    if (poll(fds, 2, wait_ms) <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      (i == 0 ? result.out : result.err).append(buffer, n);
    }
  }
  for (pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  writer.join();
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = DecodeWaitStatus(status);
  return result;
}

}  // namespace lureguard::testing
