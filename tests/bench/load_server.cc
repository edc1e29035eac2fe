#include "tests/bench/load_server.h"

#include <signal.h>

#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tests/testing/log_field.h"

namespace lureguard::bench {

absl::StatusOr<std::unique_ptr<LoadServer>> LoadServer::Start(
    const std::string& binary, const std::string& config_text) {
  std::unique_ptr<LoadServer> server(new LoadServer());
  const std::string config = server->dir() + "/lureguard.textproto";
  const std::string data_dir = server->dir() + "/var";
  std::ofstream(config) << config_text;
  server->process_ =
      std::make_unique<testing::Subprocess>(std::vector<std::string>{
          binary, "--config", config, "--listen", "127.0.0.1:0",
          "--http_listen", "127.0.0.1:0", "--data_dir", data_dir});
  absl::StatusOr<std::string> listening = server->process_->WaitForStderrLine(
      "\"message\":\"listening\"", absl::Minutes(1));
  absl::StatusOr<std::string> serving = server->process_->WaitForStderrLine(
      "\"message\":\"serving\"", absl::Minutes(1));
  if (!listening.ok() || !serving.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the server did not start:\n", server->process_->stderr_text()));
  }
  server->address_ = testing::LogField(*listening, "listen");
  if (absl::StrContains(config_text, "metrics_listen")) {
    absl::StatusOr<std::string> metrics = server->process_->WaitForStderrLine(
        "\"message\":\"metrics listening\"", absl::Minutes(1));
    if (!metrics.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the server did not open its metrics listener:\n",
                       server->process_->stderr_text()));
    }
    server->metrics_address_ = testing::LogField(*metrics, "metrics_listen");
  }
  std::getline(std::ifstream(data_dir + "/admin.token"), server->admin_token_);
  return server;
}

int LoadServer::Stop() {
  process_->Signal(SIGTERM);
  return process_->Wait();
}

}  // namespace lureguard::bench
