// A throwaway redis-server for tests: started on a free loopback port with
// its own directory, no persistence, no system instance touched; stopped
// (and restarted on the same port) at will, to test outages.
//
// Example:
//   absl::StatusOr<std::unique_ptr<RedisTestServer>> redis =
//       RedisTestServer::Start();
//   ASSERT_TRUE(redis.ok()) << redis.status();
//   Connect((*redis)->url());
//   ASSERT_TRUE((*redis)->Stop().ok());     // Redis goes away
//   ASSERT_TRUE((*redis)->Restart().ok());  // and comes back, empty

#ifndef LUREGUARD_TESTS_TESTING_REDIS_TEST_SERVER_H_
#define LUREGUARD_TESTS_TESTING_REDIS_TEST_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::testing {

class RedisTestServer {
 public:
  // Starts /usr/bin/redis-server (scripts/setup installs it) and waits
  // until it answers PING. An error, never a skip, when it cannot start.
  static absl::StatusOr<std::unique_ptr<RedisTestServer>> Start();

  ~RedisTestServer();

  int port() const { return port_; }
  // "redis://127.0.0.1:PORT".
  std::string url() const;

  // Stops the server (SIGTERM) and waits for it to exit.
  absl::Status Stop();
  // Starts it again on the same port, empty, and waits for PING.
  absl::Status Restart();

  // Runs one command and returns its reply as text (integers in decimal,
  // arrays one element per line).
  absl::StatusOr<std::string> Command(const std::vector<std::string>& args);

 private:
  RedisTestServer() = default;
  absl::Status Launch();

  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_REDIS_TEST_SERVER_H_
