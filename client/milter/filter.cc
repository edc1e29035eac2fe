#include "client/milter/filter.h"

#include "server/common/log.h"

namespace lureguard::milter {

MessageFilter::MessageFilter(const v1::MilterConfig& config,
                             MessageJudge* judge, MilterMetrics* metrics)
    : config_(config), router_(config), judge_(judge), metrics_(metrics) {}

v1::RewriteMessageRequest MessageFilter::RequestFor(
    const MessageCollector& message, const std::string& tenant) const {
  v1::RewriteMessageRequest request;
  request.set_message(message.Message());
  request.set_tenant(tenant);
  request.set_message_id(message.message_id());
  request.set_sender(message.sender());
  // Click tokens carry one recipient's opaque id; a message to several
  // people shares its links, so it carries none.
  if (message.recipients().size() == 1) {
    request.set_recipient(message.recipients().front());
  }
  return request;
}

FilterResult MessageFilter::Judge(const MessageCollector& message) const {
  FilterResult result;
  if (message.over_limit()) {
    result.decision = DecideOnOversize(message.size());
    return result;
  }
  result.tenant = router_.TenantFor(message.recipients());
  JudgeResult judged = judge_->Rewrite(RequestFor(message, result.tenant));
  result.rpc_time = judged.rpc_time;
  if (!judged.response.ok()) {
    if (metrics_ != nullptr) metrics_->RecordFailure(judged.failure);
    LogWarning("no verdict", {{"reason", FailureKindName(judged.failure)},
                              {"error", judged.response.status().message()}});
    result.decision = DecideOnFailure(config_, judged.response.status());
    return result;
  }
  const v1::RewriteMessageResponse& response = *judged.response;
  result.links = response.links_size();
  for (const v1::RewrittenLink& link : response.links()) {
    if (!link.rewritten_url().empty()) ++result.links_rewritten;
  }
  absl::StatusOr<std::string> body =
      BodyOfRewrittenMessage(message.headers(), response.message());
  if (!body.ok()) {
    // The verdict still counts; the body stays as it arrived.
    LogWarning("rewritten message unusable",
               {{"error", body.status().message()}});
  }
  const bool body_changed = body.ok() && *body != message.body();
  result.decision = DecideOnVerdict(config_, response.verdict(), body_changed);
  if (result.decision.replace_body) result.new_body = *std::move(body);
  return result;
}

}  // namespace lureguard::milter
