// A throwaway PostgreSQL 15 cluster for tests and benchmarks: initdb into a
// fresh temporary directory, a postmaster on a free loopback port with its
// Unix socket in that directory, stopped and removed by the destructor.
// Nothing here touches a system instance.
//
// As root (the usual case in CI containers), initdb and pg_ctl run as the
// `postgres` user, which refuses to run them as root; the directory is
// handed to that user.
//
// Example:
//   absl::StatusOr<std::unique_ptr<PostgresTestServer>> pg =
//       PostgresTestServer::Start();
//   ASSERT_TRUE(pg.ok()) << pg.status();   // fails when postgres is missing
//   ASSERT_TRUE((*pg)->CreateDatabase("t1").ok());
//   OpenPostgresStore((*pg)->Url("t1"));

#ifndef LUREGUARD_TESTS_TESTING_POSTGRES_TEST_SERVER_H_
#define LUREGUARD_TESTS_TESTING_POSTGRES_TEST_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::testing {

class PostgresTestServer {
 public:
  struct Options {
    // Off for tests (a crash of the test machine loses nothing of value,
    // and fsyncs would dominate their run time); on for benchmarks, whose
    // figures must include the cost of durable commits.
    bool durable = false;
  };

  // Creates and starts the cluster. FailedPrecondition naming the missing
  // binary when PostgreSQL 15 is not installed (scripts/setup installs it):
  // callers fail rather than skip.
  static absl::StatusOr<std::unique_ptr<PostgresTestServer>> Start(
      Options options);
  static absl::StatusOr<std::unique_ptr<PostgresTestServer>> Start() {
    return Start(Options{});
  }

  // Stops the postmaster immediately and removes the cluster.
  ~PostgresTestServer();

  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;

  int port() const { return port_; }

  // A connection URL for `database` as the superuser over TCP loopback,
  // as an operator would pass it to `--store`.
  std::string Url(absl::string_view database) const;

  // CREATE DATABASE `name` (UTF-8, C collation).
  absl::Status CreateDatabase(absl::string_view name);

  // Runs `sql` in `database` with psql and returns its unaligned output,
  // rows one per line, columns separated by '|'. For tests that change a
  // database behind a store's back.
  absl::StatusOr<std::string> Sql(absl::string_view database,
                                  absl::string_view sql);

  // Stops the postmaster (`-m fast`: connections are cut) and starts it
  // again on the same port and data, for tests of a database restart.
  absl::Status Stop();
  absl::Status Restart();

 private:
  PostgresTestServer(Options options, int port);

  absl::Status RunAsOwner(const std::vector<std::string>& argv);
  absl::Status StartPostmaster();

  const Options options_;
  const int port_;
  TempDir dir_;
  std::string data_dir_;
  bool running_ = false;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_POSTGRES_TEST_SERVER_H_
