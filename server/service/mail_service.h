// lureguard.v1.MailService: translates CheckMessage between protobuf and
// the mail engine (mail::MessageChecker). No logic of its own beyond
// authorization and field translation; LinkService's RewriteMessage uses
// the same translation for the message verdict it returns.

#ifndef LUREGUARD_SERVER_SERVICE_MAIL_SERVICE_H_
#define LUREGUARD_SERVER_SERVICE_MAIL_SERVICE_H_

#include "lureguard/v1/mail_service.grpc.pb.h"
#include "server/mail/message_checker.h"
#include "server/service/authorize.h"

namespace lureguard::service {

class MailServiceImpl final : public v1::MailService::Service {
 public:
  // `checker` and `authorizer` must outlive the service. A null
  // `authorizer` serves without authentication (in-process benchmarks).
  MailServiceImpl(const mail::MessageChecker& checker,
                  const Authorizer* authorizer);

  grpc::Status CheckMessage(grpc::ServerContext* context,
                            const v1::CheckMessageRequest* request,
                            v1::CheckMessageResponse* response) override;

 private:
  const mail::MessageChecker& checker_;
  const Authorizer* const authorizer_;
};

// The protobuf form of one part's findings.
void ToProto(const mail::PartReport& part, v1::MessagePart& out);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_MAIL_SERVICE_H_
