#include "tests/integration/server_process.h"

#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>

#include "tests/testing/log_field.h"

namespace lureguard {

using testing::LogField;
ServerProcess::ServerProcess(
    const std::string& data_dir, std::vector<std::string> extra_flags,
    std::shared_ptr<grpc::ChannelCredentials> credentials)
    : data_dir_(data_dir),
      credentials_(credentials != nullptr
                       ? std::move(credentials)
                       : grpc::InsecureChannelCredentials()) {
  // Port 0 for the HTTP front too: its default, 8080, may be taken.
  std::vector<std::string> argv = {
      LUREGUARD_SERVER_BINARY, "--listen",   "127.0.0.1:0", "--http_listen",
      "127.0.0.1:0",           "--data_dir", data_dir};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  process_ = std::make_unique<testing::Subprocess>(argv);
}

::testing::AssertionResult ServerProcess::WaitListening() {
  absl::StatusOr<std::string> line =
      process_->WaitForStderrLine("\"message\":\"listening\"", kStartTimeout);
  if (!line.ok()) {
    return ::testing::AssertionFailure() << line.status();
  }
  address_ = LogField(*line, "listen");
  channel_ = grpc::CreateChannel(address_, credentials_);
  // The first start wrote the admin key; the CLI finds it through the
  // environment, as an admin's shell would.
  std::ifstream token_file(data_dir_ + "/admin.token");
  std::getline(token_file, token_);
  setenv("LUREGUARD_TOKEN", token_.c_str(), 1);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ServerProcess::WaitServing() {
  if (auto r = WaitListening(); !r) return r;
  absl::StatusOr<std::string> line =
      process_->WaitForStderrLine("\"message\":\"serving\"", kStartTimeout);
  if (!line.ok()) return ::testing::AssertionFailure() << line.status();
  // Logged before "serving" when they are on (the HTTP front unless
  // --http_listen is empty, metrics with --metrics_listen), so there is
  // nothing to wait for.
  absl::StatusOr<std::string> http = process_->WaitForStderrLine(
      "\"message\":\"http front listening\"", absl::ZeroDuration());
  if (http.ok()) http_address_ = LogField(*http, "http_listen");
  absl::StatusOr<std::string> metrics = process_->WaitForStderrLine(
      "\"message\":\"metrics listening\"", absl::ZeroDuration());
  if (metrics.ok()) metrics_address_ = LogField(*metrics, "metrics_listen");
  return ::testing::AssertionSuccess();
}

int ServerProcess::Stop() {
  channel_.reset();
  process_->Signal(SIGTERM);
  return process_->Wait();
}

grpc::health::v1::HealthCheckResponse::ServingStatus ServerProcess::Health() {
  auto stub = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

std::unique_ptr<grpc::ClientContext> Context(const ServerProcess& server) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + server.token());
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(60));
  return context;
}

}  // namespace lureguard
