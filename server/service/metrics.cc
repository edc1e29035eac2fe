#include "server/service/metrics.h"

#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "lureguard/v1/verdict.pb.h"
#include "prometheus/text_serializer.h"
#include "server/service/server.h"

namespace lureguard::service {
namespace {

namespace v1 = ::lureguard::v1;

// Canonical status code names, as gRPC and absl spell them.
constexpr std::array<const char*, 17> kCodeNames = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};

// From a loopback check (~50 µs) to a slow admin import (seconds).
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

// The series of `table[index]`, created through `create` on first use.
// Family::Add returns the same object for the same labels, so two threads
// racing here store the same pointer.
template <typename T, size_t N, typename Create>
T& Series(std::array<std::atomic<T*>, N>& table, size_t index, Create create) {
  T* series = table[index].load(std::memory_order_acquire);
  if (series == nullptr) {
    series = &create();
    table[index].store(series, std::memory_order_release);
  }
  return *series;
}

std::pair<std::string, std::string> SplitMethod(absl::string_view full) {
  // "/package.Service/Method"
  if (full.size() > 1 && full[0] == '/') full.remove_prefix(1);
  const size_t slash = full.find('/');
  if (slash == absl::string_view::npos) return {"unknown", "unknown"};
  return {std::string(full.substr(0, slash)),
          std::string(full.substr(slash + 1))};
}

}  // namespace

absl::string_view StatusCodeName(int code) {
  if (code < 0 || code >= static_cast<int>(kCodeNames.size())) {
    return "UNKNOWN";
  }
  return kCodeNames[code];
}

absl::string_view HttpRouteLabel(HttpRoute route) {
  switch (route) {
    case HttpRoute::kHealthz:
      return "/healthz";
    case HttpRoute::kAuthz:
      return "/authz";
    case HttpRoute::kMetrics:
      return "/metrics";
    case HttpRoute::kOther:
      return "other";
  }
  return "other";
}

std::vector<std::string> GrpcMethodsOf(
    const std::vector<std::string>& service_names) {
  std::vector<std::string> methods;
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : service_names) {
    const google::protobuf::ServiceDescriptor* service =
        pool->FindServiceByName(name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      methods.push_back(
          absl::StrCat("/", name, "/", service->method(i)->name()));
    }
  }
  return methods;
}

ServerMetrics::ServerMetrics(const std::vector<std::string>& grpc_methods)
    : registry_(std::make_shared<prometheus::Registry>()),
      rpc_handled_(prometheus::BuildCounter()
                       .Name("lureguard_grpc_server_handled_total")
                       .Help("gRPC calls completed, by method and status code.")
                       .Register(*registry_)),
      rpc_seconds_(
          prometheus::BuildHistogram()
              .Name("lureguard_grpc_server_handling_seconds")
              .Help("Time from receiving a gRPC call to sending its status, "
                    "by method and status code.")
              .Register(*registry_)),
      verdicts_(prometheus::BuildCounter()
                    .Name("lureguard_verdicts_total")
                    .Help("URL verdicts handed out (gRPC and HTTP), by action.")
                    .Register(*registry_)),
      verdict_reasons_(prometheus::BuildCounter()
                           .Name("lureguard_verdict_reasons_total")
                           .Help("Reasons carried by URL verdicts, by reason "
                                 "code.")
                           .Register(*registry_)),
      http_requests_(prometheus::BuildCounter()
                         .Name("lureguard_http_requests_total")
                         .Help("HTTP requests answered, by route and status.")
                         .Register(*registry_)),
      http_seconds_(prometheus::BuildHistogram()
                        .Name("lureguard_http_request_duration_seconds")
                        .Help("Time to answer an HTTP request, by route and "
                              "status.")
                        .Register(*registry_)) {
  prometheus::BuildGauge()
      .Name("lureguard_build_info")
      .Help("Always 1; the version of the running server is a label.")
      .Register(*registry_)
      .Add({{"version", kVersion}})
      .Set(1);
  unknown_method_.service = "unknown";
  unknown_method_.method = "unknown";
  for (const std::string& full : grpc_methods) {
    auto series = std::make_unique<MethodSeries>();
    std::tie(series->service, series->method) = SplitMethod(full);
    methods_.emplace(full, std::move(series));
  }
}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::RecordRpc(absl::string_view full_method, int code,
                              absl::Duration latency) {
  auto it = methods_.find(full_method);
  MethodSeries& series = it == methods_.end() ? unknown_method_ : *it->second;
  if (code < 0 || code >= static_cast<int>(kCodeNames.size())) code = 2;
  // Labels are built only the first time a series is needed.
  auto labels = [&] {
    return prometheus::Labels{{"grpc_service", series.service},
                              {"grpc_method", series.method},
                              {"grpc_code", std::string(StatusCodeName(code))}};
  };
  Series(series.handled, code, [&]() -> prometheus::Counter& {
    return rpc_handled_.Add(labels());
  }).Increment();
  Series(series.seconds, code, [&]() -> prometheus::Histogram& {
    return rpc_seconds_.Add(labels(), LatencyBuckets());
  }).Observe(absl::ToDoubleSeconds(latency));
}

void ServerMetrics::RecordVerdict(const verdict::Verdict& verdict) {
  const int action = static_cast<int>(verdict.action);
  if (action >= 0 && action < static_cast<int>(verdict_by_action_.size())) {
    Series(verdict_by_action_, action, [&]() -> prometheus::Counter& {
      return verdicts_.Add(
          {{"action", v1::Action_Name(static_cast<v1::Action>(action))}});
    }).Increment();
  }
  for (const verdict::Reason& reason : verdict.reasons) {
    const int code = static_cast<int>(reason.code);
    auto create = [&]() -> prometheus::Counter& {
      return verdict_reasons_.Add(
          {{"code", v1::ReasonCode_Name(static_cast<v1::ReasonCode>(code))}});
    };
    if (code >= 0 && code < static_cast<int>(reason_by_code_.size())) {
      Series(reason_by_code_, code, create).Increment();
    } else {
      create().Increment();  // a code past the table: slower, still right
    }
  }
}

void ServerMetrics::RecordHttp(HttpRoute route, int status,
                               absl::Duration latency) {
  if (status < 100 || status > 599) status = 500;
  const size_t index = static_cast<size_t>(route) * 600 + status;
  auto labels = [&] {
    return prometheus::Labels{{"path", std::string(HttpRouteLabel(route))},
                              {"status", absl::StrCat(status)}};
  };
  Series(http_by_route_status_, index, [&]() -> prometheus::Counter& {
    return http_requests_.Add(labels());
  }).Increment();
  Series(http_seconds_by_route_status_, index, [&]() -> prometheus::Histogram& {
    return http_seconds_.Add(labels(), LatencyBuckets());
  }).Observe(absl::ToDoubleSeconds(latency));
}

void ServerMetrics::AddCollector(Collector collector) {
  absl::MutexLock lock(&collectors_mu_);
  collectors_.push_back(std::move(collector));
}

std::string ServerMetrics::Exposition() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  {
    absl::MutexLock lock(&collectors_mu_);
    for (const Collector& collector : collectors_) {
      std::vector<prometheus::MetricFamily> more = collector();
      families.insert(families.end(), std::make_move_iterator(more.begin()),
                      std::make_move_iterator(more.end()));
    }
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

namespace {

prometheus::MetricFamily Family(std::string name, std::string help,
                                prometheus::MetricType type,
                                std::vector<prometheus::ClientMetric> samples) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  family.metric = std::move(samples);
  return family;
}

}  // namespace

prometheus::ClientMetric GaugeSample(
    double value, std::vector<prometheus::ClientMetric::Label> labels) {
  prometheus::ClientMetric sample;
  sample.label = std::move(labels);
  sample.gauge.value = value;
  return sample;
}

prometheus::MetricFamily GaugeFamily(
    std::string name, std::string help,
    std::vector<prometheus::ClientMetric> samples) {
  return Family(std::move(name), std::move(help), prometheus::MetricType::Gauge,
                std::move(samples));
}

prometheus::ClientMetric CounterSample(
    double value, std::vector<prometheus::ClientMetric::Label> labels) {
  prometheus::ClientMetric sample;
  sample.label = std::move(labels);
  sample.counter.value = value;
  return sample;
}

prometheus::MetricFamily CounterFamily(
    std::string name, std::string help,
    std::vector<prometheus::ClientMetric> samples) {
  return Family(std::move(name), std::move(help),
                prometheus::MetricType::Counter, std::move(samples));
}

}  // namespace lureguard::service
