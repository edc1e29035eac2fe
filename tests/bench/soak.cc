// A load and fault run against the real server (scripts/soak): measures
// what CheckUrl sustains on this machine, then holds a share of it (80 %
// by default) for minutes while admins write, a feed refreshes and 256
// slow HTTP clients hold connections open, as on the open internet. Prints
// per minute: calls, errors by code, CheckUrl p50/p99/max (from each
// call's scheduled start, so a stall shows as latency, not as fewer calls),
// /healthz p99 over HTTP, what the background work saw, and the server's
// resident memory.
//
// Usage: soak [--minutes M] [--load F] [--threads N] [--slow_clients K]
//             [--capacity_seconds S]
//   (defaults: 10 minutes, 0.8, 4 threads, 256 slow clients, 10 s)
// Not a ctest: figures depend on the machine and its load.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "httplib.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/bench/check_url_load.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/log_field.h"
#include "tests/testing/process_stats.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace {

namespace v1 = ::lureguard::v1;
using lureguard::bench::Context;
using lureguard::bench::MeasureCapacity;
using lureguard::bench::PortOf;
using lureguard::bench::UrlFor;
using lureguard::bench::WriteLoadConfig;
using lureguard::testing::HttpTestServer;
using lureguard::testing::LogField;
using lureguard::testing::ResidentKiB;
using lureguard::testing::Subprocess;
using lureguard::testing::TempDir;

struct Options {
  int minutes = 10;
  double load = 0.8;
  int threads = 4;
  int slow_clients = 256;
  int capacity_seconds = 10;
};

// A feed body of `count` hosts, different for each `generation`.
std::string FeedBody(int generation, int count) {
  std::string body;
  for (int i = 0; i < count; ++i) {
    absl::StrAppend(&body, "soak-feed-", generation, "-", i, ".example\n");
  }
  return body;
}

// Latencies and outcomes of one minute.
class MinuteStats {
 public:
  void Add(absl::Duration latency, grpc::StatusCode code) {
    absl::MutexLock lock(&mu_);
    latencies_.push_back(latency);
    ++codes_[code];
  }
  void AddHealthz(absl::Duration latency, bool ok) {
    absl::MutexLock lock(&mu_);
    healthz_.push_back(latency);
    if (!ok) ++healthz_errors_;
  }
  std::string Report() {
    absl::MutexLock lock(&mu_);
    std::string errors;
    int64_t error_count = 0;
    for (const auto& [code, count] : codes_) {
      if (code == grpc::StatusCode::OK) continue;
      error_count += count;
      absl::StrAppend(&errors, errors.empty() ? "" : ",", "code", code, ":",
                      count);
    }
    std::string line = absl::StrFormat(
        "calls %7d  errors %5d%s  p50 %7.2f ms  p99 %7.2f ms  max %7.1f ms  "
        "healthz p99 %6.2f ms (%d failed)",
        latencies_.size(), error_count,
        errors.empty() ? "" : absl::StrCat(" [", errors, "]"),
        Percentile(latencies_, 0.50), Percentile(latencies_, 0.99),
        Percentile(latencies_, 1.0), Percentile(healthz_, 0.99),
        healthz_errors_);
    latencies_.clear();
    healthz_.clear();
    codes_.clear();
    healthz_errors_ = 0;
    return line;
  }

 private:
  static double Percentile(std::vector<absl::Duration>& values, double q) {
    if (values.empty()) return 0;
    const size_t index =
        std::min(values.size() - 1, static_cast<size_t>(q * values.size()));
    std::nth_element(values.begin(), values.begin() + index, values.end());
    return absl::ToDoubleMilliseconds(values[index]);
  }

  absl::Mutex mu_;
  std::vector<absl::Duration> latencies_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Duration> healthz_ ABSL_GUARDED_BY(mu_);
  std::map<grpc::StatusCode, int64_t> codes_ ABSL_GUARDED_BY(mu_);
  int healthz_errors_ ABSL_GUARDED_BY(mu_) = 0;
};

// A client that sends a request header one byte every 3 s from `source`,
// reconnecting whenever the server cuts it off. Counts the cuts.
void SlowClient(int port, const std::string& source,
                const std::atomic<bool>& stop, std::atomic<int64_t>& cuts) {
  const std::string header =
      "GET /healthz HTTP/1.1\r\nHost: soak\r\nX-Slow: "
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  while (!stop.load()) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    (void)bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local));
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof(server)) !=
        0) {
      close(fd);
      cuts.fetch_add(1);
      absl::SleepFor(absl::Seconds(1));
      continue;
    }
    for (size_t i = 0; i < header.size() && !stop.load(); ++i) {
      if (send(fd, &header[i], 1, MSG_NOSIGNAL) != 1) {
        cuts.fetch_add(1);
        break;
      }
      for (int tick = 0; tick < 30 && !stop.load(); ++tick) {
        absl::SleepFor(absl::Milliseconds(100));
      }
    }
    close(fd);
  }
}

int Main(const Options& options) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<HttpTestServer>> feed_server =
      HttpTestServer::Start();
  if (!feed_server.ok()) {
    std::fprintf(stderr, "soak: %s\n",
                 std::string(feed_server.status().message()).c_str());
    return 1;
  }
  (*feed_server)->SetResponse("/feed.txt", {.body = FeedBody(0, 5000)});
  const std::string config = WriteLoadConfig(dir.path());
  Subprocess server({LUREGUARD_SERVER_BINARY, "--listen", "127.0.0.1:0",
                     "--http_listen", "127.0.0.1:0", "--data_dir",
                     dir.path() + "/var", "--config", config,
                     "--allow_private_targets"});
  absl::StatusOr<std::string> listening =
      server.WaitForStderrLine("\"message\":\"listening\"", absl::Seconds(60));
  absl::StatusOr<std::string> http = server.WaitForStderrLine(
      "\"message\":\"http front listening\"", absl::Seconds(60));
  if (!listening.ok() || !http.ok()) {
    std::fprintf(stderr, "soak: the server did not start:\n%s\n",
                 server.stderr_text().c_str());
    return 1;
  }
  const std::string address = LogField(*listening, "listen");
  const int http_port = PortOf(LogField(*http, "http_listen"));
  std::string token;
  std::getline(std::ifstream(dir.path() + "/var/admin.token"), token);
  auto admin = v1::AdminService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));

  v1::CreateFeedRequest create_feed;
  create_feed.mutable_feed()->set_name("soak");
  create_feed.mutable_feed()->set_url((*feed_server)->Url("/feed.txt"));
  create_feed.mutable_feed()->set_format("domains");
  create_feed.mutable_feed()->mutable_interval()->set_seconds(3600);
  v1::Feed created;
  grpc::Status feed_status =
      admin->CreateFeed(Context(token).get(), create_feed, &created);
  if (!feed_status.ok()) {
    std::fprintf(stderr, "soak: CreateFeed: %s\n",
                 feed_status.error_message().c_str());
    return 1;
  }

  const double capacity =
      MeasureCapacity({address}, token, options.threads,
                      absl::Seconds(options.capacity_seconds));
  const double rate = capacity * options.load;
  std::printf(
      "soak: CheckUrl capacity %.0f calls/s (%d closed-loop threads, %d s); "
      "holding %.0f calls/s (%.0f %%) for %d min with admin writes every "
      "100 ms, a feed refresh every 10 s and %d slow HTTP clients\n",
      capacity, options.threads, options.capacity_seconds, rate,
      options.load * 100, options.minutes, options.slow_clients);
  std::fflush(stdout);

  std::atomic<bool> stop{false};
  MinuteStats stats;
  std::atomic<int64_t> admin_ok{0}, admin_failed{0}, feed_ok{0}, feed_failed{0},
      slow_cuts{0};
  std::vector<std::thread> background;

  // Slow clients from their own loopback addresses, 32 to an address, as
  // many attackers would come from many addresses.
  for (int i = 0; i < options.slow_clients; ++i) {
    background.emplace_back(SlowClient, http_port,
                            absl::StrCat("127.0.0.", 2 + i / 32),
                            std::cref(stop), std::ref(slow_cuts));
  }
  background.emplace_back([&] {  // admin writes
    std::vector<std::string> values;
    for (int n = 0; !stop.load(); ++n) {
      v1::CreateListEntryRequest request;
      request.set_list(v1::BLOCKLIST);
      request.set_value(absl::StrCat("soak-admin-", n, ".example"));
      v1::ListEntry entry;
      grpc::Status s =
          admin->CreateListEntry(Context(token).get(), request, &entry);
      (s.ok() ? admin_ok : admin_failed).fetch_add(1);
      if (s.ok()) values.push_back(request.value());
      if (values.size() > 500) {  // keep the list from growing without end
        v1::DeleteListEntryRequest remove;
        remove.set_list(v1::BLOCKLIST);
        remove.set_value(values.front());
        v1::DeleteListEntryResponse removed;
        grpc::Status d =
            admin->DeleteListEntry(Context(token).get(), remove, &removed);
        (d.ok() ? admin_ok : admin_failed).fetch_add(1);
        values.erase(values.begin());
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  });
  background.emplace_back([&] {  // feed refreshes with new contents
    for (int generation = 1; !stop.load(); ++generation) {
      for (int tick = 0; tick < 100 && !stop.load(); ++tick) {
        absl::SleepFor(absl::Milliseconds(100));
      }
      (*feed_server)
          ->SetResponse("/feed.txt", {.body = FeedBody(generation, 5000)});
      v1::RefreshFeedRequest request;
      request.set_name("soak");
      v1::Feed feed;
      grpc::Status s = admin->RefreshFeed(Context(token).get(), request, &feed);
      (s.ok() ? feed_ok : feed_failed).fetch_add(1);
    }
  });
  background.emplace_back([&] {  // /healthz as a load balancer probes it
    httplib::Client client("127.0.0.1", http_port);
    client.set_connection_timeout(5);
    client.set_read_timeout(5);
    while (!stop.load()) {
      const absl::Time start = absl::Now();
      httplib::Result result = client.Get("/healthz");
      stats.AddHealthz(absl::Now() - start, result && result->status == 200);
      absl::SleepFor(absl::Milliseconds(100));
    }
  });

  // Open loop: each worker owns every threads-th slot of one schedule.
  const int workers = options.threads * 2;
  const absl::Duration spacing = absl::Seconds(workers / rate);
  const absl::Time begin = absl::Now();
  const absl::Time end = begin + absl::Minutes(options.minutes);
  std::vector<std::thread> load;
  for (int w = 0; w < workers; ++w) {
    load.emplace_back([&, w] {
      auto stub = v1::UrlService::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
      absl::Time next = begin + spacing * w / workers;
      for (uint64_t n = w; next < end; n += workers, next += spacing) {
        if (absl::Now() < next) absl::SleepFor(next - absl::Now());
        v1::CheckUrlRequest request;
        request.set_url(UrlFor(n));
        v1::CheckUrlResponse response;
        grpc::Status s =
            stub->CheckUrl(Context(token).get(), request, &response);
        stats.Add(absl::Now() - next, s.error_code());
      }
    });
  }
  for (int minute = 1; minute <= options.minutes; ++minute) {
    const absl::Time mark = begin + absl::Minutes(minute);
    while (absl::Now() < mark) absl::SleepFor(absl::Milliseconds(200));
    std::printf(
        "minute %2d  %s  admin %lld ok/%lld failed  feed %lld ok/%lld "
        "failed  slow clients cut %lld  rss %.1f MiB\n",
        minute, stats.Report().c_str(),
        static_cast<long long>(admin_ok.exchange(0)),
        static_cast<long long>(admin_failed.exchange(0)),
        static_cast<long long>(feed_ok.exchange(0)),
        static_cast<long long>(feed_failed.exchange(0)),
        static_cast<long long>(slow_cuts.exchange(0)),
        ResidentKiB(server.pid()) / 1024.0);
    std::fflush(stdout);
  }
  for (std::thread& thread : load) thread.join();
  stop.store(true);
  for (std::thread& thread : background) thread.join();

  const absl::Time term = absl::Now();
  server.Signal(SIGTERM);
  const int code = server.Wait();
  std::printf("soak: SIGTERM to exit %.2f s, exit code %d\n",
              absl::ToDoubleSeconds(absl::Now() - term), code);
  return code == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    bool ok = true;
    if (flag == "--minutes") {
      ok = absl::SimpleAtoi(value, &options.minutes);
    } else if (flag == "--load") {
      ok = absl::SimpleAtod(value, &options.load);
    } else if (flag == "--threads") {
      ok = absl::SimpleAtoi(value, &options.threads);
    } else if (flag == "--slow_clients") {
      ok = absl::SimpleAtoi(value, &options.slow_clients);
    } else if (flag == "--capacity_seconds") {
      ok = absl::SimpleAtoi(value, &options.capacity_seconds);
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "soak: bad flag %s %s\n", flag.c_str(), value);
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  return Main(options);
}
