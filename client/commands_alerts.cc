// lureguard alerts ls|ack|watch.

#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/call.h"
#include "client/command.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::Alert;

const std::vector<std::string> kAlertColumns = {
    "ID", "CREATED", "BRAND", "TECHNIQUE", "NAME", "ISSUER", "LOG", "ACKED"};

std::vector<std::string> AlertRow(const Alert& alert) {
  return {absl::StrCat(alert.id()),
          FormatTimestamp(alert.create_time()),
          alert.brand(),
          alert.technique(),
          alert.name(),
          alert.issuer(),
          absl::StrCat(alert.log_name(), "#", alert.log_index()),
          alert.has_ack_time() ? FormatTimestamp(alert.ack_time()) : "no"};
}

}  // namespace

int RunAlertsLs(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::ListAlertsRequest request;
  request.set_unacked_only(!cl.Has("all"));
  absl::StatusOr<int> page_size = PageSizeFlag(cl);
  if (!page_size.ok()) return ctx.UsageError(page_size.status().message());
  request.set_page_size(*page_size);
  TableWriter table(ctx.out, kAlertColumns);
  const int code =
      ForEachPage(ctx, &AdminService::Stub::ListAlerts, request,
                  [&](const lureguard::v1::ListAlertsResponse& page) {
                    return WriteRecords(ctx, table, page.alerts(), AlertRow);
                  });
  if (code != kExitOk) return code;
  SayIfNoneListed(ctx, table,
                  cl.Has("all") ? "no alerts" : "no unacknowledged alerts");
  return kExitOk;
}

int RunAlertsAck(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::AckAlertRequest request;
  int64_t id = 0;
  if (!absl::SimpleAtoi(cl.args[0], &id) || id <= 0) {
    return ctx.UsageError(
        absl::StrCat("ID: '", cl.args[0], "' is not an alert id"));
  }
  request.set_id(id);
  Alert alert;
  if (int code = CallUnary(ctx, &AdminService::Stub::AckAlert, request, alert);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) return WriteJson(ctx, alert);
  ctx.out << "acknowledged alert " << alert.id() << " (" << alert.name() << ", "
          << alert.brand() << ")\n";
  return kExitOk;
}

int RunAlertsWatch(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::WatchAlertsRequest request;
  if (cl.Has("after")) {
    int64_t after = 0;
    if (!absl::SimpleAtoi(cl.Get("after"), &after) || after < 0) {
      return ctx.UsageError(
          absl::StrCat("--after: '", cl.Get("after"), "' is not an alert id"));
    }
    request.set_after_id(after);
  }
  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/true);
  std::unique_ptr<grpc::ClientReader<Alert>> reader =
      stub->WatchAlerts(call.get(), request);
  TableWriter table(ctx.out, kAlertColumns);
  Alert alert;
  while (reader->Read(&alert)) {
    if (int code = WriteRecord(ctx, table, alert, AlertRow); code != kExitOk) {
      call->TryCancel();
      return code;
    }
    table.Flush();
  }
  grpc::Status status = reader->Finish();
  // A --timeout ending the watch is how a script bounds it, not an error.
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED &&
      cl.globals.timeout.has_value()) {
    return kExitOk;
  }
  if (!status.ok()) return ctx.RpcError(status);
  return kExitOk;
}

}  // namespace lureguard::cli
