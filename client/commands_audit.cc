// lureguard audit ls.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/call.h"
#include "client/command.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

constexpr int kDefaultLimit = 100;

std::vector<std::string> AuditRow(const lureguard::v1::AuditRecord& record) {
  return {FormatTimestamp(record.create_time()),
          record.actor(),
          record.actor_role(),
          record.method(),
          record.target(),
          OrDash(record.tenant()),
          OrDash(record.before()),
          OrDash(record.after()),
          record.request_id()};
}

}  // namespace

int RunAuditLs(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  absl::StatusOr<int> limit = LimitFlag(cl, kDefaultLimit);
  if (!limit.ok()) return ctx.UsageError(limit.status().message());
  lureguard::v1::ListAuditRecordsRequest request;
  request.set_actor(cl.Get("actor"));
  request.set_method(cl.Get("method"));
  TableWriter table(ctx.out, {"TIME", "ACTOR", "ROLE", "METHOD", "TARGET",
                              "TENANT", "BEFORE", "AFTER", "REQUEST ID"});
  return ListUpTo(ctx, &lureguard::v1::AdminService::Stub::ListAuditRecords,
                  request, &lureguard::v1::ListAuditRecordsResponse::records,
                  *limit, table, AuditRow);
}

}  // namespace lureguard::cli
