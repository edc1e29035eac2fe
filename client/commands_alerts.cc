// lureguard alerts ls|ack|watch.

#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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

// One alert as a row (table) or a JSON line; flushed at once.
int WriteAlert(const CommandContext& ctx, TableWriter& table,
               const Alert& alert) {
  if (ctx.globals().output == OutputFormat::kJson) {
    absl::Status s = WriteJsonLine(alert, ctx.out);
    return s.ok() ? kExitOk : ctx.LocalError(s.message());
  }
  table.AddRow(AlertRow(alert));
  return kExitOk;
}

}  // namespace

int RunAlertsLs(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::ListAlertsRequest request;
  request.set_unacked_only(!cl.Has("all"));
  if (cl.Has("page-size")) {
    int size = 0;
    if (!absl::SimpleAtoi(cl.Get("page-size"), &size) || size < 1 ||
        size > 1000) {
      return ctx.UsageError(absl::StrCat("--page-size: '", cl.Get("page-size"),
                                         "' is not a number from 1 to 1000"));
    }
    request.set_page_size(size);
  }
  auto stub = AdminService::NewStub(ctx.channel);
  TableWriter table(ctx.out, kAlertColumns);
  while (true) {
    auto call = ctx.NewCallContext(/*streaming=*/false);
    lureguard::v1::ListAlertsResponse response;
    grpc::Status status = stub->ListAlerts(call.get(), request, &response);
    if (!status.ok()) return ctx.RpcError(status);
    for (const Alert& alert : response.alerts()) {
      if (int code = WriteAlert(ctx, table, alert); code != kExitOk) {
        return code;
      }
    }
    table.Flush();
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  if (table.rows_written() == 0 &&
      ctx.globals().output != OutputFormat::kJson) {
    ctx.err << (cl.Has("all") ? "no alerts\n" : "no unacknowledged alerts\n");
  }
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
  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/false);
  Alert alert;
  grpc::Status status = stub->AckAlert(call.get(), request, &alert);
  if (!status.ok()) return ctx.RpcError(status);
  if (ctx.globals().output == OutputFormat::kJson) {
    absl::Status s = WriteJsonLine(alert, ctx.out);
    return s.ok() ? kExitOk : ctx.LocalError(s.message());
  }
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
    if (int code = WriteAlert(ctx, table, alert); code != kExitOk) {
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
