#include "client/command.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/duration.h"

namespace lureguard::cli {

std::string StatusCodeName(int code) {
  if (code < 0 || code > static_cast<int>(absl::StatusCode::kUnauthenticated)) {
    return absl::StrCat("CODE_", code);
  }
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::unique_ptr<grpc::ClientContext> CommandContext::NewCallContext(
    bool streaming) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  std::optional<absl::Duration> timeout = globals().timeout;
  if (!streaming && !timeout.has_value()) timeout = kDefaultTimeout;
  if (timeout.has_value()) {
    context->set_deadline(std::chrono::system_clock::now() +
                          absl::ToChronoMicroseconds(*timeout));
  }
  return context;
}

namespace {

// The wait a RESOURCE_EXHAUSTED answer asks for in its trailing metadata;
// nullopt when there is none or it is negative ("do not retry", gRFC A6).
std::optional<absl::Duration> RetryPushback(
    const grpc::Status& status, const grpc::ClientContext& context) {
  if (status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
    return std::nullopt;
  }
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find("grpc-retry-pushback-ms");
  if (it == trailers.end()) return std::nullopt;
  int64_t ms = 0;
  if (!absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()),
                        &ms) ||
      ms < 0) {
    return std::nullopt;
  }
  // A zero pushback still waits a little, so a confused server cannot make
  // the CLI spin until its timeout.
  return std::max(absl::Milliseconds(ms), absl::Milliseconds(1));
}

}  // namespace

grpc::Status CommandContext::CallWithPushback(
    const std::function<grpc::Status(grpc::ClientContext&)>& call) const {
  const absl::Time give_up =
      now() + globals().timeout.value_or(kDefaultTimeout);
  for (;;) {
    std::unique_ptr<grpc::ClientContext> context =
        NewCallContext(/*streaming=*/false);
    // Every attempt shares the one budget.
    context->set_deadline(absl::ToChronoTime(absl::Now() + (give_up - now())));
    grpc::Status status = call(*context);
    std::optional<absl::Duration> pushback = RetryPushback(status, *context);
    if (!pushback.has_value() || now() + *pushback >= give_up) return status;
    sleep(*pushback);
  }
}

int CommandContext::RpcError(const grpc::Status& status) const {
  err << "error: " << StatusCodeName(status.error_code()) << ": "
      << status.error_message() << '\n';
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      err << "hint: is lureguard-server running at " << server
          << "? Set --server or LUREGUARD_ADDR.\n";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      err << "hint: no answer within "
          << FormatCliDuration(globals().timeout.value_or(kDefaultTimeout))
          << "; raise it with --timeout.\n";
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      err << "hint: pass an API key with --token or LUREGUARD_TOKEN.\n";
      break;
    default:
      break;
  }
  err.flush();
  return kExitServerError;
}

int CommandContext::UsageError(absl::string_view message) const {
  err << "error: " << message << '\n'
      << "Run '" << command_line.CommandName() << " --help' for usage.\n";
  err.flush();
  return kExitUsage;
}

int CommandContext::LocalError(absl::string_view message) const {
  err << "error: " << message << '\n';
  err.flush();
  return kExitUsage;
}

int CommandContext::FailOnExitCode(lureguard::v1::Action action) const {
  const FailOn fail_on = globals().fail_on;
  if (action == lureguard::v1::BLOCK && fail_on != FailOn::kNever) {
    return kExitBlock;
  }
  if ((action == lureguard::v1::WARN || action == lureguard::v1::CHALLENGE) &&
      fail_on == FailOn::kWarn) {
    return kExitWarn;
  }
  return kExitOk;
}

}  // namespace lureguard::cli
