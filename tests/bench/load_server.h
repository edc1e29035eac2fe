// The real lureguard-server as the load programs start it: a binary (this
// build's or another's), a throwaway data dir, a config text, loopback
// ports; its gRPC address and first admin key once it serves.
//
// Example:
//   absl::StatusOr<std::unique_ptr<LoadServer>> server = LoadServer::Start(
//       LUREGUARD_SERVER_BINARY, "rate_limit { requests_per_second: 0 }\n");
//   Use((*server)->address(), (*server)->admin_token());
//   int code = (*server)->Stop();

#ifndef LUREGUARD_TESTS_BENCH_LOAD_SERVER_H_
#define LUREGUARD_TESTS_BENCH_LOAD_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::bench {

class LoadServer {
 public:
  // Starts `binary` with `config_text` as its --config and waits until it
  // serves. FailedPrecondition with its stderr when it does not start.
  static absl::StatusOr<std::unique_ptr<LoadServer>> Start(
      const std::string& binary, const std::string& config_text);

  // SIGTERM; the exit code.
  int Stop();

  pid_t pid() const { return process_->pid(); }
  const std::string& address() const { return address_; }
  // host:port of /metrics; empty unless the config sets metrics_listen.
  const std::string& metrics_address() const { return metrics_address_; }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& dir() const { return dir_.path(); }

 private:
  LoadServer() = default;

  testing::TempDir dir_;
  std::unique_ptr<testing::Subprocess> process_;
  std::string address_;
  std::string metrics_address_;
  std::string admin_token_;
};

}  // namespace lureguard::bench

#endif  // LUREGUARD_TESTS_BENCH_LOAD_SERVER_H_
