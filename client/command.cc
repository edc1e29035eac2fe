#include "client/command.h"

#include <chrono>

#include "absl/status/status.h"
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
