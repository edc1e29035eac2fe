// AdminService's certificate-transparency methods: CT logs and alerts.

#include "server/common/field_error.h"
#include "server/service/admin_service.h"
#include "server/service/authorize.h"
#include "server/service/convert.h"
#include "server/service/page_token.h"

namespace lureguard::service {
namespace {

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

// The log a CreateCtLog request asks for.
absl::StatusOr<certs::NewCtLog> NewCtLogFromProto(
    const v1::CreateCtLogRequest& request) {
  const v1::CtLog& log = request.log();
  certs::NewCtLog out{.name = log.name(), .url = log.url()};
  if (log.api() == v1::RFC6962) {
    out.api = certs::CtApi::kRfc6962;
  } else if (log.api() == v1::STATIC_CT) {
    out.api = certs::CtApi::kStatic;
  } else {
    return absl::InvalidArgumentError("log.api: must be RFC6962 or STATIC_CT");
  }
  if (log.has_interval()) out.interval = FromProto(log.interval());
  if (request.has_start_index()) out.start_index = request.start_index();
  return out;
}

}  // namespace

grpc::Status AdminServiceImpl::CreateCtLog(
    grpc::ServerContext* context, const v1::CreateCtLogRequest* request,
    v1::CtLog* response) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<certs::NewCtLog> log = NewCtLogFromProto(*request);
  if (!log.ok()) return ToGrpcStatus(log.status());
  absl::StatusOr<certs::CtLogState> state = ct_admin_.AddLog(*caller, *log);
  if (!state.ok()) return ToGrpcStatus(InField("log", state.status()));
  CtLogToProto(*state, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListCtLogs(grpc::ServerContext* context,
                                          const v1::ListCtLogsRequest*,
                                          v1::ListCtLogsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<std::vector<certs::CtLogState>> logs = ct_admin_.ListLogs();
  if (!logs.ok()) return ToGrpcStatus(logs.status());
  for (const certs::CtLogState& log : *logs) {
    CtLogToProto(log, *response->add_logs());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteCtLog(
    grpc::ServerContext* context, const v1::DeleteCtLogRequest* request,
    v1::DeleteCtLogResponse*) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ToGrpcStatus(ct_admin_.RemoveLog(*caller, request->name()));
}

grpc::Status AdminServiceImpl::ListAlerts(grpc::ServerContext* context,
                                          const v1::ListAlertsRequest* request,
                                          v1::ListAlertsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<int64_t> after = ParsePageToken(request->page_token());
  if (!after.ok()) return ToGrpcStatus(after.status());
  absl::StatusOr<store::AlertPage> page = ct_admin_.ListAlerts(
      *after, request->page_size(), request->unacked_only());
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
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<store::AlertRecord> alert =
      ct_admin_.AckAlert(*caller, request->id());
  if (!alert.ok()) return ToGrpcStatus(alert.status());
  AlertToProto(*alert, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::WatchAlerts(
    grpc::ServerContext* context, const v1::WatchAlertsRequest* request,
    grpc::ServerWriter<v1::Alert>* writer) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->has_after_id() && request->after_id() < 0) {
    return Invalid("after_id: is negative");
  }
  absl::StatusOr<int64_t> after =
      request->has_after_id() ? request->after_id() : ct_admin_.NewestAlertId();
  if (!after.ok()) return ToGrpcStatus(after.status());
  // The headers go out now, so a client knows the watch is in place before
  // the first alert.
  writer->SendInitialMetadata();
  while (!context->IsCancelled()) {
    absl::StatusOr<store::AlertPage> page = ct_admin_.NextAlerts(*after);
    if (!page.ok()) return ToGrpcStatus(page.status());
    for (const store::AlertRecord& alert : page->alerts) {
      v1::Alert out;
      AlertToProto(alert, out);
      if (!writer->Write(out)) return grpc::Status::OK;  // client gone
    }
    *after = page->last_id;
  }
  return grpc::Status::OK;
}

}  // namespace lureguard::service
