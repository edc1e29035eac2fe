#include "client/milter/judge.h"

#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/common/file_contents.h"
#include "server/common/status_macros.h"

namespace lureguard::milter {
namespace {

constexpr int kMaxReceiveBytes = 64 << 20;

}  // namespace

GrpcMessageJudge::GrpcMessageJudge(std::shared_ptr<grpc::Channel> channel,
                                   std::string token, absl::Duration deadline,
                                   int max_in_flight, MilterMetrics* metrics)
    : stub_(v1::LinkService::NewStub(channel)),
      token_(std::move(token)),
      deadline_(deadline),
      max_in_flight_(max_in_flight),
      metrics_(metrics) {}

bool GrpcMessageJudge::TryAcquire() {
  int current = in_flight_.load(std::memory_order_relaxed);
  while (current < max_in_flight_) {
    if (in_flight_.compare_exchange_weak(current, current + 1,
                                         std::memory_order_acquire)) {
      if (metrics_ != nullptr) metrics_->CallStarted();
      return true;
    }
  }
  return false;
}

void GrpcMessageJudge::Release() {
  in_flight_.fetch_sub(1, std::memory_order_release);
  if (metrics_ != nullptr) metrics_->CallFinished();
}

JudgeResult GrpcMessageJudge::Rewrite(
    const v1::RewriteMessageRequest& request) {
  JudgeResult result;
  if (!TryAcquire()) {
    result.response = absl::ResourceExhaustedError(absl::StrCat(
        "max_in_flight: ", max_in_flight_, " calls already running"));
    result.failure = FailureKind::kOverloaded;
    return result;
  }
  grpc::ClientContext context;
  if (!token_.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
  }
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  v1::RewriteMessageResponse response;
  const absl::Time start = absl::Now();
  const grpc::Status status =
      stub_->RewriteMessage(&context, request, &response);
  result.rpc_time = absl::Now() - start;
  Release();
  if (status.ok()) {
    result.response = std::move(response);
    return result;
  }
  result.response =
      absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message());
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      result.failure = FailureKind::kUnavailable;
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      result.failure = FailureKind::kDeadline;
      break;
    default:
      result.failure = FailureKind::kError;
  }
  return result;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeServerChannel(
    const std::string& server, const v1::MilterTlsConfig& tls) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (!tls.enabled() && tls.ca_file().empty() && tls.cert_file().empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions options;
    if (!tls.ca_file().empty()) {
      ASSIGN_OR_RETURN(std::string pem,
                       ReadNonEmptyFile("tls.ca_file", tls.ca_file()));
      options.pem_root_certs = std::move(pem);
    }
    if (!tls.cert_file().empty()) {
      ASSIGN_OR_RETURN(std::string cert,
                       ReadNonEmptyFile("tls.cert_file", tls.cert_file()));
      ASSIGN_OR_RETURN(std::string key,
                       ReadNonEmptyFile("tls.key_file", tls.key_file()));
      options.pem_cert_chain = std::move(cert);
      options.pem_private_key = std::move(key);
    }
    credentials = grpc::SslCredentials(options);
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  args.SetMaxSendMessageSize(kMaxReceiveBytes);
  // gRPC's reconnect backoff grows to 120 s; a milter whose server was
  // restarted would answer "unavailable" for up to two minutes after it is
  // back. 5 s bounds that at the cost of a connect attempt every 5 s while
  // the server is down.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 500);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 500);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return grpc::CreateCustomChannel(server, credentials, args);
}

}  // namespace lureguard::milter
