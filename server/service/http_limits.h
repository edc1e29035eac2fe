// The limits one HTTP listener holds every client to: time to send a
// request's header and body, time to take an answer, idle keep-alive time,
// header and body sizes, and connections in all and per client address.
// The front's come from `ServerConfig.http` (config.proto documents each
// and its default); the metrics listener uses fixed ones.

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_LIMITS_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_LIMITS_H_

#include <cstddef>

#include "absl/time/time.h"
#include "lureguard/v1/config.pb.h"

namespace lureguard::service {

struct HttpLimits {
  absl::Duration header_timeout = absl::Seconds(10);
  absl::Duration body_timeout = absl::Seconds(10);
  absl::Duration write_timeout = absl::Seconds(10);
  absl::Duration idle_timeout = absl::Seconds(5);
  size_t max_header_bytes = 16 << 10;  // nginx: 4 buffers of 8 KiB at most
  size_t max_header_count = 100;       // Apache's LimitRequestFields
  size_t max_body_bytes = 64 << 10;
  size_t max_connections = 10000;
  size_t max_connections_per_ip = 1024;
  int handler_threads = 8;
  int io_threads = 2;
};

// The front's limits from `http` (defaults applied, validated).
HttpLimits HttpLimitsFromConfig(const v1::HttpFrontConfig& http);

// For /metrics: one scraper or a few, no body, small headers.
HttpLimits MetricsHttpLimits();

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_LIMITS_H_
