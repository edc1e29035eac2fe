#include "server/service/http_limits.h"

#include "server/service/convert.h"

namespace lureguard::service {

HttpLimits HttpLimitsFromConfig(const v1::HttpFrontConfig& http) {
  HttpLimits limits;
  limits.header_timeout = FromProto(http.header_timeout());
  limits.body_timeout = FromProto(http.body_timeout());
  limits.write_timeout = FromProto(http.write_timeout());
  limits.idle_timeout = FromProto(http.read_timeout());
  limits.max_header_bytes = static_cast<size_t>(http.max_header_bytes());
  limits.max_header_count = static_cast<size_t>(http.max_header_count());
  limits.max_body_bytes = static_cast<size_t>(http.max_body_bytes());
  limits.max_connections = static_cast<size_t>(http.max_connections());
  limits.max_connections_per_ip =
      static_cast<size_t>(http.max_connections_per_ip());
  limits.handler_threads = http.threads();
  limits.io_threads = http.io_threads();
  return limits;
}

HttpLimits MetricsHttpLimits() {
  HttpLimits limits;
  limits.max_header_bytes = 8 << 10;
  limits.max_header_count = 50;
  limits.max_body_bytes = 0;
  limits.max_connections = 64;
  limits.max_connections_per_ip = 16;
  limits.handler_threads = 1;
  limits.io_threads = 1;
  return limits;
}

}  // namespace lureguard::service
