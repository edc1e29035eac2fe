// lureguard.v1.LinkService: translates message rewrites, click
// resolutions, unwraps and click listings between protobuf and the links
// engine (links::LinkProtector). No logic of its own beyond authorization
// and field translation.

#ifndef LUREGUARD_SERVER_SERVICE_LINK_SERVICE_H_
#define LUREGUARD_SERVER_SERVICE_LINK_SERVICE_H_

#include "lureguard/v1/link_service.grpc.pb.h"
#include "server/links/link_protector.h"
#include "server/mail/message_checker.h"
#include "server/service/authorize.h"

namespace lureguard::service {

class LinkServiceImpl final : public v1::LinkService::Service {
 public:
  // `links`, `messages` and `authorizer` must outlive the service. A whole
  // message is rewritten through `messages`, which adds the message
  // verdict. A null `authorizer` serves without authentication (in-process
  // benchmarks only).
  LinkServiceImpl(const links::LinkProtector& links,
                  const mail::MessageChecker& messages,
                  const Authorizer* authorizer);

  grpc::Status RewriteMessage(grpc::ServerContext* context,
                              const v1::RewriteMessageRequest* request,
                              v1::RewriteMessageResponse* response) override;
  grpc::Status ResolveClick(grpc::ServerContext* context,
                            const v1::ResolveClickRequest* request,
                            v1::ResolveClickResponse* response) override;
  grpc::Status UnwrapUrl(grpc::ServerContext* context,
                         const v1::UnwrapUrlRequest* request,
                         v1::UnwrapUrlResponse* response) override;
  grpc::Status ListClicks(grpc::ServerContext* context,
                          const v1::ListClicksRequest* request,
                          v1::ListClicksResponse* response) override;

 private:
  const links::LinkProtector& links_;
  const mail::MessageChecker& messages_;
  const Authorizer* const authorizer_;
};

// The protobuf form of one link found in a message (also used by
// MailService).
void ToProto(const links::LinkReport& report, v1::RewrittenLink& out);

// The protobuf form of the engine's click decision (also used by the HTTP
// front's tests and the benchmark).
void ToProto(const links::ClickDecision& decision,
             v1::ResolveClickResponse& out);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_LINK_SERVICE_H_
