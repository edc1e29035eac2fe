// AdminService's certificate-transparency methods: CT logs and alerts.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/service/admin_service.h"
#include "server/service/authorize.h"
#include "server/service/convert.h"
#include "server/service/page_token.h"
#include "server/service/request_limits.h"
#include "server/store/audit_scope.h"

namespace lureguard::service {
namespace {

constexpr int kDefaultAlertPageSize = 100;
constexpr int kMaxAlertPageSize = 1000;
// How often a watch re-reads the store without a notification: alerts
// written by another process sharing the store arrive this late at most.
constexpr absl::Duration kWatchPoll = absl::Seconds(1);

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

void SetTime(absl::Time time, google::protobuf::Timestamp* out) {
  // The engine's "never" is the epoch; the API leaves such times unset.
  if (time != absl::UnixEpoch()) ToProto(time, *out);
}

void CtLogToProto(const certs::CtLogState& state, v1::CtLog& out) {
  out.set_name(state.config.name);
  out.set_url(state.config.url);
  out.set_api(state.config.api == certs::CtApi::kStatic ? v1::STATIC_CT
                                                        : v1::RFC6962);
  ToProto(state.config.interval, *out.mutable_interval());
  v1::CtLogStatus& status = *out.mutable_status();
  SetTime(state.create_time, status.mutable_create_time());
  status.set_tree_size(state.tree_size);
  status.set_cursor(state.cursor);
  SetTime(state.last_attempt_time, status.mutable_last_attempt_time());
  SetTime(state.last_success_time, status.mutable_last_success_time());
  status.set_last_error(state.last_error);
  status.set_consecutive_failures(state.consecutive_failures);
  SetTime(state.next_run_time, status.mutable_next_run_time());
  status.set_entries_read(state.entries_read);
  status.set_alert_count(state.alert_count);
  status.set_malformed_count(state.malformed_count);
  status.set_last_malformed(state.last_malformed);
  status.set_entries_per_second(state.entries_per_second);
}

void AlertToProto(const store::AlertRecord& alert, v1::Alert& out) {
  out.set_id(alert.id);
  out.set_name(alert.name);
  out.set_brand(alert.brand);
  out.set_technique(alert.technique);
  out.set_official_domain(alert.official_domain);
  out.set_weight(alert.weight);
  out.set_evidence(alert.evidence);
  out.set_issuer(alert.issuer);
  out.set_serial(alert.serial);
  out.set_cert_sha256(alert.cert_sha256);
  out.set_precertificate(alert.precertificate);
  ToProto(alert.not_before, *out.mutable_not_before());
  ToProto(alert.not_after, *out.mutable_not_after());
  out.set_log_name(alert.log_name);
  out.set_log_index(alert.log_index);
  ToProto(alert.create_time, *out.mutable_create_time());
  if (alert.ack_time.has_value()) {
    ToProto(*alert.ack_time, *out.mutable_ack_time());
  }
}

}  // namespace

grpc::Status AdminServiceImpl::CreateCtLog(
    grpc::ServerContext* context, const v1::CreateCtLogRequest* request,
    v1::CtLog* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  const v1::CtLog& log = request->log();
  certs::CtLogConfig config;
  config.name = log.name();
  config.url = log.url();
  if (log.api() == v1::RFC6962) {
    config.api = certs::CtApi::kRfc6962;
  } else if (log.api() == v1::STATIC_CT) {
    config.api = certs::CtApi::kStatic;
  } else {
    return Invalid("log.api: must be RFC6962 or STATIC_CT");
  }
  config.interval =
      log.has_interval() ? FromProto(log.interval()) : ct_.default_interval;
  std::optional<int64_t> start;
  if (request->has_start_index()) start = request->start_index();
  store::AuditScope audit(
      NewAudit(*context, *who, "CreateCtLog", "ct:" + config.name, ""));
  audit.record().after =
      absl::StrCat(log.url(), " ", v1::CtApi_Name(log.api()), " every ",
                   absl::FormatDuration(config.interval));
  absl::StatusOr<certs::CtLogState> state = ct_.monitor->Add(config, start);
  if (!state.ok()) return ToGrpcStatus(NameField("log", state.status()));
  LogInfo("CT log configured", {{"log", config.name}, {"by", who->key_name}});
  CtLogToProto(*state, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListCtLogs(grpc::ServerContext* context,
                                          const v1::ListCtLogsRequest*,
                                          v1::ListCtLogsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<std::vector<certs::CtLogState>> logs = ct_.monitor->List();
  if (!logs.ok()) return ToGrpcStatus(logs.status());
  for (const certs::CtLogState& log : *logs) {
    CtLogToProto(log, *response->add_logs());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteCtLog(
    grpc::ServerContext* context, const v1::DeleteCtLogRequest* request,
    v1::DeleteCtLogResponse*) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->name().empty()) return Invalid("name: is empty");
  store::AuditScope audit(
      NewAudit(*context, *who, "DeleteCtLog", "ct:" + request->name(), ""));
  return ToGrpcStatus(ct_.monitor->Remove(request->name()));
}

grpc::Status AdminServiceImpl::ListAlerts(grpc::ServerContext* context,
                                          const v1::ListAlertsRequest* request,
                                          v1::ListAlertsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->page_size() < 0) return Invalid("page_size: is negative");
  const int page_size = request->page_size() == 0
                            ? kDefaultAlertPageSize
                            : std::min(request->page_size(), kMaxAlertPageSize);
  absl::StatusOr<int64_t> after = ParsePageToken(request->page_token());
  if (!after.ok()) return ToGrpcStatus(after.status());
  absl::StatusOr<store::AlertPage> page =
      store_.ListAlerts(*after, page_size, request->unacked_only());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const store::AlertRecord& alert : page->alerts) {
    AlertToProto(alert, *response->add_alerts());
  }
  if (page->has_more) response->set_next_page_token(PageToken(page->last_id));
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::AckAlert(grpc::ServerContext* context,
                                        const v1::AckAlertRequest* request,
                                        v1::Alert* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->id() <= 0) return Invalid("id: must be a positive alert id");
  store::AuditScope audit(NewAudit(*context, *who, "AckAlert",
                                   absl::StrCat("alert:", request->id()), ""));
  audit.record().after = "acknowledged";
  absl::StatusOr<store::AlertRecord> alert =
      store_.AckAlert(request->id(), clock_.Now());
  if (!alert.ok()) return ToGrpcStatus(alert.status());
  LogInfo("CT alert acknowledged",
          {{"alert", absl::StrCat(request->id())}, {"by", who->key_name}});
  AlertToProto(*alert, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::WatchAlerts(
    grpc::ServerContext* context, const v1::WatchAlertsRequest* request,
    grpc::ServerWriter<v1::Alert>* writer) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  int64_t after = 0;
  if (request->has_after_id()) {
    if (request->after_id() < 0) return Invalid("after_id: is negative");
    after = request->after_id();
  } else {
    // From now on: skip to the newest stored alert, a page at a time.
    while (true) {
      absl::StatusOr<store::AlertPage> page =
          store_.ListAlerts(after, kMaxAlertPageSize, false);
      if (!page.ok()) return ToGrpcStatus(page.status());
      after = page->last_id;
      if (!page->has_more) break;
    }
  }
  // The headers go out now, so a client knows the watch is in place before
  // the first alert.
  writer->SendInitialMetadata();
  while (!context->IsCancelled()) {
    absl::StatusOr<store::AlertPage> page =
        store_.ListAlerts(after, kMaxAlertPageSize, false);
    if (!page.ok()) return ToGrpcStatus(page.status());
    for (const store::AlertRecord& alert : page->alerts) {
      v1::Alert out;
      AlertToProto(alert, out);
      if (!writer->Write(out)) return grpc::Status::OK;  // client gone
    }
    after = page->last_id;
    if (page->has_more) continue;
    if (ct_.notifier != nullptr) {
      ct_.notifier->WaitNewer(after, kWatchPoll);
    } else {
      absl::SleepFor(kWatchPoll);
    }
  }
  return grpc::Status::OK;
}

}  // namespace lureguard::service
