// `lureguard check mail FILE|-` (MailService.CheckMessage): the verdict on
// a whole message.

#include <string>

#include "absl/strings/str_cat.h"
#include "client/call.h"
#include "client/command.h"
#include "client/input_file.h"
#include "client/output.h"
#include "lureguard/v1/mail_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::MailService;

}  // namespace

int RunCheckMail(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  absl::StatusOr<InputFile> input = InputFile::Open(cl.args[0], ctx.in);
  if (!input.ok()) return ctx.LocalError(input.status().message());
  lureguard::v1::CheckMessageRequest request;
  std::string& content = *request.mutable_message();
  if (input->ForEachChunk(1 << 20, [&](absl::string_view chunk, bool) {
        content.append(chunk.data(), chunk.size());
        return true;
      }) == InputFile::End::kReadError) {
    return ctx.LocalError(
        absl::StrCat("cannot read \"", input->display_name(), "\""));
  }
  request.set_tenant(cl.Get("tenant"));
  request.set_envelope_sender(cl.Get("sender"));
  for (const std::string& recipient : cl.GetAll("recipient")) {
    request.add_recipients(recipient);
  }
  lureguard::v1::CheckMessageResponse response;
  if (int code =
          CallUnary(ctx, &MailService::Stub::CheckMessage, request, response);
      code != kExitOk) {
    return code;
  }

  const lureguard::v1::Verdict& verdict = response.verdict();
  if (ctx.globals().output == OutputFormat::kJson) {
    if (absl::Status s = WriteJsonLine(response, ctx.out); !s.ok()) {
      return ctx.LocalError(s.message());
    }
  } else {
    ctx.out << lureguard::v1::Action_Name(verdict.action()) << " "
            << FormatScore(verdict.score())
            << (verdict.degraded() ? " (degraded)" : "") << "  from "
            << OrDash(response.sender().from_address()) << "\n";
    TableWriter table(ctx.out, {"REASON", "WEIGHT", "PART", "BRAND", "DETAIL"});
    for (const lureguard::v1::Reason& reason : verdict.reasons()) {
      std::string part = reason.part();
      if (!reason.filename().empty()) {
        absl::StrAppend(&part, " (", reason.filename(), ")");
      }
      table.AddRow({lureguard::v1::ReasonCode_Name(reason.code()),
                    FormatScore(reason.weight()), OrDash(part),
                    OrDash(reason.brand()), reason.detail()});
    }
    table.Flush();
    for (const std::string& note : response.notes()) {
      ctx.err << "note: " << note << '\n';
    }
  }
  return ctx.FailOnExitCode(verdict.action());
}

}  // namespace lureguard::cli
