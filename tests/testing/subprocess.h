// Runs a program as a child process for integration tests: the real
// server binary, the real CLI.
//
// Example:
//   Subprocess server({"/path/lureguard-server", "--listen", "127.0.0.1:0"});
//   absl::StatusOr<std::string> line =
//       server.WaitForStderrLine("\"message\":\"serving\"", absl::Seconds(30));
//   server.Signal(SIGTERM);
//   int code = server.Wait();

#ifndef LUREGUARD_TESTS_TESTING_SUBPROCESS_H_
#define LUREGUARD_TESTS_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lureguard::testing {

// A running child whose stderr is collected line by line. The destructor
// kills the child if it is still running.
class Subprocess {
 public:
  explicit Subprocess(std::vector<std::string> argv);
  ~Subprocess();

  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Waits until a stderr line containing `needle` appears and returns it.
  // DeadlineExceeded after `timeout`; FailedPrecondition if the child
  // exits first (with its stderr so far in the message).
  absl::StatusOr<std::string> WaitForStderrLine(absl::string_view needle,
                                                absl::Duration timeout);

  void Signal(int signal);
  // Waits for the child and returns its exit code (128 + signal if killed).
  int Wait();
  std::string stderr_text() const;
  pid_t pid() const { return pid_; }

 private:
  void ReadStderr(int fd);

  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::thread reader_;
  mutable absl::Mutex mu_;
  std::string stderr_ ABSL_GUARDED_BY(mu_);
  bool stderr_closed_ ABSL_GUARDED_BY(mu_) = false;
};

// Result of a program run to completion.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` with `stdin_text` on its stdin, waits (at most `timeout`,
// then kills it) and returns its exit code and output.
RunResult Run(const std::vector<std::string>& argv,
              absl::string_view stdin_text = "",
              absl::Duration timeout = absl::Seconds(60));

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_SUBPROCESS_H_
