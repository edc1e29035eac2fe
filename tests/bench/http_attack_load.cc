// The HTTP front under a slow-client attack: starts lureguard-server on
// loopback with its default configuration, holds 256 slow-header clients
// (a byte every 500 ms) and 1,000 idle connections open from 28 loopback
// addresses (each reconnects as soon as it is cut), and times /healthz on
// a fresh connection from 127.0.0.1 for a fixed time, each request given
// at most 5 s. Prints answered requests, failures and p50/p99, then the
// time from SIGTERM to exit with the attackers still connected.
//
// Usage: http_attack_load [--seconds S] [--server BINARY]
//   (defaults: 10 s, the lureguard-server of this build; --server runs
//   another build's binary, e.g. main's, under the same attack)
// Not a ctest: figures depend on the machine and its load.

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/testing/raw_http_connection.h"
#include "tests/testing/slow_client_attack.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace {

using lureguard::testing::ParseHttpResponses;
using lureguard::testing::RawConnection;
using lureguard::testing::SlowClientAttack;
using lureguard::testing::Subprocess;
using lureguard::testing::TempDir;

int PortOf(const std::string& line) {
  const std::string needle = "\"http_listen\":\"";
  const size_t start = line.find(needle) + needle.size();
  const std::string address = line.substr(start, line.find('"', start) - start);
  int port = 0;
  absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port);
  return port;
}

absl::Duration At(const std::vector<absl::Duration>& sorted, double q) {
  if (sorted.empty()) return absl::ZeroDuration();
  return sorted[static_cast<size_t>(q * (sorted.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 10;
  std::string binary = LUREGUARD_SERVER_BINARY;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--server") {
      binary = argv[i + 1];
    } else if (flag != "--seconds" ||
               !absl::SimpleAtoi(argv[i + 1], &seconds) || seconds < 1) {
      std::fprintf(stderr,
                   "usage: http_attack_load [--seconds S] [--server BINARY]\n");
      return 1;
    }
  }
  TempDir dir;
  Subprocess server({binary, "--listen", "127.0.0.1:0", "--http_listen",
                     "127.0.0.1:0", "--data_dir", dir.path() + "/var"});
  absl::StatusOr<std::string> http_line = server.WaitForStderrLine(
      "\"message\":\"http front listening\"", absl::Minutes(1));
  absl::StatusOr<std::string> serving =
      server.WaitForStderrLine("\"message\":\"serving\"", absl::Minutes(1));
  if (!http_line.ok() || !serving.ok()) {
    std::fprintf(stderr, "the server did not start:\n%s\n",
                 server.stderr_text().c_str());
    return 1;
  }
  const int port = PortOf(*http_line);

  std::vector<SlowClientAttack::Group> groups;
  for (int i = 0; i < 8; ++i) {
    groups.push_back({absl::StrCat("127.0.0.", 2 + i), 32, true});
  }
  for (int i = 0; i < 20; ++i) {
    groups.push_back({absl::StrCat("127.0.0.", 10 + i), 50, false});
  }
  std::vector<absl::Duration> latencies;
  int failures = 0;
  int64_t reconnects = 0;
  // The attack outlives the measurement: SIGTERM is sent with it going.
  {
    SlowClientAttack attack(port, groups, absl::Milliseconds(500));
    absl::SleepFor(absl::Seconds(1));
    const absl::Time end = absl::Now() + absl::Seconds(seconds);
    while (absl::Now() < end) {
      const absl::Time start = absl::Now();
      RawConnection client("127.0.0.1", port);
      const bool sent =
          client.connected() &&
          client.Send(
              "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      const std::string wire =
          sent ? client.Read(start + absl::Seconds(5)) : "";
      const auto answers = ParseHttpResponses(wire);
      if (answers.size() == 1 && answers[0].status == 200) {
        latencies.push_back(absl::Now() - start);
      } else {
        ++failures;
      }
    }
    reconnects = attack.reconnects();
    std::sort(latencies.begin(), latencies.end());
    std::printf(
        "/healthz under 256 slow + 1000 idle connections, %d s: %zu "
        "answered, %d failed or over 5 s; p50 %s p99 %s; attacker "
        "reconnects %lld\n",
        seconds, latencies.size(), failures,
        absl::FormatDuration(At(latencies, 0.5)).c_str(),
        absl::FormatDuration(At(latencies, 0.99)).c_str(),
        static_cast<long long>(reconnects));
    std::fflush(stdout);
    // With the attackers still connected.
    const absl::Time stop = absl::Now();
    server.Signal(SIGTERM);
    const int code = server.Wait();
    std::printf("SIGTERM to exit, attackers connected: %s (exit code %d)\n",
                absl::FormatDuration(absl::Now() - stop).c_str(), code);
  }
  return 0;
}
