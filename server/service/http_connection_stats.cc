#include "server/service/http_connection_stats.h"

#include <utility>
#include <vector>

#include "server/service/metrics.h"

namespace lureguard::service {

std::vector<prometheus::MetricFamily> HttpConnectionStats::Families() const {
  std::vector<prometheus::ClientMetric> rejected;
  const char* reasons[] = {"per_ip", "full", "shed"};
  for (int i = 0; i < 3; ++i) {
    rejected.push_back(CounterSample(
        static_cast<double>(rejected_[i].load(std::memory_order_relaxed)),
        {{"reason", reasons[i]}}));
  }
  std::vector<prometheus::ClientMetric> timeouts;
  const char* phases[] = {"header", "body", "write", "idle"};
  for (int i = 0; i < 4; ++i) {
    timeouts.push_back(CounterSample(
        static_cast<double>(timeouts_[i].load(std::memory_order_relaxed)),
        {{"phase", phases[i]}}));
  }
  return {
      GaugeFamily("lureguard_http_connections_open",
                  "Connections open on the HTTP front.",
                  {GaugeSample(static_cast<double>(open()))}),
      CounterFamily("lureguard_http_connections_rejected_total",
                    "HTTP front connections refused (per_ip, full) or closed "
                    "to make room (shed), by reason.",
                    std::move(rejected)),
      CounterFamily("lureguard_http_timeouts_total",
                    "HTTP front connections closed for a deadline, by phase "
                    "(header includes the TLS handshake).",
                    std::move(timeouts))};
}

}  // namespace lureguard::service
