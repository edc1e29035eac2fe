#include "server/service/url_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/byte_buffer.h"
#include "lureguard/internal/lenient_requests.pb.h"
#include "server/common/utf8.h"
#include "server/service/authorize.h"
#include "server/service/convert.h"

namespace lureguard::service {
namespace {

// Answers a stream one URL at a time, in order: read, check, write, read.
class StreamReactor final
    : public grpc::ServerBidiReactor<v1::StreamCheckUrlsRequest,
                                     v1::StreamCheckUrlsResponse> {
 public:
  StreamReactor(const UrlServiceImpl& service,
                const grpc::CallbackServerContext& context)
      : service_(service), context_(context) {
    // The key is checked once per stream, before the first read.
    absl::StatusOr<std::string> allowed = service_.AuthorizeCheck(context_, "");
    if (!allowed.ok()) {
      Finish(ToGrpcStatus(allowed.status()));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client half-closed: every answer has been written
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    absl::StatusOr<std::string> tenant =
        service_.AuthorizeCheck(context_, request_.tenant());
    if (!tenant.ok()) {
      Finish(ToGrpcStatus(tenant.status()));
      return;
    }
    absl::Status status = service_.CheckItem("url", request_.url(), *tenant,
                                             *response_.mutable_result());
    if (!status.ok()) {
      Finish(ToGrpcStatus(status));
      return;
    }
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                          "the client went away mid-stream"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const UrlServiceImpl& service_;
  const grpc::CallbackServerContext& context_;
  v1::StreamCheckUrlsRequest request_;
  v1::StreamCheckUrlsResponse response_;
};

// Parses a raw request into `message`; false when the bytes are not that
// message at all.
bool ParseRaw(const grpc::ByteBuffer& buffer,
              google::protobuf::Message& message) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return message.ParseFromString(bytes);
}

void SerializeRaw(const google::protobuf::Message& message,
                  grpc::ByteBuffer& buffer) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  buffer = grpc::ByteBuffer(&slice, 1);
}

absl::Status CheckTenantField(const std::string& tenant) {
  if (!IsValidUtf8(tenant)) {
    return absl::InvalidArgumentError("tenant: is not valid UTF-8");
  }
  return absl::OkStatus();
}

// Decodes a unary request, checks its tenant field and the caller's key;
// returns the tenant the checks run for. Shared by CheckUrl and CheckUrls.
template <typename LenientRequest>
absl::StatusOr<std::string> Admit(const UrlServiceImpl& service,
                                  const grpc::CallbackServerContext& context,
                                  const grpc::ByteBuffer& request,
                                  absl::string_view message_name,
                                  LenientRequest& parsed) {
  if (!ParseRaw(request, parsed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: is not a ", message_name));
  }
  if (absl::Status s = CheckTenantField(parsed.tenant()); !s.ok()) return s;
  return service.AuthorizeCheck(context, parsed.tenant());
}

}  // namespace

UrlServiceImpl::UrlServiceImpl(const verdict::Engine& engine,
                               const v1::Limits& limits,
                               const auth::KeyRing* keys,
                               ServerMetrics* metrics)
    : checker_(engine, limits, metrics), limits_(limits), keys_(keys) {}

absl::StatusOr<std::string> UrlServiceImpl::AuthorizeCheck(
    const grpc::CallbackServerContext& context,
    const std::string& requested_tenant) const {
  if (keys_ == nullptr) return requested_tenant;
  absl::StatusOr<auth::Principal> who =
      Authorize(*keys_, context.client_metadata(), Permission::kCheck);
  if (!who.ok()) return who.status();
  return ResolveTenant(*who, requested_tenant);
}

absl::Status UrlServiceImpl::Check(absl::string_view field,
                                   const std::string& url,
                                   const std::string& tenant,
                                   v1::CheckUrlResponse& response) const {
  absl::StatusOr<verdict::UrlCheck> check = checker_.Check(field, url, tenant);
  // The echo must itself be UTF-8, or the response cannot be decoded.
  if (check.ok() || IsValidUtf8(url)) response.set_url(url);
  if (!check.ok()) return check.status();
  ToProto(*check, response);
  return absl::OkStatus();
}

absl::Status UrlServiceImpl::CheckItem(absl::string_view field,
                                       const std::string& url,
                                       const std::string& tenant,
                                       v1::CheckUrlResponse& response) const {
  absl::Status status = Check(field, url, tenant, response);
  if (status.ok() || absl::IsUnavailable(status)) return status;
  response.clear_verdict();
  response.mutable_error()->set_code(static_cast<int32_t>(status.code()));
  response.mutable_error()->set_message(std::string(status.message()));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* UrlServiceImpl::CheckUrl(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  internal::LenientCheckUrlRequest parsed;
  absl::StatusOr<std::string> tenant =
      Admit(*this, *context, *request, "CheckUrlRequest", parsed);
  if (!tenant.ok()) {
    reactor->Finish(ToGrpcStatus(tenant.status()));
    return reactor;
  }
  v1::CheckUrlResponse result;
  absl::Status status = Check("url", parsed.url(), *tenant, result);
  if (status.ok()) {
    SerializeRaw(result, *response);
    // For the request log line (rpc_observer.h), and for callers that
    // want the action without decoding the response.
    context->AddTrailingMetadata(std::string(kActionMetadata),
                                 v1::Action_Name(result.verdict().action()));
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* UrlServiceImpl::CheckUrls(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  internal::LenientCheckUrlsRequest parsed;
  absl::StatusOr<std::string> tenant =
      Admit(*this, *context, *request, "CheckUrlsRequest", parsed);
  if (!tenant.ok()) {
    reactor->Finish(ToGrpcStatus(tenant.status()));
    return reactor;
  }
  if (parsed.urls_size() > limits_.max_batch_size()) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     absl::StrCat("urls: ", parsed.urls_size(),
                                  " URLs exceed the batch limit of ",
                                  limits_.max_batch_size())));
    return reactor;
  }
  v1::CheckUrlsResponse result;
  result.mutable_results()->Reserve(parsed.urls_size());
  for (int i = 0; i < parsed.urls_size(); ++i) {
    absl::Status status =
        CheckItem(absl::StrCat("urls[", i, "]"), parsed.urls(i), *tenant,
                  *result.add_results());
    if (!status.ok()) {
      reactor->Finish(ToGrpcStatus(status));
      return reactor;
    }
  }
  SerializeRaw(result, *response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerBidiReactor<v1::StreamCheckUrlsRequest,
                        v1::StreamCheckUrlsResponse>*
UrlServiceImpl::StreamCheckUrls(grpc::CallbackServerContext* context) {
  return new StreamReactor(*this, *context);
}

}  // namespace lureguard::service
