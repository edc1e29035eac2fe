#include "server/service/http_connection_stats.h"

#include <string>
#include <utility>

namespace lureguard::service {
namespace {

prometheus::ClientMetric CounterSample(double value, std::string label,
                                       std::string label_value) {
  prometheus::ClientMetric sample;
  sample.label = {{std::move(label), std::move(label_value)}};
  sample.counter.value = value;
  return sample;
}

}  // namespace

std::vector<prometheus::MetricFamily> HttpConnectionStats::Families() const {
  prometheus::MetricFamily open;
  open.name = "lureguard_http_connections_open";
  open.help = "Connections open on the HTTP front.";
  open.type = prometheus::MetricType::Gauge;
  prometheus::ClientMetric open_sample;
  open_sample.gauge.value = static_cast<double>(this->open());
  open.metric.push_back(std::move(open_sample));

  prometheus::MetricFamily rejected;
  rejected.name = "lureguard_http_connections_rejected_total";
  rejected.help =
      "HTTP front connections refused (per_ip, full) or closed to make room "
      "(shed), by reason.";
  rejected.type = prometheus::MetricType::Counter;
  const char* reasons[] = {"per_ip", "full", "shed"};
  for (int i = 0; i < 3; ++i) {
    rejected.metric.push_back(CounterSample(
        static_cast<double>(rejected_[i].load(std::memory_order_relaxed)),
        "reason", reasons[i]));
  }

  prometheus::MetricFamily timeouts;
  timeouts.name = "lureguard_http_timeouts_total";
  timeouts.help =
      "HTTP front connections closed for a deadline, by phase (header "
      "includes the TLS handshake).";
  timeouts.type = prometheus::MetricType::Counter;
  const char* phases[] = {"header", "body", "write", "idle"};
  for (int i = 0; i < 4; ++i) {
    timeouts.metric.push_back(CounterSample(
        static_cast<double>(timeouts_[i].load(std::memory_order_relaxed)),
        "phase", phases[i]));
  }
  return {std::move(open), std::move(rejected), std::move(timeouts)};
}

}  // namespace lureguard::service
