#include "client/milter/metrics.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "prometheus/text_serializer.h"

namespace lureguard::milter {
namespace {

constexpr Disposition kDispositions[] = {
    Disposition::kAccept, Disposition::kQuarantine, Disposition::kReject,
    Disposition::kTempfail};
constexpr absl::string_view kVerdictLabels[] = {"allow", "warn", "block",
                                                "unavailable", "skipped"};
constexpr FailureKind kFailureKinds[] = {
    FailureKind::kUnavailable, FailureKind::kDeadline, FailureKind::kOverloaded,
    FailureKind::kError};

// 100 µs to 30 s: the milter's own work is sub-millisecond, a verdict of a
// large message takes hundreds of milliseconds.
prometheus::Histogram::BucketBoundaries Buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30};
}

std::string MessageKey(Disposition disposition, absl::string_view verdict) {
  return absl::StrCat(DispositionName(disposition), "/", verdict);
}

}  // namespace

absl::string_view FailureKindName(FailureKind kind) {
  switch (kind) {
    case FailureKind::kUnavailable:
      return "unavailable";
    case FailureKind::kDeadline:
      return "deadline";
    case FailureKind::kOverloaded:
      return "overloaded";
    case FailureKind::kError:
      return "error";
  }
  return "error";
}

MilterMetrics::MilterMetrics()
    : registry_(std::make_shared<prometheus::Registry>()) {
  auto& messages = prometheus::BuildCounter()
                       .Name("lureguard_milter_messages_total")
                       .Help(
                           "Messages finished, by what the MTA was told "
                           "(action) and the verdict")
                       .Register(*registry_);
  for (Disposition disposition : kDispositions) {
    for (absl::string_view verdict : kVerdictLabels) {
      messages_[MessageKey(disposition, verdict)] =
          &messages.Add({{"action", std::string(DispositionName(disposition))},
                         {"verdict", std::string(verdict)}});
    }
  }
  auto& failures = prometheus::BuildCounter()
                       .Name("lureguard_milter_failures_total")
                       .Help("Messages without a verdict, by reason")
                       .Register(*registry_);
  for (FailureKind kind : kFailureKinds) {
    failures_[FailureKindName(kind)] =
        &failures.Add({{"reason", std::string(FailureKindName(kind))}});
  }
  rpc_seconds_ = &prometheus::BuildHistogram()
                      .Name("lureguard_milter_rpc_seconds")
                      .Help("Time of RewriteMessage calls")
                      .Register(*registry_)
                      .Add({}, Buckets());
  callback_seconds_ = &prometheus::BuildHistogram()
                           .Name("lureguard_milter_eom_seconds")
                           .Help("Time in the end-of-message callback")
                           .Register(*registry_)
                           .Add({}, Buckets());
  added_seconds_ = &prometheus::BuildHistogram()
                        .Name("lureguard_milter_added_seconds")
                        .Help(
                            "End-of-message time outside the RPC: what "
                            "the milter itself adds")
                        .Register(*registry_)
                        .Add({}, Buckets());
  in_flight_ = &prometheus::BuildGauge()
                    .Name("lureguard_milter_rpcs_in_flight")
                    .Help("RewriteMessage calls running now")
                    .Register(*registry_)
                    .Add({});
}

void MilterMetrics::RecordMessage(Disposition disposition,
                                  absl::string_view verdict_label) {
  if (auto it = messages_.find(MessageKey(disposition, verdict_label));
      it != messages_.end()) {
    it->second->Increment();
  }
}

void MilterMetrics::RecordFailure(FailureKind kind) {
  failures_.at(FailureKindName(kind))->Increment();
}

void MilterMetrics::RecordLatency(absl::Duration callback, absl::Duration rpc) {
  callback_seconds_->Observe(absl::ToDoubleSeconds(callback));
  rpc_seconds_->Observe(absl::ToDoubleSeconds(rpc));
  added_seconds_->Observe(absl::ToDoubleSeconds(callback - rpc));
}

void MilterMetrics::CallStarted() { in_flight_->Increment(); }
void MilterMetrics::CallFinished() { in_flight_->Decrement(); }

std::string MilterMetrics::Exposition() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace lureguard::milter
