// The server's Prometheus metrics, named lureguard_*, on prometheus-cpp's
// core library (Debian's prometheus-cpp-dev) and served as text exposition
// format 0.0.4 by the HTTP listener on `--metrics_listen`.
//
// Labels are low-cardinality by construction: gRPC methods known to the
// process, canonical status codes, verdict actions and reason codes, the
// HTTP front's own routes, feed names an admin configured. Never a URL, a
// host, a key or a user: callers pass enums, not strings from requests.
//
// Counters and histograms of each label set are created on first use and
// then reached through lock-free tables, so recording a call costs a few
// atomic operations. Gauges that describe state (snapshot size and age,
// feed status) are computed when scraped, from collectors the server adds.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization. AddCollector is meant for start-up.
//
// Example:
//   ServerMetrics metrics(GrpcMethodsOf({"lureguard.v1.UrlService"}));
//   metrics.RecordRpc("/lureguard.v1.UrlService/CheckUrl",
//                     grpc::StatusCode::OK, absl::Microseconds(180));
//   std::string text = metrics.Exposition();

#ifndef LUREGUARD_SERVER_SERVICE_METRICS_H_
#define LUREGUARD_SERVER_SERVICE_METRICS_H_

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"
#include "server/verdict/verdict.h"

namespace lureguard::service {

// The HTTP front's routes, the only values of the `path` label.
enum class HttpRoute { kHealthz = 0, kAuthz = 1, kMetrics = 2, kOther = 3 };
absl::string_view HttpRouteLabel(HttpRoute route);

// "OK", "INVALID_ARGUMENT", ... for a canonical code; "UNKNOWN" for any
// other number.
absl::string_view StatusCodeName(int code);

// Every lureguard_* metric of one server process, and its exposition.
class ServerMetrics {
 public:
  // Computes gauges when /metrics is scraped.
  using Collector = std::function<std::vector<prometheus::MetricFamily>()>;

  // `grpc_methods` lists the "/package.Service/Method" names the process
  // serves; only they get their own label values.
  explicit ServerMetrics(const std::vector<std::string>& grpc_methods);
  ~ServerMetrics();

  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // One finished gRPC call. `full_method` is "/package.Service/Method";
  // a method this process does not serve is counted as service and method
  // "unknown", so a client cannot invent label values. `code` is a
  // canonical status code (0-16).
  void RecordRpc(absl::string_view full_method, int code,
                 absl::Duration latency);

  // One verdict handed out (gRPC or HTTP): its action and each reason code.
  void RecordVerdict(const verdict::Verdict& verdict);

  // One HTTP request answered with `status`.
  void RecordHttp(HttpRoute route, int status, absl::Duration latency);

  // Adds gauges computed at scrape time.
  void AddCollector(Collector collector);

  // Every metric in Prometheus text exposition format 0.0.4.
  std::string Exposition() const;

 private:
  // Series of one metric, indexed by a small integer key and created on
  // first use; reads after that are one atomic load.
  template <typename T, size_t N>
  using Table = std::array<std::atomic<T*>, N>;

  struct MethodSeries {
    std::string service;
    std::string method;
    Table<prometheus::Counter, 17> handled{};
    Table<prometheus::Histogram, 17> seconds{};
  };

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& rpc_handled_;
  prometheus::Family<prometheus::Histogram>& rpc_seconds_;
  prometheus::Family<prometheus::Counter>& verdicts_;
  prometheus::Family<prometheus::Counter>& verdict_reasons_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_seconds_;

  // Built in the constructor and never changed: lookups take no lock.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodSeries>> methods_;
  MethodSeries unknown_method_;

  Table<prometheus::Counter, 5> verdict_by_action_{};
  Table<prometheus::Counter, 256> reason_by_code_{};
  Table<prometheus::Counter, 4 * 600> http_by_route_status_{};
  Table<prometheus::Histogram, 4 * 600> http_seconds_by_route_status_{};

  mutable absl::Mutex collectors_mu_;
  std::vector<Collector> collectors_ ABSL_GUARDED_BY(collectors_mu_);
};

// The "/package.Service/Method" names of the services named (full names,
// "lureguard.v1.UrlService"), from the compiled-in protobuf descriptors.
// A name without a descriptor is skipped.
std::vector<std::string> GrpcMethodsOf(
    const std::vector<std::string>& service_names);

// Helpers for collectors: one sample with labels, and a family of them.
// Counters read at scrape time (atomics a component keeps) are exposed as
// counters, so rate() works on them; state is a gauge.
prometheus::ClientMetric GaugeSample(
    double value, std::vector<prometheus::ClientMetric::Label> labels = {});
prometheus::MetricFamily GaugeFamily(
    std::string name, std::string help,
    std::vector<prometheus::ClientMetric> samples);
prometheus::ClientMetric CounterSample(
    double value, std::vector<prometheus::ClientMetric::Label> labels = {});
prometheus::MetricFamily CounterFamily(
    std::string name, std::string help,
    std::vector<prometheus::ClientMetric> samples);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_METRICS_H_
