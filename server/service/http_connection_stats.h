// What an HTTP listener did with its connections, for /metrics:
//
//   lureguard_http_connections_open                 gauge, the connections
//       counted against max_connections (a shed one leaves it when shed,
//       a moment before its socket is closed)
//   lureguard_http_connections_rejected_total       counter, `reason`:
//       per_ip  refused, its client address had max_connections_per_ip
//       full    refused, max_connections reached and nobody to shed
//       shed    an open connection without a complete request, closed to
//               make room for a new one
//   lureguard_http_timeouts_total                   counter, `phase`:
//       header (TLS handshake or request header), body, write, idle
//       (keep-alive)
//
// Thread safety: safe for concurrent use; counters are relaxed atomics.
//
// Example:
//   HttpConnectionStats stats;
//   metrics.AddCollector([&stats] { return stats.Families(); });

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_CONNECTION_STATS_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_CONNECTION_STATS_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "prometheus/metric_family.h"

namespace lureguard::service {

class HttpConnectionStats {
 public:
  enum class Rejection { kPerIp = 0, kFull = 1, kShed = 2 };
  enum class Timeout { kHeader = 0, kBody = 1, kWrite = 2, kIdle = 3 };

  void Opened() { open_.fetch_add(1, std::memory_order_relaxed); }
  void Closed() { open_.fetch_sub(1, std::memory_order_relaxed); }
  void Rejected(Rejection reason) {
    rejected_[static_cast<int>(reason)].fetch_add(1, std::memory_order_relaxed);
  }
  void TimedOut(Timeout phase) {
    timeouts_[static_cast<int>(phase)].fetch_add(1, std::memory_order_relaxed);
  }

  int64_t open() const { return open_.load(std::memory_order_relaxed); }

  // The three families above, as collected at scrape time.
  std::vector<prometheus::MetricFamily> Families() const;

 private:
  std::atomic<int64_t> open_{0};
  std::atomic<int64_t> rejected_[3] = {};
  std::atomic<int64_t> timeouts_[4] = {};
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_CONNECTION_STATS_H_
