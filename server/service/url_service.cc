#include "server/service/url_service.h"

#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/byte_buffer.h"
#include "lureguard/internal/lenient_requests.pb.h"
#include "server/common/status_macros.h"
#include "server/common/tenant.h"
#include "server/common/utf8.h"
#include "server/service/authorize.h"
#include "server/service/batch_answer.h"
#include "server/service/call_deadline.h"
#include "server/service/check_url_answer.h"
#include "server/service/check_url_request.h"
#include "server/service/convert.h"
#include "server/service/raw_messages.h"
#include "server/service/verdict_call_fields.h"

namespace lureguard::service {
namespace {

// Puts `status` into `response` as the error of one URL of a batch or a
// stream, in place of a verdict.
void SetError(const absl::Status& status, v1::CheckUrlResponse& response) {
  response.clear_verdict();
  response.mutable_error()->set_code(static_cast<int32_t>(status.code()));
  response.mutable_error()->set_message(std::string(status.message()));
}

// Answers a stream one URL at a time, in order: read, check, write, read.
// Each message (and the stream's opening) takes a token of the key's rate
// limit; when the bucket is empty the message waits for its token (a timer,
// no thread held) instead of failing the stream, so a long stream runs at
// the key's rate and TCP flow control slows the client down. Only a wait
// that would outlast the stream's deadline ends it with RESOURCE_EXHAUSTED.
// A stream without a client deadline ends with DEADLINE_EXCEEDED at the
// configured default; the timers' callbacks and the reactions are
// serialized by `mu_`, so exactly one of them finishes the call.
//
// Messages arrive raw and are decoded with the lenient twin
// (lenient_requests.proto): gRPC's own decoding of a URL that is not UTF-8
// fails the read, which a reactor cannot tell from the client's half-close,
// so the stream ended with OK and every later URL went unanswered.
class StreamReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamReactor(const UrlServiceImpl& service,
                grpc::CallbackServerContext& context,
                absl::Duration default_deadline)
      : service_(service),
        context_(context),
        deadline_(EffectiveDeadline(context, default_deadline, absl::Now())) {
    absl::MutexLock lock(&mu_);
    // The key is checked once per stream, before the first read.
    absl::StatusOr<UrlServiceImpl::PacedCheck> allowed =
        service_.AuthorizePacedCheck(context_, "", TimeLeft());
    if (!allowed.ok()) {
      FinishLocked(ToGrpcStatus(allowed.status()));
      return;
    }
    timer_ = std::make_unique<DeadlineTimer>(deadline_, [this] {
      absl::MutexLock timer_lock(&mu_);
      FinishLocked(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                "the stream outlived its deadline"));
    });
    RunAfterLocked(allowed->delay, [this] { StartRead(&raw_request_); });
  }

  void OnReadDone(bool ok) override {
    // The last message's pacing timer has fired (a write completed since),
    // but its callback may still be leaving: it is destroyed after `mu_` is
    // released, as its callback takes its own lock and then `mu_`.
    std::unique_ptr<DeadlineTimer> spent;
    absl::MutexLock lock(&mu_);
    spent = std::move(pace_timer_);
    if (finished_) return;
    if (!ok) {  // the client half-closed: every answer has been written
      FinishLocked(grpc::Status::OK);
      return;
    }
    if (!ParseRaw(raw_request_, request_)) {
      FinishLocked(ToGrpcStatus(absl::InvalidArgumentError(
          "request: is not a StreamCheckUrlsRequest")));
      return;
    }
    // A malformed tenant is that message's error, as a malformed URL is.
    if (absl::Status tenant = ValidateTenant(request_.tenant()); !tenant.ok()) {
      response_.Clear();
      SetError(tenant, *response_.mutable_result());
      WriteResponseLocked();
      return;
    }
    absl::StatusOr<UrlServiceImpl::PacedCheck> allowed =
        service_.AuthorizePacedCheck(context_, request_.tenant(), TimeLeft());
    if (!allowed.ok()) {
      FinishLocked(ToGrpcStatus(allowed.status()));
      return;
    }
    std::string tenant = std::move(allowed->tenant);
    RunAfterLocked(allowed->delay, [this, tenant = std::move(tenant)] {
      CheckAndWriteLocked(tenant);
    });
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED,
                                "the client went away mid-stream"));
      return;
    }
    StartRead(&raw_request_);
  }

  void OnDone() override {
    // Stops the timers (waiting for a running callback) before the reactor
    // they refer to goes away.
    timer_.reset();
    pace_timer_.reset();
    delete this;
  }

 private:
  absl::Duration TimeLeft() const { return deadline_ - absl::Now(); }

  // Runs `step` now, or after `delay` on a timer when the key must wait
  // for its token. A step whose stream ended meanwhile does not run.
  void RunAfterLocked(absl::Duration delay, std::function<void()> step)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (delay <= absl::ZeroDuration()) {
      step();
      return;
    }
    // REQUIRES: no pacing timer (OnReadDone retired the last one).
    pace_timer_ = std::make_unique<DeadlineTimer>(
        absl::Now() + delay, [this, step = std::move(step)] {
          absl::MutexLock lock(&mu_);
          if (finished_) return;
          step();
        });
  }

  void CheckAndWriteLocked(const std::string& tenant)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    response_.Clear();
    absl::Status status = service_.CheckItem("url", request_.url(), tenant,
                                             *response_.mutable_result());
    if (!status.ok()) {
      FinishLocked(ToGrpcStatus(status));
      return;
    }
    WriteResponseLocked();
  }

  // Sends response_, encoded into the raw buffer the stream writes.
  void WriteResponseLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    SerializeRaw(response_, raw_response_);
    StartWrite(&raw_response_);
  }

  void FinishLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(std::move(status));
  }

  const UrlServiceImpl& service_;
  grpc::CallbackServerContext& context_;
  const absl::Time deadline_;
  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ByteBuffer raw_request_;
  internal::LenientStreamCheckUrlsRequest request_;
  v1::StreamCheckUrlsResponse response_;
  grpc::ByteBuffer raw_response_;
  std::unique_ptr<DeadlineTimer> timer_;
  std::unique_ptr<DeadlineTimer> pace_timer_ ABSL_GUARDED_BY(mu_);
};

// Checks a unary request's tenant field and the caller's key; returns the
// tenant the checks run for. Shared by CheckUrl and CheckUrls.
absl::StatusOr<std::string> AdmitTenant(const UrlServiceImpl& service,
                                        grpc::CallbackServerContext& context,
                                        absl::string_view tenant) {
  RETURN_IF_ERROR(ValidateTenant(tenant));
  return service.AuthorizeCheck(context, tenant);
}

// Decodes a CheckUrls request, then AdmitTenant. (CheckUrl reads its
// request where it lies: check_url_request.h.)
absl::StatusOr<std::string> Admit(const UrlServiceImpl& service,
                                  grpc::CallbackServerContext& context,
                                  const grpc::ByteBuffer& request,
                                  internal::LenientCheckUrlsRequest& parsed) {
  if (!ParseRaw(request, parsed)) {
    return absl::InvalidArgumentError("request: is not a CheckUrlsRequest");
  }
  return AdmitTenant(service, context, parsed.tenant());
}

}  // namespace

UrlServiceImpl::UrlServiceImpl(const verdict::Engine& engine,
                               const v1::Limits& limits,
                               const Authorizer* authorizer,
                               ServerMetrics* metrics)
    : checker_(engine, limits, metrics),
      limits_(limits),
      authorizer_(authorizer),
      encodings_(verdict::kCachedUrlChecks) {}

absl::StatusOr<std::string> UrlServiceImpl::AuthorizeCheck(
    grpc::CallbackServerContext& context,
    absl::string_view requested_tenant) const {
  return service::AdmitTenant(authorizer_, context, Permission::kCheck,
                              requested_tenant);
}

absl::StatusOr<UrlServiceImpl::PacedCheck> UrlServiceImpl::AuthorizePacedCheck(
    grpc::CallbackServerContext& context, const std::string& requested_tenant,
    absl::Duration max_wait) const {
  if (authorizer_ == nullptr) return PacedCheck{requested_tenant};
  ASSIGN_OR_RETURN(
      Authorizer::Admission admitted,
      authorizer_->AuthorizePaced(context, Permission::kCheck, max_wait));
  ASSIGN_OR_RETURN(std::string tenant,
                   ResolveTenant(admitted.principal, requested_tenant));
  return PacedCheck{std::move(tenant), admitted.delay};
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
  SetError(status, response);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* UrlServiceImpl::CheckUrl(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // The request is read where it lies (check_url_request.h): `parsed`
  // views `slice`.
  grpc::Slice slice;
  CheckUrlRequestView parsed;
  if (!SingleSlice(*request, slice) ||
      !ReadCheckUrlRequest(SliceBytes(slice), parsed)) {
    reactor->Finish(ToGrpcStatus(
        absl::InvalidArgumentError("request: is not a CheckUrlRequest")));
    return reactor;
  }
  absl::StatusOr<std::string> tenant =
      AdmitTenant(*this, *context, parsed.tenant);
  if (!tenant.ok()) {
    reactor->Finish(ToGrpcStatus(tenant.status()));
    return reactor;
  }
  absl::StatusOr<verdict::Engine::SharedCheck> check =
      checker_.CheckShared("url", parsed.url, *tenant);
  if (!check.ok()) {
    reactor->Finish(ToGrpcStatus(check.status()));
    return reactor;
  }
  Encode(parsed.url, *check, *response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

void UrlServiceImpl::Encode(absl::string_view url,
                            const verdict::Engine::SharedCheck& shared,
                            grpc::ByteBuffer& out) const {
  // Keyed by the check's address, not by tenant and URL (one engine check
  // is one tenant's one URL, as the request gave it): hashing 8 bytes
  // instead of a URL. An entry holds its check, so no other check can take
  // that address while the entry lives.
  const uintptr_t address = reinterpret_cast<uintptr_t>(shared.check.get());
  const absl::string_view key(reinterpret_cast<const char*>(&address),
                              sizeof(address));
  std::optional<std::shared_ptr<const EncodedCheck>> encoded = encodings_.Find(
      key,
      [&shared](const auto& entry) { return entry->check == shared.check; });
  // This call's fields follow the answer as a second `verdict`, which
  // protobuf parsers merge into the first (a message field that occurs
  // twice is merged; see the encoding guide's "Last One Wins"), so that
  // an answer kept for the checks the engine keeps is neither decoded nor
  // rebuilt.
  const size_t call_fields_size =
      VerdictCallFieldsSize(shared.cache_ttl, shared.verdict_id.view());
  grpc::Slice slice;
  if (encoded.has_value()) {
    const std::string& kept = (*encoded)->bytes;
    slice = grpc::Slice(kept.size() + call_fields_size);
    std::memcpy(const_cast<uint8_t*>(slice.begin()), kept.data(), kept.size());
  } else {
    const CheckUrlAnswer answer(url, *shared.check);
    slice = grpc::Slice(answer.size() + call_fields_size);
    answer.Write(const_cast<uint8_t*>(slice.begin()));
    if (shared.kept) {
      auto entry = std::make_shared<EncodedCheck>();
      entry->check = shared.check;
      entry->bytes = std::string(SliceBytes(slice).substr(0, answer.size()));
      encodings_.Put(key, std::move(entry));
    }
  }
  WriteVerdictCallFields(shared.cache_ttl, shared.verdict_id.view(),
                         const_cast<uint8_t*>(slice.end()) - call_fields_size);
  TakeSlice(slice, out);
}

grpc::ServerUnaryReactor* UrlServiceImpl::CheckUrls(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  internal::LenientCheckUrlsRequest parsed;
  absl::StatusOr<std::string> tenant = Admit(*this, *context, *request, parsed);
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
  absl::StatusOr<int> refused =
      FitBatchAnswer(limits_.max_message_bytes(), result);
  if (!refused.ok()) {
    reactor->Finish(ToGrpcStatus(refused.status()));
    return reactor;
  }
  SerializeRaw(result, *response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
UrlServiceImpl::StreamCheckUrls(grpc::CallbackServerContext* context) {
  return new StreamReactor(*this, *context,
                           FromProto(limits_.default_deadline()));
}

}  // namespace lureguard::service
