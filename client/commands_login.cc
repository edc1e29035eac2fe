// `lureguard login check|report|counters` and `lureguard passwords
// import|status` (LoginService).

#include <filesystem>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/call.h"
#include "client/command.h"
#include "client/duration.h"
#include "client/input_file.h"
#include "client/output.h"
#include "lureguard/v1/login_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::LoginService;

absl::Duration FromProtoDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

void WriteCounters(const google::protobuf::RepeatedPtrField<
                       lureguard::v1::LoginCounter>& counters,
                   std::ostream& out) {
  TableWriter table(out,
                    {"COUNTER", "COUNT", "THRESHOLD", "WINDOW", "EVICTED"});
  for (const lureguard::v1::LoginCounter& c : counters) {
    table.AddRow({c.name(), absl::StrCat(c.count()),
                  absl::StrCat(c.threshold()),
                  FormatCliDuration(FromProtoDuration(c.window())),
                  c.evicted() ? "yes" : "no"});
  }
  table.Flush();
}

// The 5-hex prefix of a per-prefix Pwned Passwords file ("21BD1.txt"), or
// empty for other names.
std::string PrefixFromFileName(const std::string& path) {
  const std::string stem = std::filesystem::path(path).stem().string();
  if (stem.size() != 5) return "";
  for (char c : stem) {
    if (!absl::ascii_isxdigit(c)) return "";
  }
  return stem;
}

}  // namespace

int RunLoginCheck(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  if (!cl.Has("user") || !cl.Has("ip")) {
    return ctx.UsageError("--user and --ip are required");
  }
  lureguard::v1::CheckLoginRequest request;
  request.set_tenant(cl.Get("tenant"));
  request.set_username(cl.Get("user"));
  request.set_client_ip(cl.Get("ip"));
  request.set_origin(cl.Get("origin"));
  request.set_referer(cl.Get("referer"));
  request.set_user_agent(cl.Get("user-agent"));
  request.set_request_host(cl.Get("host"));
  request.set_tls_fingerprint(cl.Get("tls-fingerprint"));
  request.set_password_sha1(cl.Get("password-sha1"));
  for (const std::string& hop : cl.GetAll("forwarded-for")) {
    request.add_forwarded_for(hop);
  }
  lureguard::v1::CheckLoginResponse response;
  if (int code =
          CallUnary(ctx, &LoginService::Stub::CheckLogin, request, response);
      code != kExitOk) {
    return code;
  }
  int exit_code = kExitOk;
  const lureguard::v1::Action action = response.verdict().action();
  if (action == lureguard::v1::BLOCK &&
      ctx.globals().fail_on != FailOn::kNever) {
    exit_code = kExitBlock;
  } else if ((action == lureguard::v1::CHALLENGE ||
              action == lureguard::v1::WARN) &&
             ctx.globals().fail_on == FailOn::kWarn) {
    exit_code = kExitWarn;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    const int written = WriteJson(ctx, response);
    return written == kExitOk ? exit_code : written;
  }
  std::vector<std::pair<std::string, std::string>> fields = {
      {"action", lureguard::v1::Action_Name(action)},
      {"score", FormatScore(response.verdict().score())},
      {"reasons", FormatReasons(response.verdict())}};
  if (response.has_retry_after()) {
    fields.push_back({"retry_after", FormatCliDuration(FromProtoDuration(
                                         response.retry_after()))});
  }
  if (response.force_password_reset()) {
    fields.push_back({"force_password_reset", "true"});
  }
  if (response.verdict().degraded()) fields.push_back({"degraded", "true"});
  WriteKeyValues(fields, ctx.out);
  for (const lureguard::v1::Reason& reason : response.verdict().reasons()) {
    ctx.out << "  " << lureguard::v1::ReasonCode_Name(reason.code()) << ": "
            << reason.detail() << '\n';
  }
  ctx.out << '\n';
  WriteCounters(response.counters(), ctx.out);
  return exit_code;
}

int RunLoginReport(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  if (!cl.Has("user") || !cl.Has("ip") || !cl.Has("result")) {
    return ctx.UsageError("--user, --ip and --result are required");
  }
  lureguard::v1::ReportLoginOutcomeRequest request;
  request.set_tenant(cl.Get("tenant"));
  request.set_username(cl.Get("user"));
  request.set_client_ip(cl.Get("ip"));
  const std::string result = cl.Get("result");
  if (result == "success") {
    request.set_result(lureguard::v1::LOGIN_SUCCESS);
  } else if (result == "failure" || result == "bad-password") {
    request.set_result(lureguard::v1::BAD_PASSWORD);
  } else if (result == "mfa-failed") {
    request.set_result(lureguard::v1::MFA_FAILED);
  } else if (result == "locked") {
    request.set_result(lureguard::v1::ACCOUNT_LOCKED);
  } else {
    return ctx.UsageError(absl::StrCat(
        "--result: '", result,
        "' is not success, failure, bad-password, mfa-failed or locked"));
  }
  lureguard::v1::ReportLoginOutcomeResponse response;
  if (int code = CallUnary(ctx, &LoginService::Stub::ReportLoginOutcome,
                           request, response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  WriteCounters(response.counters(), ctx.out);
  return kExitOk;
}

int RunLoginCounters(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  if (cl.Has("ip") == cl.Has("user")) {
    return ctx.UsageError("give exactly one of --ip and --user");
  }
  lureguard::v1::GetLoginCountersRequest request;
  request.set_tenant(cl.Get("tenant"));
  request.set_client_ip(cl.Get("ip"));
  request.set_username(cl.Get("user"));
  lureguard::v1::GetLoginCountersResponse response;
  if (int code = CallUnary(ctx, &LoginService::Stub::GetLoginCounters, request,
                           response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  WriteCounters(response.counters(), ctx.out);
  return kExitOk;
}

int RunPasswordsImport(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  const std::string& path = cl.args[0];
  absl::StatusOr<InputFile> input = InputFile::Open(path, ctx.in);
  if (!input.ok()) return ctx.LocalError(input.status().message());
  const std::string prefix =
      cl.Has("prefix") ? cl.Get("prefix") : PrefixFromFileName(path);

  auto stub = LoginService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/true);
  lureguard::v1::ImportBreachedPasswordsResponse response;
  auto writer = stub->ImportBreachedPasswords(call.get(), &response);
  const InputFile::End end = input->ForEachChunk(
      ctx.import_chunk_bytes, [&](absl::string_view data, bool first) {
        lureguard::v1::ImportBreachedPasswordsRequest chunk;
        if (first) chunk.set_prefix(prefix);
        chunk.set_chunk(data.data(), data.size());
        return writer->Write(chunk);  // false: ended; Finish says why
      });
  if (end == InputFile::End::kReadError) {
    call->TryCancel();
    writer->Finish();
    return ctx.LocalError(absl::StrCat("cannot read \"", path, "\""));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return ctx.RpcError(status);
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  WriteKeyValues({{"lines", absl::StrCat(response.lines())},
                  {"total_hashes", absl::StrCat(response.total_hashes())}},
                 ctx.out);
  return kExitOk;
}

int RunPasswordsStatus(const CommandContext& ctx) {
  lureguard::v1::BreachedPasswordStatus status;
  if (int code = CallUnary(ctx, &LoginService::Stub::GetBreachedPasswordStatus,
                           {}, status);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, status);
  }
  WriteKeyValues(
      {{"path", status.path().empty() ? "-" : status.path()},
       {"hashes", absl::StrCat(status.hashes())},
       {"file_bytes", FormatBytes(static_cast<uint64_t>(status.file_bytes()))},
       {"updated", status.has_update_time()
                       ? FormatTimestamp(status.update_time())
                       : "-"}},
      ctx.out);
  return kExitOk;
}

}  // namespace lureguard::cli
