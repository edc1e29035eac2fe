// A lureguard-server process on a loopback port with its own data dir, for
// integration tests: started from the real binary, reached over real gRPC
// (plaintext, or TLS with the credentials a test gives).

#ifndef LUREGUARD_TESTS_INTEGRATION_SERVER_PROCESS_H_
#define LUREGUARD_TESTS_INTEGRATION_SERVER_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/testing/subprocess.h"

namespace lureguard {

inline constexpr absl::Duration kStartTimeout = absl::Seconds(60);

class ServerProcess {
 public:
  // Starts the server on 127.0.0.1:0, its HTTP front on another free
  // loopback port (unless `extra_flags` has --listen or --http_listen,
  // which win as later flags), with `data_dir`. The test's channel uses
  // `credentials`; null for plaintext.
  explicit ServerProcess(
      const std::string& data_dir, std::vector<std::string> extra_flags = {},
      std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);

  // Waits for the "listening" line and connects; the first start's admin
  // key is read and exported as LUREGUARD_TOKEN for CLI runs.
  ::testing::AssertionResult WaitListening();
  // WaitListening, then waits for the "serving" line (every listener is
  // up by then) and reads the HTTP front's and metrics' addresses.
  ::testing::AssertionResult WaitServing();

  // Closes the test's channel (an open one would hold a graceful shutdown
  // for its whole grace period), sends SIGTERM and returns the exit code.
  int Stop();

  const std::string& address() const { return address_; }
  // The HTTP front's "127.0.0.1:PORT", known once WaitServing returned.
  const std::string& http_address() const { return http_address_; }
  // /metrics' "127.0.0.1:PORT" with --metrics_listen, once WaitServing
  // returned; else empty.
  const std::string& metrics_address() const { return metrics_address_; }
  const std::string& token() const { return token_; }
  testing::Subprocess& process() { return *process_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  std::unique_ptr<v1::UrlService::Stub> url() {
    return v1::UrlService::NewStub(channel_);
  }
  std::unique_ptr<v1::AdminService::Stub> admin() {
    return v1::AdminService::NewStub(channel_);
  }
  grpc::health::v1::HealthCheckResponse::ServingStatus Health();

 private:
  std::string data_dir_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::unique_ptr<testing::Subprocess> process_;
  std::string address_;
  std::string http_address_;
  std::string metrics_address_;
  std::string token_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A context with the server's admin key and a 60 s deadline.
std::unique_ptr<grpc::ClientContext> Context(const ServerProcess& server);

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_INTEGRATION_SERVER_PROCESS_H_
