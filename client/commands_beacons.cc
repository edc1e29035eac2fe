// lureguard beacons ls|rm: the hosts the login-page beacon flagged.

#include <string>

#include "absl/strings/str_cat.h"
#include "client/call.h"
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
  absl::StatusOr<int> page_size = PageSizeFlag(cl);
  if (!page_size.ok()) return ctx.UsageError(page_size.status().message());
  request.set_page_size(*page_size);
  TableWriter table(ctx.out, kFlagColumns);
  const int code =
      ForEachPage(ctx, &AdminService::Stub::ListBeaconFlags, request,
                  [&](const lureguard::v1::ListBeaconFlagsResponse& page) {
                    return WriteRecords(ctx, table, page.flags(), FlagRow);
                  });
  if (code != kExitOk) return code;
  SayIfNoneListed(ctx, table, "no beacon flags");
  return kExitOk;
}

int RunBeaconsRm(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::DeleteBeaconFlagRequest request;
  request.set_host(cl.args[0]);
  request.set_tenant(cl.Get("tenant"));
  lureguard::v1::DeleteBeaconFlagResponse response;
  if (int code = CallUnary(ctx, &AdminService::Stub::DeleteBeaconFlag, request,
                           response);
      code != kExitOk) {
    return code;
  }
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
