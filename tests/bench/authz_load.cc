// Load test of the HTTP front's /authz, the way a gateway calls it: keep-
// alive connections from several client threads, each request asking about
// one URL with a verdict key. Starts the real lureguard-server on loopback
// (temporary data dir, a block-list entry), runs for a fixed time, and
// prints requests/s and latency percentiles for /authz and, as the floor
// the HTTP stack itself sets, for /healthz.
//
// Usage: authz_load [--threads N] [--seconds S] [--server BINARY]
//   (defaults: 4 threads, 10 s per route, the lureguard-server of this
//   build; --server runs another build's binary, e.g. main's, so two
//   builds are compared with the same client). The per-key rate limit is
//   off, so every /authz request is judged rather than answered 429.
// Not a ctest: figures depend on the machine and its load.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "tests/testing/log_field.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace {

using lureguard::testing::LogField;
using lureguard::testing::Run;
using lureguard::testing::Subprocess;
using lureguard::testing::TempDir;

struct Result {
  int64_t requests = 0;
  int64_t errors = 0;
  std::vector<absl::Duration> latencies;
};

// Half the URLs are on the blocked domain, as a gateway in front of a
// phishing campaign would see; the rest are clean and distinct.
Result Load(int port, const std::string& path, const std::string& token,
            int threads, absl::Duration duration) {
  std::vector<Result> results(threads);
  std::vector<std::thread> workers;
  const absl::Time end = absl::Now() + duration;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      Result& mine = results[t];
      for (int64_t i = 0; absl::Now() < end; ++i) {
        const std::string url =
            i % 2 == 0 ? absl::StrCat("https://login", i % 97,
                                      ".evil-phish.test/signin?s=", i)
                       : absl::StrCat("https://www.site", i, ".example/p/", t);
        const httplib::Headers headers = {{"Authorization", "Bearer " + token},
                                          {"X-Original-URL", url}};
        const absl::Time start = absl::Now();
        httplib::Result r = client.Get(path.c_str(), headers);
        mine.latencies.push_back(absl::Now() - start);
        ++mine.requests;
        const int expected =
            path == "/healthz" ? 200 : (i % 2 == 0 ? 403 : 200);
        if (!r || r->status != expected) ++mine.errors;
      }
    });
  }
  for (std::thread& w : workers) w.join();
  Result total;
  for (Result& r : results) {
    total.requests += r.requests;
    total.errors += r.errors;
    total.latencies.insert(total.latencies.end(), r.latencies.begin(),
                           r.latencies.end());
  }
  std::sort(total.latencies.begin(), total.latencies.end());
  return total;
}

void Print(const std::string& name, const Result& r, absl::Duration duration) {
  auto at = [&r](double q) {
    if (r.latencies.empty()) return 0.0;
    return absl::ToDoubleMicroseconds(
        r.latencies[static_cast<size_t>(q * (r.latencies.size() - 1))]);
  };
  std::printf("%-8s %9.0f req/s  p50 %7.0f us  p99 %7.0f us  errors %lld\n",
              name.c_str(), r.requests / absl::ToDoubleSeconds(duration),
              at(0.5), at(0.99), static_cast<long long>(r.errors));
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 4;
  int seconds = 10;
  std::string binary = LUREGUARD_SERVER_BINARY;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--server") {
      binary = argv[i + 1];
      continue;
    }
    int* target = flag == "--threads"   ? &threads
                  : flag == "--seconds" ? &seconds
                                        : nullptr;
    if (target == nullptr || !absl::SimpleAtoi(argv[i + 1], target) ||
        *target < 1) {
      std::fprintf(stderr,
                   "usage: authz_load [--threads N] [--seconds S] "
                   "[--server BINARY]\n");
      return 1;
    }
  }
  TempDir dir;
  const std::string data_dir = dir.path() + "/var";
  const std::string config = dir.path() + "/lureguard.textproto";
  std::ofstream(config) << "rate_limit { requests_per_second: 0 }\n";
  Subprocess server({binary, "--config", config, "--listen", "127.0.0.1:0",
                     "--http_listen", "127.0.0.1:0", "--data_dir", data_dir});
  absl::StatusOr<std::string> grpc_line =
      server.WaitForStderrLine("\"message\":\"listening\"", absl::Minutes(1));
  absl::StatusOr<std::string> http_line = server.WaitForStderrLine(
      "\"message\":\"http front listening\"", absl::Minutes(1));
  absl::StatusOr<std::string> serving =
      server.WaitForStderrLine("\"message\":\"serving\"", absl::Minutes(1));
  if (!grpc_line.ok() || !http_line.ok() || !serving.ok()) {
    std::fprintf(stderr, "the server did not start:\n%s\n",
                 server.stderr_text().c_str());
    return 1;
  }
  const std::string http_address = LogField(*http_line, "http_listen");
  const int port =
      std::atoi(http_address.substr(http_address.rfind(':') + 1).c_str());
  std::string token;
  std::getline(std::ifstream(data_dir + "/admin.token"), token);
  lureguard::testing::RunResult added =
      Run({LUREGUARD_CLI_BINARY, "--server", LogField(*grpc_line, "listen"),
           "--token", token, "blocklist", "add", "evil-phish.test"});
  if (added.exit_code != 0) {
    std::fprintf(stderr, "blocklist add failed: %s\n", added.err.c_str());
    return 1;
  }

  const absl::Duration duration = absl::Seconds(seconds);
  std::printf(
      "%d client threads, %d s per route, keep-alive, server "
      "request log on\n",
      threads, seconds);
  Print("/healthz", Load(port, "/healthz", token, threads, duration), duration);
  Print("/authz", Load(port, "/authz", token, threads, duration), duration);
  server.Signal(SIGTERM);
  return server.Wait();
}
