#include "server/service/url_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/service/convert.h"
#include "server/service/request_limits.h"

namespace lureguard::service {
namespace {

// Answers a stream one URL at a time, in order: read, check, write, read.
class StreamReactor final
    : public grpc::ServerBidiReactor<v1::StreamCheckUrlsRequest,
                                     v1::StreamCheckUrlsResponse> {
 public:
  explicit StreamReactor(const UrlServiceImpl& service) : service_(service) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client half-closed: every answer has been written
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    absl::Status status = service_.CheckItem(
        "url", request_.url(), request_.tenant(), *response_.mutable_result());
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
  v1::StreamCheckUrlsRequest request_;
  v1::StreamCheckUrlsResponse response_;
};

}  // namespace

UrlServiceImpl::UrlServiceImpl(const verdict::Engine& engine,
                               const v1::Limits& limits)
    : engine_(engine), limits_(limits) {}

absl::Status UrlServiceImpl::Check(absl::string_view field,
                                   const std::string& url,
                                   const std::string& tenant,
                                   v1::CheckUrlResponse& response) const {
  response.set_url(url);
  if (absl::Status s = CheckUrlField(field, url, limits_.max_url_length());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<verdict::UrlCheck> check = engine_.CheckUrl(url, tenant);
  if (!check.ok()) {
    if (absl::IsUnavailable(check.status())) return check.status();
    return NameField(field, check.status());
  }
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
    grpc::CallbackServerContext* context, const v1::CheckUrlRequest* request,
    v1::CheckUrlResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(
      ToGrpcStatus(Check("url", request->url(), request->tenant(), *response)));
  return reactor;
}

grpc::ServerUnaryReactor* UrlServiceImpl::CheckUrls(
    grpc::CallbackServerContext* context, const v1::CheckUrlsRequest* request,
    v1::CheckUrlsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->urls_size() > limits_.max_batch_size()) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     absl::StrCat("urls: ", request->urls_size(),
                                  " URLs exceed the batch limit of ",
                                  limits_.max_batch_size())));
    return reactor;
  }
  response->mutable_results()->Reserve(request->urls_size());
  for (int i = 0; i < request->urls_size(); ++i) {
    absl::Status status =
        CheckItem(absl::StrCat("urls[", i, "]"), request->urls(i),
                  request->tenant(), *response->add_results());
    if (!status.ok()) {
      response->Clear();
      reactor->Finish(ToGrpcStatus(status));
      return reactor;
    }
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerBidiReactor<v1::StreamCheckUrlsRequest,
                        v1::StreamCheckUrlsResponse>*
UrlServiceImpl::StreamCheckUrls(grpc::CallbackServerContext*) {
  return new StreamReactor(*this);
}

}  // namespace lureguard::service
