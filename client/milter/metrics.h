// lureguard-milter's Prometheus metrics (lureguard_milter_*), on
// prometheus-cpp's core library, in text exposition format 0.0.4.
//
// Labels come from fixed sets (dispositions, verdict labels, failure
// kinds), never from a message: no address, host or subject can become a
// label value. Every series exists from the start, so a dashboard sees
// zeros rather than gaps.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   MilterMetrics metrics;
//   metrics.RecordMessage(Disposition::kAccept, "allow");
//   metrics.RecordLatency(absl::Milliseconds(12), absl::Milliseconds(11));
//   std::string text = metrics.Exposition();

#ifndef LUREGUARD_CLIENT_MILTER_METRICS_H_
#define LUREGUARD_CLIENT_MILTER_METRICS_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/milter/decision.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace lureguard::milter {

// Why a message got no verdict: the `reason` label of
// lureguard_milter_failures_total.
enum class FailureKind {
  kUnavailable,  // the server could not be reached
  kDeadline,     // the deadline passed
  kOverloaded,   // max_in_flight calls were already running
  kError,        // the server answered another error
};
absl::string_view FailureKindName(FailureKind kind);

class MilterMetrics {
 public:
  MilterMetrics();
  MilterMetrics(const MilterMetrics&) = delete;
  MilterMetrics& operator=(const MilterMetrics&) = delete;

  // One message finished. `verdict_label` is MilterDecision::verdict_label.
  void RecordMessage(Disposition disposition, absl::string_view verdict_label);
  void RecordFailure(FailureKind kind);
  // Time in the end-of-message callback and, inside it, in the RPC; their
  // difference is what the milter itself adds.
  void RecordLatency(absl::Duration callback, absl::Duration rpc);
  void CallStarted();
  void CallFinished();

  std::string Exposition() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  absl::flat_hash_map<std::string, prometheus::Counter*> messages_;
  absl::flat_hash_map<std::string, prometheus::Counter*> failures_;
  prometheus::Histogram* rpc_seconds_;
  prometheus::Histogram* added_seconds_;
  prometheus::Histogram* callback_seconds_;
  prometheus::Gauge* in_flight_;
};

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_METRICS_H_
