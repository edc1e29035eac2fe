// CheckUrl QPS of one and of two lureguard-server replicas on one
// PostgreSQL store (issue #17): the real binary, each replica pinned to a
// core of its own with taskset (replica i on core i), driven over loopback
// gRPC by closed-loop threads of this process, spread over the replicas.
//
// Usage: replicas_load [--seconds S] [--passes N] [--threads T]
//   (defaults: 10 s a pass, 3 passes a shape, 8 threads)
// Prints every pass and the fastest of each shape, with the replicas' CPU
// time (calls per replica CPU-second, which the machine's other load
// disturbs less than calls per second) and the load average before and
// after. This process and PostgreSQL are not pinned: on a 2-core machine
// they share the replicas' cores, so the 2-replica figure is what two
// replicas sustain while the load generator takes part of their cores.
// Not a ctest: figures depend on the machine and its load.

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/bench/bench_support.h"
#include "tests/bench/check_url_load.h"
#include "tests/testing/log_field.h"
#include "tests/testing/postgres_test_server.h"
#include "tests/testing/process_stats.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace {

using lureguard::bench::MeasureCapacity;
using lureguard::bench::ProcessCpuSeconds;
using lureguard::testing::CpuSeconds;
using lureguard::testing::LogField;
using lureguard::testing::PostgresTestServer;
using lureguard::testing::Subprocess;
using lureguard::testing::TempDir;

struct Options {
  int seconds = 10;
  int passes = 3;
  int threads = 8;
};

// A replica: its process and gRPC address.
struct Replica {
  std::unique_ptr<Subprocess> process;
  std::string address;
};

std::string LoadAverage() {
  std::ifstream loadavg("/proc/loadavg");
  std::string one, five, fifteen;
  loadavg >> one >> five >> fifteen;
  return absl::StrCat(one, " ", five, " ", fifteen);
}

// Starts replica `index` pinned to core `index` on the store at `url`.
// Replicas after the first use the first one's admin key.
absl::StatusOr<Replica> StartReplica(int index, const TempDir& root,
                                     const std::string& config,
                                     const std::string& url) {
  const std::string data_dir = absl::StrCat(root.path(), "/var", index);
  std::filesystem::create_directories(data_dir);
  if (index > 0) {
    std::filesystem::copy_file(root.path() + "/var0/admin.token",
                               data_dir + "/admin.token");
  }
  Replica replica;
  replica.process = std::make_unique<Subprocess>(std::vector<std::string>{
      "/usr/bin/taskset", "-c", absl::StrCat(index), LUREGUARD_SERVER_BINARY,
      "--listen", "127.0.0.1:0", "--http_listen", "127.0.0.1:0", "--data_dir",
      data_dir, "--config", config, "--store", url});
  absl::StatusOr<std::string> listening = replica.process->WaitForStderrLine(
      "\"message\":\"listening\"", absl::Seconds(60));
  absl::StatusOr<std::string> serving = replica.process->WaitForStderrLine(
      "\"message\":\"serving\"", absl::Seconds(60));
  if (!listening.ok() || !serving.ok()) {
    return absl::UnavailableError(absl::StrCat("replica ", index,
                                               " did not start:\n",
                                               replica.process->stderr_text()));
  }
  replica.address = LogField(*listening, "listen");
  return replica;
}

// Runs the passes against `replicas`; returns the fastest calls/s.
double MeasureShape(const std::vector<const Replica*>& replicas,
                    const std::string& token, const Options& options) {
  std::vector<std::string> addresses;
  for (const Replica* replica : replicas) {
    addresses.push_back(replica->address);
  }
  // Warm-up: connections, the first snapshot reads, the CPU frequency.
  MeasureCapacity(addresses, token, options.threads, absl::Seconds(2));
  double fastest = 0;
  for (int pass = 1; pass <= options.passes; ++pass) {
    double cpu_before = 0;
    for (const Replica* replica : replicas) {
      cpu_before += CpuSeconds(replica->process->pid());
    }
    const double generator_before = ProcessCpuSeconds();
    const double qps = MeasureCapacity(addresses, token, options.threads,
                                       absl::Seconds(options.seconds));
    const double generator = ProcessCpuSeconds() - generator_before;
    double cpu = -cpu_before;
    for (const Replica* replica : replicas) {
      cpu += CpuSeconds(replica->process->pid());
    }
    std::printf(
        "  %zu replica(s), pass %d: %8.0f calls/s; replicas' CPU %.1f s "
        "(%.0f calls per replica CPU-second), load generator's CPU %.1f s\n",
        replicas.size(), pass, qps, cpu,
        cpu > 0 ? qps * options.seconds / cpu : 0.0, generator);
    std::fflush(stdout);
    fastest = std::max(fastest, qps);
  }
  return fastest;
}

int Main(const Options& options) {
  if (std::thread::hardware_concurrency() < 2) {
    std::fprintf(stderr, "replicas_load: needs 2 cores to pin 2 replicas\n");
    return 1;
  }
  absl::StatusOr<std::unique_ptr<PostgresTestServer>> postgres =
      PostgresTestServer::Start({.durable = true});
  if (!postgres.ok() || !(*postgres)->CreateDatabase("lureguard").ok()) {
    std::fprintf(stderr, "replicas_load: PostgreSQL: %s\n",
                 postgres.status().ToString().c_str());
    return 1;
  }
  const std::string url = (*postgres)->Url("lureguard");
  TempDir root;
  const std::string config = lureguard::bench::WriteLoadConfig(root.path());
  std::printf(
      "replicas_load: %d closed-loop threads, %d passes of %d s per shape; "
      "load average before: %s\n",
      options.threads, options.passes, options.seconds, LoadAverage().c_str());
  std::vector<Replica> replicas;
  for (int index = 0; index < 2; ++index) {
    absl::StatusOr<Replica> replica = StartReplica(index, root, config, url);
    if (!replica.ok()) {
      std::fprintf(stderr, "replicas_load: %s\n",
                   std::string(replica.status().message()).c_str());
      return 1;
    }
    replicas.push_back(*std::move(replica));
  }
  std::string token;
  std::getline(std::ifstream(root.path() + "/var0/admin.token"), token);

  // Both run throughout, so the second replica's idle polling is part of
  // both shapes; only the load's targets change.
  const double one = MeasureShape({&replicas[0]}, token, options);
  const double two = MeasureShape({&replicas[0], &replicas[1]}, token, options);
  std::printf(
      "replicas_load: CheckUrl fastest of %d passes: 1 replica %.0f calls/s, "
      "2 replicas %.0f calls/s (x%.2f); load average after: %s\n",
      options.passes, one, two, one > 0 ? two / one : 0.0,
      LoadAverage().c_str());
  for (Replica& replica : replicas) {
    replica.process->Signal(SIGTERM);
    replica.process->Wait();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    int value = 0;
    if (!absl::SimpleAtoi(argv[i + 1], &value) || value < 1) {
      std::fprintf(stderr, "replicas_load: %s needs a positive integer\n",
                   flag.c_str());
      return 1;
    }
    if (flag == "--seconds") {
      options.seconds = value;
    } else if (flag == "--passes") {
      options.passes = value;
    } else if (flag == "--threads") {
      options.threads = value;
    } else {
      std::fprintf(stderr,
                   "usage: replicas_load [--seconds S] [--passes N] "
                   "[--threads T]\n");
      return 1;
    }
  }
  return Main(options);
}
