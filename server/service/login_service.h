// lureguard.v1.LoginService: translates login checks, outcome reports,
// range queries and breached-password imports between protobuf and the
// login engine (server/login/). No logic of its own beyond authorization
// and field translation.

#ifndef LUREGUARD_SERVER_SERVICE_LOGIN_SERVICE_H_
#define LUREGUARD_SERVER_SERVICE_LOGIN_SERVICE_H_

#include "lureguard/v1/login_service.grpc.pb.h"
#include "server/login/login_engine.h"
#include "server/service/authorize.h"

namespace lureguard::service {

class LoginServiceImpl final : public v1::LoginService::Service {
 public:
  // `engine` and `authorizer` must outlive the service. A null
  // `authorizer` serves without authentication (in-process benchmarks
  // only).
  LoginServiceImpl(login::LoginEngine& engine, const Authorizer* authorizer);

  grpc::Status CheckLogin(grpc::ServerContext* context,
                          const v1::CheckLoginRequest* request,
                          v1::CheckLoginResponse* response) override;
  grpc::Status ReportLoginOutcome(
      grpc::ServerContext* context,
      const v1::ReportLoginOutcomeRequest* request,
      v1::ReportLoginOutcomeResponse* response) override;
  grpc::Status GetPasswordRange(
      grpc::ServerContext* context, const v1::GetPasswordRangeRequest* request,
      v1::GetPasswordRangeResponse* response) override;
  grpc::Status ImportBreachedPasswords(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::ImportBreachedPasswordsRequest>* reader,
      v1::ImportBreachedPasswordsResponse* response) override;
  grpc::Status GetBreachedPasswordStatus(
      grpc::ServerContext* context,
      const v1::GetBreachedPasswordStatusRequest* request,
      v1::BreachedPasswordStatus* response) override;
  grpc::Status GetLoginCounters(
      grpc::ServerContext* context, const v1::GetLoginCountersRequest* request,
      v1::GetLoginCountersResponse* response) override;

 private:
  login::LoginEngine& engine_;
  const Authorizer* const authorizer_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_LOGIN_SERVICE_H_
