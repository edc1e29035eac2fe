// lureguard ct add|ls|rm|status.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/call.h"
#include "client/command.h"
#include "client/duration.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::CtLog;

std::string Never(const google::protobuf::Timestamp& t, bool has) {
  return has ? FormatTimestamp(t) : "never";
}

std::string ApiName(lureguard::v1::CtApi api) {
  return api == lureguard::v1::STATIC_CT ? "static" : "rfc6962";
}

std::vector<std::string> LogRow(const CtLog& log) {
  const lureguard::v1::CtLogStatus& s = log.status();
  return {log.name(),
          ApiName(log.api()),
          absl::StrCat(s.cursor()),
          absl::StrCat(s.tree_size()),
          absl::StrCat(s.alert_count()),
          Never(s.last_success_time(), s.has_last_success_time()),
          s.last_error().empty() ? "-" : s.last_error(),
          log.url()};
}

const std::vector<std::string> kLogColumns = {
    "NAME",   "API",          "CURSOR", "TREE SIZE",
    "ALERTS", "LAST SUCCESS", "ERROR",  "URL"};

}  // namespace

int RunCtAdd(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::CreateCtLogRequest request;
  CtLog& log = *request.mutable_log();
  log.set_name(cl.args[0]);
  if (!cl.Has("url")) return ctx.UsageError("ct add: --url is required");
  log.set_url(cl.Get("url"));
  const std::string api = cl.Get("api");
  if (api == "rfc6962") {
    log.set_api(lureguard::v1::RFC6962);
  } else if (api == "static") {
    log.set_api(lureguard::v1::STATIC_CT);
  } else {
    return ctx.UsageError(
        absl::StrCat("--api: '", api, "' is not rfc6962 or static"));
  }
  if (cl.Has("interval")) {
    absl::StatusOr<absl::Duration> interval =
        ParseCliDuration(cl.Get("interval"));
    if (!interval.ok()) {
      return ctx.UsageError(
          absl::StrCat("--interval: ", interval.status().message()));
    }
    log.mutable_interval()->set_seconds(absl::ToInt64Seconds(*interval));
  }
  if (cl.Has("start")) {
    int64_t start = 0;
    if (!absl::SimpleAtoi(cl.Get("start"), &start) || start < 0) {
      return ctx.UsageError(
          absl::StrCat("--start: '", cl.Get("start"), "' is not a log index"));
    }
    request.set_start_index(start);
  }
  CtLog created;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::CreateCtLog, request, created);
      code != kExitOk) {
    return code;
  }
  TableWriter table(ctx.out, kLogColumns);
  return WriteRecords(ctx, table, std::span<const CtLog>(&created, 1), LogRow);
}

int RunCtLs(const CommandContext& ctx) {
  return ListAll(ctx, &AdminService::Stub::ListCtLogs,
                 lureguard::v1::ListCtLogsRequest(),
                 &lureguard::v1::ListCtLogsResponse::logs, kLogColumns, LogRow,
                 "no CT logs");
}

int RunCtRm(const CommandContext& ctx) {
  lureguard::v1::DeleteCtLogRequest request;
  request.set_name(ctx.command_line.args[0]);
  lureguard::v1::DeleteCtLogResponse response;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::DeleteCtLog, request, response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  ctx.out << "stopped monitoring CT log " << request.name()
          << "; its alerts stay\n";
  return kExitOk;
}

int RunCtStatus(const CommandContext& ctx) {
  lureguard::v1::ListCtLogsResponse response;
  if (int code = CallUnary(ctx, &AdminService::Stub::ListCtLogs,
                           lureguard::v1::ListCtLogsRequest(), response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJsonLines(ctx, response.logs());
  }
  for (const CtLog& log : response.logs()) {
    const lureguard::v1::CtLogStatus& s = log.status();
    WriteKeyValues(
        {{"name", log.name()},
         {"url", log.url()},
         {"api", ApiName(log.api())},
         {"interval", absl::StrCat(log.interval().seconds(), "s")},
         {"tree size", absl::StrCat(s.tree_size())},
         {"cursor", absl::StrCat(s.cursor())},
         {"behind",
          absl::StrCat(std::max<int64_t>(0, s.tree_size() - s.cursor()))},
         {"entries read", absl::StrCat(s.entries_read())},
         {"entries/s", absl::StrFormat("%.0f", s.entries_per_second())},
         {"alerts", absl::StrCat(s.alert_count())},
         {"malformed entries", absl::StrCat(s.malformed_count())},
         {"last attempt",
          Never(s.last_attempt_time(), s.has_last_attempt_time())},
         {"last success",
          Never(s.last_success_time(), s.has_last_success_time())},
         {"last error", s.last_error().empty() ? "-" : s.last_error()},
         {"consecutive failures", absl::StrCat(s.consecutive_failures())},
         {"next poll", Never(s.next_run_time(), s.has_next_run_time())}},
        ctx.out);
    ctx.out << "\n";
  }
  return kExitOk;
}

}  // namespace lureguard::cli
