// DESIGN.md §6's gRPC target, measured as it is stated: the QPS of
// CheckUrl against the QPS of an empty unary call (grpc.health.v1.Health/
// Check) on the same server, pinned to one core, in one run. Starts the
// real lureguard-server (its default config, with the per-key rate limit
// off so that every call is judged) on core 0 and drives it from core 1
// with asynchronous calls on several connections, alternating the two
// methods for a few rounds so that the machine's other load falls on both.
//
// CheckUrl is asked about a mix of real URLs when ../shared/data is there
// (the phishing URLs, whose domains are imported into the block list, and
// the top 100k domains' pages, interleaved), drawn with Zipf popularity by
// position (--order zipf, the default) or each in turn (--order cycle: a
// URL comes back only after all ~200k others, no cache helps).
//
// Besides the QPS it prints the server's CPU use in each phase (1.00: the
// server's core was busy the whole time, so the server, not the client,
// set the pace) and calls per server CPU second, which the machine's other
// load moves less than wall-clock QPS; at the end, how many CheckUrl calls
// the server's caches answered (lureguard_check_cache_lookups, scraped
// from its metrics listener, the one setting besides the rate limit that
// differs from the defaults).
//
// Usage: grpc_ratio_load [--rounds R] [--seconds S] [--inflight N]
//                        [--connections C] [--urls N] [--order zipf|cycle]
//                        [--server BINARY]
//   (defaults: 5 rounds of 4 s per method, 64 calls in flight on 4
//   connections, every URL of the data set; --server runs another build's
//   binary, e.g. main's, with the same client)
// Not a ctest: figures depend on the machine and its load.

#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "httplib.h"
#include "lureguard/v1/url_service.pb.h"
#include "tests/bench/load_server.h"
#include "tests/testing/process_stats.h"
#include "tests/testing/subprocess.h"

ABSL_FLAG(int, rounds, 5, "rounds of Health.Check then CheckUrl");
ABSL_FLAG(int, seconds, 4, "seconds per method and round");
ABSL_FLAG(int, inflight, 64, "calls in flight");
ABSL_FLAG(int, connections, 4, "HTTP/2 connections the calls share");
ABSL_FLAG(int, urls, 0, "distinct URLs to ask about; 0: all");
ABSL_FLAG(std::string, order, "zipf",
          "zipf: URLs drawn with Zipf popularity; cycle: each in turn");
ABSL_FLAG(std::string, server, LUREGUARD_SERVER_BINARY,
          "the lureguard-server binary to measure");

namespace {

using lureguard::bench::LoadServer;
using lureguard::testing::CpuSeconds;
using lureguard::testing::PinProcess;
using lureguard::testing::Run;

constexpr int kServerCore = 0;
constexpr int kClientCore = 1;
constexpr char kHealthMethod[] = "/grpc.health.v1.Health/Check";
constexpr char kCheckUrlMethod[] = "/lureguard.v1.UrlService/CheckUrl";

// The order of CheckUrl's URLs (CallOrder).
enum class Order { kCycle, kZipf };

struct Options {
  int rounds = 5;
  int seconds = 4;
  int inflight = 64;
  int connections = 4;
  int urls = 0;  // 0: all
  Order order = Order::kZipf;
  std::string server = LUREGUARD_SERVER_BINARY;
};

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Phishing URLs and top sites' pages, interleaved; generated ones (a
// tenth on the block-listed domain) without the data set.
std::vector<std::string> UrlMix(const std::vector<std::string>& phishing,
                                const std::vector<std::string>& top_domains,
                                int limit) {
  std::vector<std::string> urls;
  for (size_t i = 0; i < std::max(phishing.size(), top_domains.size()); ++i) {
    // Longer URLs are refused (limits.max_url_length): not a verdict.
    if (i < phishing.size() && phishing[i].size() <= 8192) {
      urls.push_back(phishing[i]);
    }
    if (i < top_domains.size()) {
      urls.push_back(absl::StrCat("https://www.", top_domains[i], "/",
                                  i % 3 == 0 ? "login" : "", "?ref=", i % 10));
    }
  }
  for (int i = 0; urls.empty() && i < 200000; ++i) {
    urls.push_back(
        i % 10 == 0
            ? absl::StrCat("https://login", i % 97, ".blocked-phish.test/s?", i)
            : absl::StrCat("https://www.site", i, ".example/p/", i % 7));
  }
  if (limit > 0 && urls.size() > static_cast<size_t>(limit)) {
    urls.resize(limit);
  }
  return urls;
}

// Which request each call sends: `count` indexes into `n` requests, each
// in turn (kCycle: every URL once before any comes back, the worst case
// for the server's caches) or drawn at random with Zipf (s = 1)
// popularity by position (kZipf: the top-100k list is in rank order, so
// popular sites come back as they do at a gateway).
std::vector<uint32_t> CallOrder(Order order, size_t n, size_t count) {
  std::vector<uint32_t> indexes(count);
  if (order == Order::kCycle) {
    for (size_t i = 0; i < count; ++i) indexes[i] = i % n;
    return indexes;
  }
  std::vector<double> cumulative(n);
  double sum = 0;
  for (size_t rank = 0; rank < n; ++rank) {
    sum += 1.0 / static_cast<double>(rank + 1);
    cumulative[rank] = sum;
  }
  std::mt19937_64 random(19);  // fixed: every run asks the same sequence
  std::uniform_real_distribution<double> uniform(0, sum);
  for (uint32_t& index : indexes) {
    index = static_cast<uint32_t>(std::lower_bound(cumulative.begin(),
                                                   cumulative.end(),
                                                   uniform(random)) -
                                  cumulative.begin());
    index = std::min<uint32_t>(index, n - 1);
  }
  return indexes;
}

grpc::ByteBuffer Serialized(const google::protobuf::Message& message) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// What one phase saw in its measured window.
struct PhaseResult {
  int64_t calls = 0;
  int64_t errors = 0;
  double seconds = 0;
  double server_cpu_seconds = 0;
  std::string first_error;
};

// Keeps `inflight` unary calls of `method` going over `stubs` from this
// thread until `duration` is over, cycling through `requests`. Counts the
// calls that end after a short warm-up (connections and the server's
// thread pool settle) and the server's CPU time over the same window.
class UnaryLoad {
 public:
  UnaryLoad(std::vector<std::unique_ptr<grpc::GenericStub>>& stubs,
            const std::string& method,
            const std::vector<grpc::ByteBuffer>& requests,
            const std::vector<uint32_t>& order, const std::string& token,
            pid_t server)
      : stubs_(stubs),
        method_(method),
        requests_(requests),
        order_(order),
        token_(token),
        server_(server) {}

  PhaseResult Run(int inflight, absl::Duration duration) {
    const absl::Time start = absl::Now();
    const absl::Time measure_from =
        start + std::min(absl::Milliseconds(500), duration / 4);
    const absl::Time end = start + duration;
    std::vector<Call> calls(inflight);
    for (size_t i = 0; i < calls.size(); ++i) Start(calls[i], i);
    PhaseResult result;
    bool measuring = false;
    absl::Time measured_start;
    double cpu_start = 0;
    int pending = inflight;
    void* tag = nullptr;
    bool ok = false;
    while (pending > 0 && cq_.Next(&tag, &ok)) {
      Call& call = *static_cast<Call*>(tag);
      const absl::Time now = absl::Now();
      if (!measuring && now >= measure_from) {
        measuring = true;
        measured_start = now;
        cpu_start = CpuSeconds(server_);
      }
      if (measuring) {
        ++result.calls;
        if (!ok || !call.status.ok()) {
          if (result.errors++ == 0) {
            result.first_error = absl::StrCat(call.status.error_code(), ": ",
                                              call.status.error_message());
          }
        }
      }
      if (now < end) {
        Start(call, next_++);
      } else {
        --pending;
      }
    }
    result.seconds = absl::ToDoubleSeconds(absl::Now() - measured_start);
    result.server_cpu_seconds = CpuSeconds(server_) - cpu_start;
    return result;
  }

  ~UnaryLoad() {
    cq_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
    }
  }

 private:
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
    grpc::ByteBuffer response;
    grpc::Status status;
  };

  void Start(Call& call, size_t n) {
    call.context = std::make_unique<grpc::ClientContext>();
    if (!token_.empty()) {
      call.context->AddMetadata("authorization", "Bearer " + token_);
    }
    call.context->set_deadline(std::chrono::system_clock::now() +
                               std::chrono::seconds(30));
    call.reader = stubs_[n % stubs_.size()]->PrepareUnaryCall(
        call.context.get(), method_, requests_[order_[n % order_.size()]],
        &cq_);
    call.reader->StartCall();
    call.reader->Finish(&call.response, &call.status, &call);
  }

  std::vector<std::unique_ptr<grpc::GenericStub>>& stubs_;
  const std::string method_;
  const std::vector<grpc::ByteBuffer>& requests_;
  const std::vector<uint32_t>& order_;
  const std::string token_;
  const pid_t server_;
  grpc::CompletionQueue cq_;
  size_t next_ = 0;
};

void PrintPhase(const char* name, int round, const PhaseResult& r) {
  std::printf(
      "round %d  %-8s %8.0f calls/s  server CPU %.2f  %8.0f calls per "
      "server CPU s  errors %lld\n",
      round, name, r.calls / r.seconds, r.server_cpu_seconds / r.seconds,
      r.server_cpu_seconds > 0 ? r.calls / r.server_cpu_seconds : 0.0,
      static_cast<long long>(r.errors));
  if (!r.first_error.empty()) {
    std::printf("  first error: code %s\n", r.first_error.c_str());
  }
  std::fflush(stdout);
}

PhaseResult Add(PhaseResult a, const PhaseResult& b) {
  a.calls += b.calls;
  a.errors += b.errors;
  a.seconds += b.seconds;
  a.server_cpu_seconds += b.server_cpu_seconds;
  return a;
}

double LoadAverage() {
  double load = -1;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

// The server's lureguard_check_cache_lookups samples, as hit rates: how
// many of the CheckUrl calls its caches answered (the counts cover the
// whole run; Health.Check does not touch them).
void PrintCacheHitRates(const std::string& metrics_address) {
  const size_t colon = metrics_address.rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(metrics_address.substr(colon + 1), &port)) {
    std::printf("cache hit rates: no metrics listener\n");
    return;
  }
  httplib::Client client(metrics_address.substr(0, colon), port);
  httplib::Result scraped = client.Get("/metrics");
  if (!scraped || scraped->status != 200) {
    std::printf("cache hit rates: /metrics did not answer\n");
    return;
  }
  std::map<std::string, double> lookups;  // by "cache,result"
  for (absl::string_view line : absl::StrSplit(scraped->body, '\n')) {
    if (!absl::ConsumePrefix(&line, "lureguard_check_cache_lookups{cache=\"")) {
      continue;
    }
    const size_t cache_end = line.find('"');
    const size_t result_at = line.find("result=\"");
    const size_t space = line.rfind(' ');
    double count = 0;
    if (cache_end == absl::string_view::npos ||
        result_at == absl::string_view::npos ||
        space == absl::string_view::npos ||
        !absl::SimpleAtod(line.substr(space + 1), &count)) {
      continue;
    }
    const absl::string_view result = line.substr(result_at + 8);
    lookups[absl::StrCat(line.substr(0, cache_end), ",",
                         result.substr(0, result.find('"')))] = count;
  }
  std::printf("cache hit rates (lureguard_check_cache_lookups):");
  const char* separator = " ";
  for (const char* cache : {"url", "lookalike"}) {
    const double hits = lookups[absl::StrCat(cache, ",hit")];
    const double misses = lookups[absl::StrCat(cache, ",miss")];
    std::printf("%s%s %.1f %% of %.0f lookups", separator, cache,
                hits + misses > 0 ? 100 * hits / (hits + misses) : 0,
                hits + misses);
    separator = ", ";
  }
  std::printf("\n");
}

int Main(const Options& options) {
  if (absl::Status s = PinProcess(getpid(), kClientCore); !s.ok()) {
    std::fprintf(stderr, "grpc_ratio_load: %s\n", s.ToString().c_str());
    return 1;
  }
  const std::string data = LUREGUARD_DATA_DIR;
  const std::vector<std::string> phishing =
      ReadLines(data + "/phishing-urls.txt");
  const std::vector<std::string> urls =
      UrlMix(phishing, ReadLines(data + "/top-domains-100k.txt"), options.urls);

  absl::StatusOr<std::unique_ptr<LoadServer>> started = LoadServer::Start(
      options.server,
      // Only the rate limit differs from the defaults: 1,000 calls/s per
      // key would cap CheckUrl far below what the server does. The metrics
      // listener, scraped once at the end, tells the caches' hit rates.
      "rate_limit { requests_per_second: 0 }\n"
      "metrics_listen: \"127.0.0.1:0\"\n");
  if (!started.ok()) {
    std::fprintf(stderr, "grpc_ratio_load: %s\n",
                 std::string(started.status().message()).c_str());
    return 1;
  }
  LoadServer& server = **started;
  if (absl::Status s = PinProcess(server.pid(), kServerCore); !s.ok()) {
    std::fprintf(stderr, "grpc_ratio_load: %s\n", s.ToString().c_str());
    return 1;
  }
  const std::string& address = server.address();
  const std::string& admin_token = server.admin_token();
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {LUREGUARD_CLI_BINARY, "--server", address,
                               "--token", admin_token});
    return Run(args, "", absl::Minutes(10));
  };
  lureguard::testing::RunResult key =
      cli({"keys", "create", "load", "--role", "verdict"});
  if (key.exit_code != 0) {
    std::fprintf(stderr, "grpc_ratio_load: keys create: %s\n", key.err.c_str());
    return 1;
  }
  const std::string token(absl::StripAsciiWhitespace(key.out));
  std::string blocked = data + "/phishing-domains.txt";
  if (phishing.empty()) {
    blocked = server.dir() + "/blocked.txt";
    std::ofstream(blocked) << "blocked-phish.test\n";
  }
  lureguard::testing::RunResult imported =
      cli({"blocklist", "import", blocked, "--format", "domains"});
  if (imported.exit_code != 0) {
    std::fprintf(stderr, "grpc_ratio_load: blocklist import: %s\n",
                 imported.err.c_str());
    return 1;
  }

  std::vector<grpc::ByteBuffer> check_requests;
  check_requests.reserve(urls.size());
  for (const std::string& url : urls) {
    lureguard::v1::CheckUrlRequest request;
    request.set_url(url);
    check_requests.push_back(Serialized(request));
  }
  const std::vector<grpc::ByteBuffer> health_requests = {
      Serialized(grpc::health::v1::HealthCheckRequest())};
  const std::vector<uint32_t> health_order = {0};
  const std::vector<uint32_t> check_order =
      CallOrder(options.order, check_requests.size(), 1 << 22);
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < options.connections; ++i) {
    // Distinct channel arguments keep gRPC from sharing one connection.
    grpc::ChannelArguments args;
    args.SetInt("lureguard.bench_connection", i);
    stubs.push_back(
        std::make_unique<grpc::GenericStub>(grpc::CreateCustomChannel(
            address, grpc::InsecureChannelCredentials(), args)));
  }

  std::printf(
      "server on core %d, client on core %d; %zu URLs (%s; %s), %d calls in "
      "flight on %d connections, %d rounds of %d s per method; load "
      "average %.2f\n",
      kServerCore, kClientCore, urls.size(),
      phishing.empty() ? "generated" : "phishing and top-100k, interleaved",
      options.order == Order::kZipf ? "Zipf popularity" : "each in turn",
      options.inflight, options.connections, options.rounds, options.seconds,
      LoadAverage());
  std::fflush(stdout);
  PhaseResult health_total, check_total;
  const absl::Duration phase = absl::Seconds(options.seconds);
  for (int round = 1; round <= options.rounds; ++round) {
    PhaseResult health = UnaryLoad(stubs, kHealthMethod, health_requests,
                                   health_order, "", server.pid())
                             .Run(options.inflight, phase);
    PrintPhase("Health", round, health);
    PhaseResult check = UnaryLoad(stubs, kCheckUrlMethod, check_requests,
                                  check_order, token, server.pid())
                            .Run(options.inflight, phase);
    PrintPhase("CheckUrl", round, check);
    health_total = Add(health_total, health);
    check_total = Add(check_total, check);
  }
  const double health_qps = health_total.calls / health_total.seconds;
  const double check_qps = check_total.calls / check_total.seconds;
  const double health_per_cpu =
      health_total.calls / health_total.server_cpu_seconds;
  const double check_per_cpu =
      check_total.calls / check_total.server_cpu_seconds;
  std::printf(
      "Health.Check %.0f calls/s, CheckUrl %.0f calls/s: ratio %.2f "
      "(per server CPU second: %.0f vs %.0f, ratio %.2f); errors %lld; "
      "load average %.2f\n",
      health_qps, check_qps, check_qps / health_qps, health_per_cpu,
      check_per_cpu, check_per_cpu / health_per_cpu,
      static_cast<long long>(health_total.errors + check_total.errors),
      LoadAverage());
  PrintCacheHitRates(server.metrics_address());
  stubs.clear();
  const int code = server.Stop();
  return health_total.errors + check_total.errors == 0 && code == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "CheckUrl against Health.Check QPS on the real server pinned to one "
      "core.\n  grpc_ratio_load [--rounds R] [--seconds S] [--inflight N] "
      "[--connections C] [--urls N] [--order zipf|cycle] [--server BINARY]");
  absl::ParseCommandLine(argc, argv);
  Options options;
  options.rounds = absl::GetFlag(FLAGS_rounds);
  options.seconds = absl::GetFlag(FLAGS_seconds);
  options.inflight = absl::GetFlag(FLAGS_inflight);
  options.connections = absl::GetFlag(FLAGS_connections);
  options.urls = absl::GetFlag(FLAGS_urls);
  options.server = absl::GetFlag(FLAGS_server);
  const std::string order = absl::GetFlag(FLAGS_order);
  if (options.rounds < 1 || options.seconds < 1 || options.inflight < 1 ||
      options.connections < 1 || options.urls < 0 ||
      (order != "zipf" && order != "cycle")) {
    std::fprintf(stderr, "grpc_ratio_load: bad flag value (see --help)\n");
    return 2;
  }
  options.order = order == "cycle" ? Order::kCycle : Order::kZipf;
  signal(SIGPIPE, SIG_IGN);
  return Main(options);
}
