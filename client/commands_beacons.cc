// lureguard beacons ls|rm: the hosts the login-page beacon flagged.

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::BeaconFlag;

const std::vector<std::string> kFlagColumns = {
    "TENANT", "HOST",       "BRAND",     "TECHNIQUE",
    "HITS",   "FIRST SEEN", "LAST SEEN", "EXPIRES"};

std::vector<std::string> FlagRow(const BeaconFlag& flag) {
  return {flag.tenant().empty() ? "-" : flag.tenant(),
          flag.host(),
          flag.brand(),
          flag.technique(),
          absl::StrCat(flag.hits()),
          FormatTimestamp(flag.first_seen_time()),
          FormatTimestamp(flag.last_seen_time()),
          FormatTimestamp(flag.expire_time())};
}

}  // namespace

int RunBeaconsLs(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::ListBeaconFlagsRequest request;
  if (cl.Has("tenant")) request.set_tenant(cl.Get("tenant"));
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
  TableWriter table(ctx.out, kFlagColumns);
  while (true) {
    auto call = ctx.NewCallContext(/*streaming=*/false);
    lureguard::v1::ListBeaconFlagsResponse response;
    grpc::Status status = stub->ListBeaconFlags(call.get(), request, &response);
    if (!status.ok()) return ctx.RpcError(status);
    for (const BeaconFlag& flag : response.flags()) {
      if (ctx.globals().output == OutputFormat::kJson) {
        if (absl::Status s = WriteJsonLine(flag, ctx.out); !s.ok()) {
          return ctx.LocalError(s.message());
        }
      } else {
        table.AddRow(FlagRow(flag));
      }
    }
    table.Flush();
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  if (table.rows_written() == 0 &&
      ctx.globals().output != OutputFormat::kJson) {
    ctx.err << "no beacon flags\n";
  }
  return kExitOk;
}

int RunBeaconsRm(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::DeleteBeaconFlagRequest request;
  request.set_host(cl.args[0]);
  request.set_tenant(cl.Get("tenant"));
  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/false);
  lureguard::v1::DeleteBeaconFlagResponse response;
  grpc::Status status = stub->DeleteBeaconFlag(call.get(), request, &response);
  if (!status.ok()) return ctx.RpcError(status);
  if (ctx.globals().output != OutputFormat::kJson) {
    ctx.out << "cleared the beacon flag on " << request.host()
            << (request.tenant().empty()
                    ? std::string()
                    : absl::StrCat(" (tenant ", request.tenant(), ")"))
            << "\n";
  }
  return kExitOk;
}

}  // namespace lureguard::cli
