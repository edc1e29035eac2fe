// lureguard audit ls.

#include <algorithm>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

constexpr int kDefaultLimit = 100;
// The server's largest page.
constexpr int kMaxPageSize = 1000;

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

int RunAuditLs(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  int limit = kDefaultLimit;
  if (cl.Has("limit") &&
      (!absl::SimpleAtoi(cl.Get("limit"), &limit) || limit < 1)) {
    return ctx.UsageError(absl::StrCat("--limit: '", cl.Get("limit"),
                                       "' is not a positive number"));
  }
  auto stub = lureguard::v1::AdminService::NewStub(ctx.channel);
  lureguard::v1::ListAuditRecordsRequest request;
  request.set_actor(cl.Get("actor"));
  request.set_method(cl.Get("method"));
  const bool json = ctx.globals().output == OutputFormat::kJson;
  TableWriter table(ctx.out, {"TIME", "ACTOR", "ROLE", "METHOD", "TARGET",
                              "TENANT", "BEFORE", "AFTER", "REQUEST ID"});
  int shown = 0;
  do {
    request.set_page_size(std::min(limit - shown, kMaxPageSize));
    auto call = ctx.NewCallContext(/*streaming=*/false);
    lureguard::v1::ListAuditRecordsResponse response;
    grpc::Status status =
        stub->ListAuditRecords(call.get(), request, &response);
    if (!status.ok()) return ctx.RpcError(status);
    for (const lureguard::v1::AuditRecord& record : response.records()) {
      if (json) {
        if (absl::Status s = WriteJsonLine(record, ctx.out); !s.ok()) {
          return ctx.LocalError(s.message());
        }
      } else {
        table.AddRow({FormatTimestamp(record.create_time()), record.actor(),
                      record.actor_role(), record.method(), record.target(),
                      OrDash(record.tenant()), OrDash(record.before()),
                      OrDash(record.after()), record.request_id()});
      }
      ++shown;
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && shown < limit);
  table.Flush();
  return kExitOk;
}

}  // namespace lureguard::cli
