// `lureguard status` (AdminService.GetStatus) and `lureguard health` (the
// standard grpc.health.v1 check that load balancers use).

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/call.h"
#include "client/command.h"
#include "client/duration.h"
#include "client/output.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {

int RunStatus(const CommandContext& ctx) {
  lureguard::v1::GetStatusResponse status;
  if (int code = CallUnary(ctx, &lureguard::v1::AdminService::Stub::GetStatus,
                           {}, status);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, status);
  }
  const absl::Duration uptime = absl::Seconds(status.uptime().seconds()) +
                                absl::Nanoseconds(status.uptime().nanos());
  WriteKeyValues(
      {{"version", status.version().empty() ? "-" : status.version()},
       {"serving", status.serving() ? "true" : "false"},
       {"uptime", FormatCliDuration(absl::Trunc(uptime, absl::Seconds(1)))},
       {"store", status.store().empty() ? "-" : status.store()},
       {"snapshot_revision", absl::StrCat(status.snapshot_revision())},
       {"snapshot_time", status.has_snapshot_time()
                             ? FormatTimestamp(status.snapshot_time())
                             : "-"},
       {"blocklist_entries", absl::StrCat(status.blocklist_entries())},
       {"allowlist_entries", absl::StrCat(status.allowlist_entries())}},
      ctx.out);
  return kExitOk;
}

int RunHealth(const CommandContext& ctx) {
  using grpc::health::v1::HealthCheckResponse;
  auto stub = grpc::health::v1::Health::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/false);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(ctx.command_line.Get("service"));
  HealthCheckResponse response;
  grpc::Status rpc = stub->Check(call.get(), request, &response);
  if (!rpc.ok()) return ctx.RpcError(rpc);
  if (ctx.globals().output == OutputFormat::kJson) {
    // Print the status even when it is the zero value UNKNOWN.
    ctx.out << "{\"status\":\""
            << HealthCheckResponse::ServingStatus_Name(response.status())
            << "\"}\n";
  } else {
    ctx.out << HealthCheckResponse::ServingStatus_Name(response.status())
            << '\n';
  }
  ctx.out.flush();
  return response.status() == HealthCheckResponse::SERVING ? kExitOk
                                                           : kExitServerError;
}

}  // namespace lureguard::cli
