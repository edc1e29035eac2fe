#include "server/service/mail_service.h"

#include <string>
#include <utility>

#include "server/service/convert.h"
#include "server/service/link_service.h"

namespace lureguard::service {

void ToProto(const mail::PartReport& part, v1::MessagePart& out) {
  out.set_part(part.part);
  out.set_content_type(part.content_type);
  out.set_filename(part.filename);
  out.set_attachment(part.attachment);
  out.set_size_bytes(part.size_bytes);
  out.set_inspected(part.inspected);
  out.set_skipped(part.skipped);
  for (const verdict::Reason& reason : part.reasons) {
    ToProto(reason, *out.add_reasons());
  }
  for (const mail::PartSinkReport& sink : part.sinks) {
    v1::PartSink& proto = *out.add_sinks();
    proto.set_kind(sink.kind);
    proto.set_url(sink.url);
    proto.set_depth(sink.depth);
    if (!sink.verdict.verdict_id.empty()) {
      ToProto(sink.verdict, *proto.mutable_verdict());
    }
  }
}

MailServiceImpl::MailServiceImpl(const mail::MessageChecker& checker,
                                 const Authorizer* authorizer)
    : checker_(checker), authorizer_(authorizer) {}

grpc::Status MailServiceImpl::CheckMessage(
    grpc::ServerContext* context, const v1::CheckMessageRequest* request,
    v1::CheckMessageResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  mail::MessageInput input;
  input.message = request->message();
  input.tenant = *std::move(tenant);
  input.envelope_sender = request->envelope_sender();
  input.recipients.assign(request->recipients().begin(),
                          request->recipients().end());
  absl::StatusOr<mail::MessageCheck> check = checker_.Check(input);
  if (!check.ok()) return ToGrpcStatus(check.status());
  ToProto(check->verdict, *response->mutable_verdict());
  for (const mail::PartReport& part : check->parts) {
    ToProto(part, *response->add_parts());
  }
  for (const links::LinkReport& link : check->links) {
    ToProto(link, *response->add_links());
  }
  v1::MessageSender& sender = *response->mutable_sender();
  sender.set_from_address(check->sender.from_address);
  sender.set_from_display_name(check->sender.from_display_name);
  sender.set_reply_to_address(check->sender.reply_to_address);
  sender.set_envelope_sender(check->sender.envelope_sender);
  sender.set_dmarc(check->sender.dmarc);
  for (std::string& note : check->notes) response->add_notes(std::move(note));
  return grpc::Status::OK;
}

}  // namespace lureguard::service
