// The milter's work at the end of a message, without libmilter: build the
// RewriteMessage request (tenant from the recipients, recipient when there
// is one), call the service, and turn the answer (or its absence) into a
// MilterDecision plus the new body. libmilter_glue.cc applies the result.
//
// Thread safety: Judge is safe for concurrent use (one call per SMTP
// session thread); the filter holds no per-message state.
//
// Example:
//   MessageFilter filter(config, &judge, &metrics);
//   FilterResult result = filter.Judge(message, queue_id);
//   if (result.decision.replace_body) ... result.new_body ...

#ifndef LUREGUARD_CLIENT_MILTER_FILTER_H_
#define LUREGUARD_CLIENT_MILTER_FILTER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/milter/decision.h"
#include "client/milter/judge.h"
#include "client/milter/message.h"
#include "client/milter/metrics.h"
#include "client/milter/tenant_routing.h"
#include "lureguard/v1/milter_config.pb.h"

namespace lureguard::milter {

struct FilterResult {
  MilterDecision decision;
  // The body to write when decision.replace_body.
  std::string new_body;
  // Time in RewriteMessage (zero when none was made).
  absl::Duration rpc_time;
  // The tenant that judged the message (for logs).
  std::string tenant;
  // Links found and links rewritten (for logs).
  int links = 0;
  int links_rewritten = 0;
};

class MessageFilter {
 public:
  // `judge` and `metrics` (may be null) must outlive the filter.
  // REQUIRES: `config` passed ValidateMilterConfig.
  MessageFilter(const v1::MilterConfig& config, MessageJudge* judge,
                MilterMetrics* metrics);

  // Decides what happens to `message`. Never fails: without a verdict the
  // decision is the configured failure action.
  FilterResult Judge(const MessageCollector& message) const;

  const v1::MilterConfig& config() const { return config_; }
  MilterMetrics* metrics() const { return metrics_; }

 private:
  v1::RewriteMessageRequest RequestFor(const MessageCollector& message,
                                       const std::string& tenant) const;

  const v1::MilterConfig config_;
  const TenantRouter router_;
  MessageJudge* const judge_;
  MilterMetrics* const metrics_;
};

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_FILTER_H_
