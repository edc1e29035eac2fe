#include "server/service/login_service.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/service/authorize.h"
#include "server/service/convert.h"

namespace lureguard::service {
namespace {

login::LoginStage StageFromProto(v1::LoginStage stage) {
  switch (stage) {
    case v1::BEFORE_PASSWORD:
      return login::LoginStage::kBeforePassword;
    case v1::AFTER_PASSWORD:
      return login::LoginStage::kAfterPassword;
    case v1::AFTER_MFA:
      return login::LoginStage::kAfterMfa;
    default:
      return login::LoginStage::kUnspecified;
  }
}

void CounterToProto(const login::CounterReading& reading,
                    v1::LoginCounter& out) {
  out.set_name(reading.name);
  out.set_count(reading.count);
  out.set_threshold(reading.threshold);
  ToProto(reading.window, *out.mutable_window());
  out.set_evicted(reading.evicted);
}

}  // namespace

LoginServiceImpl::LoginServiceImpl(login::LoginEngine& engine,
                                   const Authorizer* authorizer)
    : engine_(engine), authorizer_(authorizer) {}

grpc::Status LoginServiceImpl::CheckLogin(grpc::ServerContext* context,
                                          const v1::CheckLoginRequest* request,
                                          v1::CheckLoginResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  login::LoginAttempt attempt;
  attempt.tenant = *tenant;
  attempt.username = request->username();
  attempt.client_ip = request->client_ip();
  attempt.forwarded_for.assign(request->forwarded_for().begin(),
                               request->forwarded_for().end());
  attempt.user_agent = request->user_agent();
  attempt.origin = request->origin();
  attempt.referer = request->referer();
  attempt.request_host = request->request_host();
  attempt.tls_fingerprint = request->tls_fingerprint();
  attempt.stage = StageFromProto(request->stage());
  attempt.password_sha1 = request->password_sha1();
  absl::StatusOr<login::LoginCheck> check = engine_.Check(attempt);
  if (!check.ok()) return ToGrpcStatus(check.status());
  ToProto(check->verdict, *response->mutable_verdict());
  if (check->retry_after > absl::ZeroDuration()) {
    ToProto(check->retry_after, *response->mutable_retry_after());
  }
  for (const login::CounterReading& reading : check->counters) {
    CounterToProto(reading, *response->add_counters());
  }
  response->set_force_password_reset(check->force_password_reset);
  return grpc::Status::OK;
}

grpc::Status LoginServiceImpl::ReportLoginOutcome(
    grpc::ServerContext* context, const v1::ReportLoginOutcomeRequest* request,
    v1::ReportLoginOutcomeResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  login::LoginResult result;
  switch (request->result()) {
    case v1::LOGIN_SUCCESS:
      result = login::LoginResult::kSuccess;
      break;
    case v1::BAD_PASSWORD:
      result = login::LoginResult::kBadPassword;
      break;
    case v1::MFA_FAILED:
      result = login::LoginResult::kMfaFailed;
      break;
    case v1::ACCOUNT_LOCKED:
      result = login::LoginResult::kLocked;
      break;
    default:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "result: must be LOGIN_SUCCESS, BAD_PASSWORD, "
                          "MFA_FAILED or ACCOUNT_LOCKED");
  }
  absl::StatusOr<std::vector<login::CounterReading>> counters = engine_.Report(
      *tenant, request->username(), request->client_ip(), result);
  if (!counters.ok()) return ToGrpcStatus(counters.status());
  for (const login::CounterReading& reading : *counters) {
    CounterToProto(reading, *response->add_counters());
  }
  return grpc::Status::OK;
}

grpc::Status LoginServiceImpl::GetPasswordRange(
    grpc::ServerContext* context, const v1::GetPasswordRangeRequest* request,
    v1::GetPasswordRangeResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck, "");
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  absl::StatusOr<std::string> body =
      engine_.PasswordRange(request->prefix(), request->add_padding());
  if (!body.ok()) return ToGrpcStatus(body.status());
  response->set_body(*std::move(body));
  return grpc::Status::OK;
}

grpc::Status LoginServiceImpl::ImportBreachedPasswords(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportBreachedPasswordsRequest>* reader,
    v1::ImportBreachedPasswordsResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kAdminWrite, "");
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  v1::ImportBreachedPasswordsRequest chunk;
  if (!reader->Read(&chunk)) {
    if (context->IsCancelled()) {
      LogInfo("breached-password import abandoned",
              {{"why", "the call was cancelled"}});
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "the import was cancelled; the store is unchanged");
    }
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the import stream carried no message");
  }
  login::BreachedPasswordImporter importer(
      {.work_dir = engine_.breached_import_dir()});
  if (absl::Status s = importer.SetPrefix(chunk.prefix()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  do {
    if (absl::Status s = importer.Add(chunk.chunk()); !s.ok()) {
      return ToGrpcStatus(s);
    }
  } while (reader->Read(&chunk));
  // A cancelled stream ends its reads just as a finished one does: what
  // arrived is only part of the file.
  if (context->IsCancelled()) {
    LogInfo("breached-password import abandoned",
            {{"why", "the call was cancelled"}});
    return grpc::Status(grpc::StatusCode::CANCELLED,
                        "the import was cancelled; the store is unchanged");
  }
  absl::StatusOr<int64_t> total = engine_.ImportBreachedPasswords(
      importer, [context] { return !context->IsCancelled(); });
  if (!total.ok()) {
    if (absl::IsCancelled(total.status())) {
      LogInfo("breached-password import abandoned",
              {{"why", std::string(total.status().message())}});
    }
    return ToGrpcStatus(total.status());
  }
  response->set_lines(importer.lines());
  response->set_total_hashes(*total);
  return grpc::Status::OK;
}

grpc::Status LoginServiceImpl::GetBreachedPasswordStatus(
    grpc::ServerContext* context,
    const v1::GetBreachedPasswordStatusRequest* request,
    v1::BreachedPasswordStatus* response) {
  (void)request;
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kAdminRead, "");
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  std::shared_ptr<const login::BreachedPasswordStore> store =
      engine_.breached_passwords();
  if (store == nullptr) return grpc::Status::OK;
  response->set_path(store->path());
  response->set_hashes(store->size());
  response->set_file_bytes(store->file_bytes());
  ToProto(store->update_time(), *response->mutable_update_time());
  return grpc::Status::OK;
}

grpc::Status LoginServiceImpl::GetLoginCounters(
    grpc::ServerContext* context, const v1::GetLoginCountersRequest* request,
    v1::GetLoginCountersResponse* response) {
  absl::StatusOr<std::string> tenant = AdmitTenant(
      authorizer_, *context, Permission::kAdminRead, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  absl::StatusOr<std::vector<login::CounterReading>> counters =
      engine_.Counters(*tenant, request->client_ip(), request->username());
  if (!counters.ok()) return ToGrpcStatus(counters.status());
  for (const login::CounterReading& reading : *counters) {
    CounterToProto(reading, *response->add_counters());
  }
  return grpc::Status::OK;
}

}  // namespace lureguard::service
