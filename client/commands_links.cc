// `lureguard links rewrite|unwrap` and `lureguard clicks ls` (LinkService).

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/call.h"
#include "client/command.h"
#include "client/input_file.h"
#include "client/output.h"
#include "lureguard/v1/link_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::LinkService;

constexpr int kDefaultLimit = 100;

std::string Chain(
    const google::protobuf::RepeatedPtrField<lureguard::v1::UnwrapStep>&
        chain) {
  std::vector<std::string> wrappers;
  for (const lureguard::v1::UnwrapStep& step : chain) {
    wrappers.push_back(step.wrapper());
  }
  return absl::StrJoin(wrappers, ">");
}

std::vector<std::string> ClickRow(const lureguard::v1::Click& click) {
  return {FormatTimestamp(click.click_time()),
          OrDash(click.tenant()),
          OrDash(click.recipient_id()),
          lureguard::v1::ClickAction_Name(click.action()),
          lureguard::v1::Action_Name(click.verdict_action()),
          absl::StrCat(click.count()),
          click.url()};
}

}  // namespace

int RunLinksRewrite(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  absl::StatusOr<InputFile> input = InputFile::Open(cl.args[0], ctx.in);
  if (!input.ok()) return ctx.LocalError(input.status().message());
  std::string content;
  if (input->ForEachChunk(1 << 20, [&](absl::string_view chunk, bool) {
        content.append(chunk.data(), chunk.size());
        return true;
      }) == InputFile::End::kReadError) {
    return ctx.LocalError(
        absl::StrCat("cannot read \"", input->display_name(), "\""));
  }
  if (cl.Has("html") && cl.Has("text")) {
    return ctx.UsageError("--html and --text exclude each other");
  }
  lureguard::v1::RewriteMessageRequest request;
  if (cl.Has("html")) {
    request.set_html_body(std::move(content));
  } else if (cl.Has("text")) {
    request.set_text_body(std::move(content));
  } else {
    request.set_message(std::move(content));
  }
  request.set_tenant(cl.Get("tenant"));
  request.set_recipient(cl.Get("recipient"));
  request.set_sender(cl.Get("sender"));
  request.set_message_id(cl.Get("message-id"));
  lureguard::v1::RewriteMessageResponse response;
  if (int code =
          CallUnary(ctx, &LinkService::Stub::RewriteMessage, request, response);
      code != kExitOk) {
    return code;
  }
  // The message is data: stdout, byte for byte. Per-link results are
  // diagnostics: stderr.
  ctx.out << response.message();
  ctx.out.flush();
  int exit_code = kExitOk;
  TableWriter table(ctx.err,
                    {"PART", "WHERE", "ACTION", "WRAPPERS", "URL", "RESULT"});
  for (const lureguard::v1::RewrittenLink& link : response.links()) {
    exit_code =
        std::max(exit_code, ctx.FailOnExitCode(link.verdict().action()));
    if (ctx.globals().output == OutputFormat::kJson) {
      if (absl::Status s = WriteJsonLine(link, ctx.err); !s.ok()) {
        return ctx.LocalError(s.message());
      }
      continue;
    }
    table.AddRow(
        {OrDash(link.part()),
         absl::AsciiStrToLower(
             lureguard::v1::LinkLocation_Name(link.location())),
         link.has_verdict()
             ? lureguard::v1::Action_Name(link.verdict().action())
             : "-",
         OrDash(Chain(link.chain())), link.unwrapped_url(),
         link.rewritten_url().empty() ? link.not_rewritten() : "rewritten"});
  }
  table.Flush();
  if (response.has_verdict()) {
    // A whole message: its verdict decides the exit code too.
    exit_code =
        std::max(exit_code, ctx.FailOnExitCode(response.verdict().action()));
    if (ctx.globals().output != OutputFormat::kJson) {
      ctx.err << "message: "
              << lureguard::v1::Action_Name(response.verdict().action()) << " "
              << FormatScore(response.verdict().score()) << " "
              << FormatReasons(response.verdict()) << '\n';
      for (const lureguard::v1::DefangedPart& part : response.defanged()) {
        ctx.err << "defanged: part " << part.part() << " ("
                << OrDash(part.filename()) << ")\n";
      }
    }
  }
  return exit_code;
}

int RunLinksUnwrap(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::UnwrapUrlRequest request;
  request.set_url(cl.args[0]);
  request.set_tenant(cl.Get("tenant"));
  lureguard::v1::UnwrapUrlResponse response;
  if (int code =
          CallUnary(ctx, &LinkService::Stub::UnwrapUrl, request, response);
      code != kExitOk) {
    return code;
  }
  const int exit_code = ctx.FailOnExitCode(response.verdict().action());
  if (ctx.globals().output == OutputFormat::kJson) {
    absl::Status s = WriteJsonLine(response, ctx.out);
    return s.ok() ? exit_code : ctx.LocalError(s.message());
  }
  std::vector<std::pair<std::string, std::string>> fields = {
      {"url", response.url()},
      {"wrappers", OrDash(Chain(response.chain()))},
      {"action", lureguard::v1::Action_Name(response.verdict().action())},
      {"score", FormatScore(response.verdict().score())},
      {"reasons", FormatReasons(response.verdict())}};
  if (response.depth_exceeded()) fields.push_back({"depth_exceeded", "true"});
  WriteKeyValues(fields, ctx.out);
  return exit_code;
}

int RunClicksLs(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  absl::StatusOr<int> limit = LimitFlag(cl, kDefaultLimit);
  if (!limit.ok()) return ctx.UsageError(limit.status().message());
  lureguard::v1::ListClicksRequest request;
  request.set_tenant(cl.Get("tenant"));
  TableWriter table(ctx.out, {"TIME", "TENANT", "RECIPIENT", "ACTION",
                              "VERDICT", "COUNT", "URL"});
  return ListUpTo(ctx, &LinkService::Stub::ListClicks, request,
                  &lureguard::v1::ListClicksResponse::clicks, *limit, table,
                  ClickRow);
}

}  // namespace lureguard::cli
