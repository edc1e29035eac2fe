#include "tests/testing/postgres_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/testing/subprocess.h"

namespace lureguard::testing {
namespace {

constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";
constexpr char kRunuser[] = "/usr/sbin/runuser";

std::string Bin(absl::string_view name) {
  return absl::StrCat(kBinDir, "/", name);
}

// A port nothing listens on now. Another process could take it before the
// postmaster binds it; Start() then fails with the postmaster's log.
absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  const bool ok =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  if (!ok) return absl::InternalError("cannot bind a loopback port");
  return ntohs(address.sin_port);
}

absl::Status Check(const RunResult& result, absl::string_view what) {
  if (result.exit_code == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      what, " exited with ", result.exit_code, ": ", result.err, result.out));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresTestServer>> PostgresTestServer::Start(
    Options options) {
  for (const char* tool : {"initdb", "pg_ctl", "psql"}) {
    if (access(Bin(tool).c_str(), X_OK) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          Bin(tool), " is missing: install postgresql-15 (scripts/setup)"));
    }
  }
  absl::StatusOr<int> port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  std::unique_ptr<PostgresTestServer> server(
      new PostgresTestServer(options, *port));

  const std::string& dir = server->dir_.path();
  // mkdtemp made it 0700 root; the postgres user must reach and own it.
  chmod(dir.c_str(), 0755);
  if (geteuid() == 0) {
    const passwd* owner = getpwnam("postgres");
    if (owner == nullptr) {
      return absl::FailedPreconditionError(
          "no `postgres` user to run initdb as: install postgresql-15");
    }
    if (chown(dir.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
      return absl::InternalError(absl::StrCat("cannot chown ", dir));
    }
  }
  if (absl::Status s = server->RunAsOwner(
          {Bin("initdb"), "-D", server->data_dir_, "-A", "trust", "-U",
           "postgres", "-E", "UTF8", "--locale=C", "--no-sync"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = server->StartPostmaster(); !s.ok()) return s;
  return server;
}

PostgresTestServer::PostgresTestServer(Options options, int port)
    : options_(options), port_(port), data_dir_(dir_.path() + "/data") {}

PostgresTestServer::~PostgresTestServer() {
  if (running_) {
    RunAsOwner(
        {Bin("pg_ctl"), "-D", data_dir_, "-m", "immediate", "-w", "stop"})
        .IgnoreError();
  }
}

absl::Status PostgresTestServer::RunAsOwner(
    const std::vector<std::string>& argv) {
  std::vector<std::string> command;
  if (geteuid() == 0) command = {kRunuser, "-u", "postgres", "--"};
  command.insert(command.end(), argv.begin(), argv.end());
  return Check(Run(command, "", absl::Seconds(120)), argv[0]);
}

absl::Status PostgresTestServer::StartPostmaster() {
  std::string settings =
      absl::StrCat("-p ", port_, " -k ", dir_.path(),
                   " -c listen_addresses=127.0.0.1 -c max_connections=200");
  if (!options_.durable) {
    absl::StrAppend(&settings,
                    " -c fsync=off -c synchronous_commit=off"
                    " -c full_page_writes=off");
  }
  const std::string log = dir_.path() + "/postgres.log";
  absl::Status started =
      RunAsOwner({Bin("pg_ctl"), "-D", data_dir_, "-l", log, "-o", settings,
                  "-w", "-t", "60", "start"});
  if (!started.ok()) {
    RunResult tail = Run({"/usr/bin/tail", "-n", "20", log});
    return absl::Status(started.code(),
                        absl::StrCat(started.message(), "\n", tail.out));
  }
  running_ = true;
  return absl::OkStatus();
}

absl::Status PostgresTestServer::Stop() {
  if (!running_) return absl::OkStatus();
  running_ = false;
  return RunAsOwner(
      {Bin("pg_ctl"), "-D", data_dir_, "-m", "fast", "-w", "stop"});
}

absl::Status PostgresTestServer::Restart() {
  if (absl::Status s = Stop(); !s.ok()) return s;
  return StartPostmaster();
}

std::string PostgresTestServer::Url(absl::string_view database) const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", database);
}

absl::Status PostgresTestServer::CreateDatabase(absl::string_view name) {
  return Sql("postgres", absl::StrCat("CREATE DATABASE \"", name,
                                      "\" TEMPLATE template0 ENCODING 'UTF8'"
                                      " LC_COLLATE 'C' LC_CTYPE 'C'"))
      .status();
}

absl::StatusOr<std::string> PostgresTestServer::Sql(absl::string_view database,
                                                    absl::string_view sql) {
  RunResult result =
      Run({Bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
           "127.0.0.1", "-p", absl::StrCat(port_), "-U", "postgres", "-d",
           std::string(database), "-c", std::string(sql)});
  if (absl::Status s = Check(result, "psql"); !s.ok()) return s;
  return result.out;
}

}  // namespace lureguard::testing
