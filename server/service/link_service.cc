#include "server/service/link_service.h"

#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/service/convert.h"
#include "server/service/mail_service.h"

namespace lureguard::service {
namespace {

v1::LinkLocation LocationToProto(links::LinkLocation location) {
  switch (location) {
    case links::LinkLocation::kHtmlAnchor:
      return v1::HTML_ANCHOR;
    case links::LinkLocation::kHtmlArea:
      return v1::HTML_AREA;
    case links::LinkLocation::kHtmlForm:
      return v1::HTML_FORM;
    case links::LinkLocation::kText:
      return v1::TEXT;
  }
  return v1::LINK_LOCATION_UNSPECIFIED;
}

void ChainToProto(const redirects::Unwrapped& unwrapped,
                  google::protobuf::RepeatedPtrField<v1::UnwrapStep>& out) {
  for (const redirects::UnwrapStep& step : unwrapped.chain) {
    v1::UnwrapStep& proto = *out.Add();
    proto.set_wrapper(step.wrapper);
    proto.set_url(step.url);
  }
}

}  // namespace

void ToProto(const links::LinkReport& report, v1::RewrittenLink& link) {
  link.set_original_url(report.link.url);
  link.set_unwrapped_url(report.unwrapped.url);
  ChainToProto(report.unwrapped, *link.mutable_chain());
  link.set_rewritten_url(report.rewritten_url);
  if (!report.verdict.verdict_id.empty()) {
    ToProto(report.verdict, *link.mutable_verdict());
  }
  link.set_location(LocationToProto(report.link.location));
  link.set_part(report.link.part);
  link.set_display_text(report.link.display_text);
  link.set_not_rewritten(report.not_rewritten);
}

void ToProto(const links::ClickDecision& decision,
             v1::ResolveClickResponse& out) {
  out.set_action(static_cast<v1::ClickAction>(decision.action));
  ToProto(decision.verdict, *out.mutable_verdict());
  out.set_url(decision.token.url);
  out.set_tenant(decision.token.tenant);
  out.set_recipient_id(decision.token.recipient_id);
  ToProto(decision.token.issued, *out.mutable_issue_time());
  out.set_continue_allowed(decision.continue_allowed);
  out.set_click_recorded(decision.recorded);
  out.set_confirm_first(decision.confirm_first);
}

LinkServiceImpl::LinkServiceImpl(const links::LinkProtector& links,
                                 const mail::MessageChecker& messages,
                                 const Authorizer* authorizer)
    : links_(links), messages_(messages), authorizer_(authorizer) {}

grpc::Status LinkServiceImpl::RewriteMessage(
    grpc::ServerContext* context, const v1::RewriteMessageRequest* request,
    v1::RewriteMessageResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  if (request->content_case() == v1::RewriteMessageRequest::kMessage) {
    mail::MessageInput input;
    input.message = request->message();
    input.tenant = *tenant;
    input.envelope_sender = request->sender();
    input.recipients = mail::RewriteRecipients(request->recipient());
    absl::StatusOr<mail::MessageRewrite> output =
        messages_.Rewrite(input, request->recipient());
    if (!output.ok()) return ToGrpcStatus(output.status());
    response->set_message(std::move(output->rewrite.content));
    response->set_recipient_id(output->rewrite.recipient_id);
    for (const links::LinkReport& report : output->rewrite.links) {
      ToProto(report, *response->add_links());
    }
    ToProto(output->check.verdict, *response->mutable_verdict());
    for (const mail::PartReport& part : output->check.parts) {
      ToProto(part, *response->add_parts());
    }
    for (const mail::DefangedPart& part : output->defanged) {
      v1::DefangedPart& proto = *response->add_defanged();
      proto.set_part(part.part);
      proto.set_filename(part.filename);
      for (verdict::ReasonCode code : part.codes) {
        proto.add_codes(static_cast<v1::ReasonCode>(code));
      }
    }
    for (std::string& note : output->check.notes) {
      response->add_notes(std::move(note));
    }
    return grpc::Status::OK;
  }
  links::RewriteInput input;
  switch (request->content_case()) {
    case v1::RewriteMessageRequest::kHtmlBody:
      input.kind = links::ContentKind::kHtml;
      input.content = request->html_body();
      break;
    case v1::RewriteMessageRequest::kTextBody:
      input.kind = links::ContentKind::kText;
      input.content = request->text_body();
      break;
    default:
      return grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          "message: set one of message, html_body and text_body");
  }
  input.tenant = *tenant;
  input.recipient = request->recipient();
  absl::StatusOr<links::RewriteOutput> output = links_.Rewrite(input);
  if (!output.ok()) return ToGrpcStatus(output.status());
  response->set_message(std::move(output->content));
  response->set_recipient_id(output->recipient_id);
  for (const links::LinkReport& report : output->links) {
    ToProto(report, *response->add_links());
  }
  return grpc::Status::OK;
}

grpc::Status LinkServiceImpl::ResolveClick(
    grpc::ServerContext* context, const v1::ResolveClickRequest* request,
    v1::ResolveClickResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  std::optional<std::string_view> only;
  if (!tenant->empty()) only = *tenant;
  absl::StatusOr<links::ClickDecision> decision =
      links_.ResolveClick(request->token(), only, request->confirmed());
  if (!decision.ok()) return ToGrpcStatus(decision.status());
  ToProto(*decision, *response);
  return grpc::Status::OK;
}

grpc::Status LinkServiceImpl::UnwrapUrl(grpc::ServerContext* context,
                                        const v1::UnwrapUrlRequest* request,
                                        v1::UnwrapUrlResponse* response) {
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  absl::StatusOr<links::UnwrapOutput> output =
      links_.Unwrap(request->url(), *tenant);
  if (!output.ok()) return ToGrpcStatus(output.status());
  response->set_url(output->unwrapped.url);
  ChainToProto(output->unwrapped, *response->mutable_chain());
  response->set_depth_exceeded(output->unwrapped.depth_exceeded);
  ToProto(output->verdict, *response->mutable_verdict());
  return grpc::Status::OK;
}

grpc::Status LinkServiceImpl::ListClicks(grpc::ServerContext* context,
                                         const v1::ListClicksRequest* request,
                                         v1::ListClicksResponse* response) {
  absl::StatusOr<std::string> tenant = AdmitTenant(
      authorizer_, *context, Permission::kAdminRead, request->tenant());
  if (!tenant.ok()) return ToGrpcStatus(tenant.status());
  store::ClickQuery query;
  query.page_size = request->page_size();
  if (!request->page_token().empty() &&
      (!absl::SimpleAtoi(request->page_token(), &query.before_id) ||
       query.before_id <= 0)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("page_token: '", request->page_token(),
                                     "' is not a token ListClicks returned"));
  }
  if (!tenant->empty()) query.tenant = *tenant;
  absl::StatusOr<store::ClickPage> page = links_.ListClicks(query);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const store::ClickRecord& record : page->clicks) {
    v1::Click& click = *response->add_clicks();
    click.set_id(record.id);
    ToProto(record.time, *click.mutable_click_time());
    click.set_tenant(record.tenant);
    click.set_recipient_id(record.recipient_id);
    click.set_url(record.url);
    click.set_action(static_cast<v1::ClickAction>(record.action));
    click.set_verdict_action(static_cast<v1::Action>(record.verdict_action));
    click.set_verdict_id(record.verdict_id);
    click.set_count(record.count);
    ToProto(record.last_time, *click.mutable_last_click_time());
  }
  if (page->has_more && !page->clicks.empty()) {
    response->set_next_page_token(absl::StrCat(page->clicks.back().id));
  }
  return grpc::Status::OK;
}

}  // namespace lureguard::service
