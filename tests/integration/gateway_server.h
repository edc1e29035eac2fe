// A real lureguard-server for the HTTP front's integration tests: gRPC,
// the HTTP front and the metrics endpoint each on a free loopback port
// (read back from the server's log lines), a temporary data dir, and the
// admin key the first start writes.
//
// Example:
//   GatewayServer server;
//   ASSERT_TRUE(server.Start());
//   std::string key = server.CreateKey("gw", v1::VERDICT);
//   server.Block("evil.test");
//   httplib::Client http(server.http_host(), server.http_port());

#ifndef LUREGUARD_TESTS_INTEGRATION_GATEWAY_SERVER_H_
#define LUREGUARD_TESTS_INTEGRATION_GATEWAY_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::testing {

namespace v1 = ::lureguard::v1;

class GatewayServer {
 public:
  explicit GatewayServer(std::vector<std::string> extra_flags = {});
  ~GatewayServer();

  // Starts the binary and waits until it serves; fails with its stderr.
  ::testing::AssertionResult Start();
  // SIGTERM, then the exit code. Idempotent.
  int Stop();

  const std::string& grpc_address() const { return grpc_address_; }
  int http_port() const { return http_port_; }
  int metrics_port() const { return metrics_port_; }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& data_dir() const { return dir_.path(); }
  Subprocess& process() { return *process_; }

  // A new API key's token (fails the test when it cannot be created).
  std::string CreateKey(const std::string& name, v1::ApiKeyRole role);
  // Adds `value` to the block list.
  void Block(const std::string& value);
  // A gRPC CheckUrl with the admin key.
  v1::CheckUrlResponse CheckUrl(const std::string& url);

  // For other admin calls: a stub and a context with the admin key.
  std::unique_ptr<v1::AdminService::Stub> admin() const {
    return v1::AdminService::NewStub(channel_);
  }
  std::unique_ptr<grpc::ClientContext> Context() const;

 private:
  TempDir dir_;
  std::vector<std::string> extra_flags_;
  std::unique_ptr<Subprocess> process_;
  std::string grpc_address_;
  int http_port_ = 0;
  int metrics_port_ = 0;
  std::string admin_token_;
  int exit_code_ = -1;
  std::shared_ptr<grpc::Channel> channel_;
};

// The value of "key":"VALUE" in a JSON log line, or "".
std::string LogField(absl::string_view line, absl::string_view key);

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_INTEGRATION_GATEWAY_SERVER_H_
