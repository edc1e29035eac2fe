// `lureguard check url`: verdicts for URLs given as arguments or on stdin.
//
// One URL is one CheckUrl call; several go through CheckUrls in batches of
// the server's default limit (URLs whose answers would outgrow the server's
// message cap come back refused and go again in the next batch); `-` streams
// stdin through StreamCheckUrls so a pipeline of any length gets its results as
// they are decided.

#include <algorithm>
#include <deque>
#include <istream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/command.h"
#include "client/output.h"
#include "client/threat_type.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "server/common/utf8.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::CheckUrlRequest;
using lureguard::v1::CheckUrlResponse;
using lureguard::v1::CheckUrlsRequest;
using lureguard::v1::CheckUrlsResponse;
using lureguard::v1::StreamCheckUrlsRequest;
using lureguard::v1::StreamCheckUrlsResponse;
using lureguard::v1::UrlService;

// ServerConfig.limits.max_batch_size defaults to 1000.
constexpr size_t kBatchSize = 1000;

// Bytes of a URL an error line repeats: a URL refused for its length may be
// megabytes long.
constexpr size_t kShownUrlBytes = 200;

// `url` for an error line: a URL that is not UTF-8 C-escaped, and a long
// one cut short with its length.
std::string ShownUrl(absl::string_view url) {
  std::string escaped;
  absl::string_view shown = url;
  if (!IsValidUtf8(url)) {
    escaped = absl::CHexEscape(url);
    shown = escaped;
  }
  if (shown.size() <= kShownUrlBytes) return std::string(shown);
  size_t cut = kShownUrlBytes;
  // Not inside a UTF-8 sequence: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(shown.substr(0, cut), "... (", url.size(), " bytes)");
}

// Prints check results as they come (a table row or a JSON line each, errors
// on stderr) and keeps the exit code they add up to.
class CheckResultPrinter {
 public:
  explicit CheckResultPrinter(const CommandContext& ctx)
      : ctx_(ctx),
        table_(ctx.out,
               {"ACTION", "THREAT", "SCORE", "HOST", "URL", "REASONS"}) {}

  // Prints `result`; `flush` writes table rows out at once.
  void Print(const CheckUrlResponse& result, bool flush) {
    if (result.has_error()) {
      table_.Flush();  // keep stdout in order with stderr
      ctx_.err << "error: " << ShownUrl(result.url()) << ": "
               << StatusCodeName(result.error().code()) << ": "
               << result.error().message() << '\n';
      ctx_.err.flush();
      Raise(kExitServerError);
      return;
    }
    const lureguard::v1::Action action = result.verdict().action();
    if (ctx_.globals().output == OutputFormat::kJson) {
      if (absl::Status s = WriteJsonLine(result, ctx_.out); !s.ok()) {
        ctx_.err << "error: " << s.message() << '\n';
        Raise(kExitUsage);
      }
    } else {
      std::string action_name = lureguard::v1::Action_Name(action);
      if (action_name.empty()) action_name = absl::StrCat(action);
      table_.AddRow({action_name,
                     ThreatTypesCell(result.verdict().threat_types()),
                     FormatScore(result.verdict().score()),
                     result.host().empty() ? "-" : result.host(), result.url(),
                     FormatReasons(result.verdict())});
      if (flush) table_.Flush();
    }
    Raise(ctx_.FailOnExitCode(action));
  }

  void Flush() { table_.Flush(); }

  // The highest exit code the results called for.
  int exit_code() const { return exit_code_; }

 private:
  void Raise(int code) { exit_code_ = std::max(exit_code_, code); }

  const CommandContext& ctx_;
  TableWriter table_;
  int exit_code_ = kExitOk;
};

int CheckOne(const CommandContext& ctx, const std::string& url) {
  auto stub = UrlService::NewStub(ctx.channel);
  CheckUrlRequest request;
  request.set_url(url);
  request.set_tenant(ctx.command_line.Get("tenant"));
  CheckUrlResponse response;
  grpc::Status status = ctx.CallWithPushback([&](grpc::ClientContext& call) {
    return stub->CheckUrl(&call, request, &response);
  });
  if (!status.ok()) return ctx.RpcError(status);
  // The unary answer need not echo the URL; tables and JSON lines show it.
  if (response.url().empty()) response.set_url(url);
  CheckResultPrinter printer(ctx);
  printer.Print(response, /*flush=*/true);
  return printer.exit_code();
}

// True for the per-URL error a server gives the URLs past its message cap
// (server/service/batch_answer.h): they were not checked, and go again.
bool RefusedForSize(const CheckUrlResponse& result) {
  return result.has_error() &&
         result.error().code() ==
             static_cast<int32_t>(grpc::StatusCode::RESOURCE_EXHAUSTED);
}

int CheckBatch(const CommandContext& ctx,
               const std::vector<std::string>& urls) {
  auto stub = UrlService::NewStub(ctx.channel);
  CheckResultPrinter printer(ctx);
  size_t begin = 0;
  while (begin < urls.size()) {
    const size_t end = std::min(urls.size(), begin + kBatchSize);
    CheckUrlsRequest request;
    request.set_tenant(ctx.command_line.Get("tenant"));
    for (size_t i = begin; i < end; ++i) request.add_urls(urls[i]);
    CheckUrlsResponse response;
    grpc::Status status = ctx.CallWithPushback([&](grpc::ClientContext& call) {
      return stub->CheckUrls(&call, request, &response);
    });
    if (!status.ok()) {
      printer.Flush();
      return ctx.RpcError(status);
    }
    const bool aligned =
        static_cast<size_t>(response.results_size()) == end - begin;
    // When the answers outgrow the server's message cap, the URLs past it
    // come back refused; they start the next batch. A batch whose first
    // URL is refused is printed as it is, so the loop always advances.
    int answered = response.results_size();
    if (aligned) {
      while (answered > 0 && RefusedForSize(response.results(answered - 1))) {
        --answered;
      }
      if (answered == 0) answered = response.results_size();
    }
    for (int i = 0; i < answered; ++i) {
      CheckUrlResponse* result = response.mutable_results(i);
      if (result->url().empty() && aligned) result->set_url(urls[begin + i]);
      printer.Print(*result, /*flush=*/false);
    }
    printer.Flush();
    begin = aligned ? begin + answered : end;
  }
  return printer.exit_code();
}

// Strips the line ending and surrounding blanks; URLs never carry them.
absl::string_view TrimLine(absl::string_view line) {
  return absl::StripAsciiWhitespace(line);
}

int CheckStream(const CommandContext& ctx) {
  auto stub = UrlService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/true);
  auto stream = stub->StreamCheckUrls(call.get());
  const std::string tenant = ctx.command_line.Get("tenant");

  // The URLs sent and not yet answered, oldest first: answers come in
  // order, and one that does not echo its URL (a URL that is not UTF-8) is
  // shown with the URL it answers.
  absl::Mutex mu;
  std::deque<std::string> unanswered;  // guarded by mu

  // stdin is read on its own thread so results print while input is still
  // arriving; gRPC allows one reader and one writer at a time on a stream.
  std::thread writer([&] {
    std::string line;
    StreamCheckUrlsRequest request;
    request.set_tenant(tenant);
    while (std::getline(ctx.in, line)) {
      absl::string_view url = TrimLine(line);
      if (url.empty()) continue;
      request.set_url(std::string(url));
      {
        absl::MutexLock lock(&mu);
        unanswered.push_back(request.url());
      }
      if (!stream->Write(request)) break;  // the call ended; Finish says why
    }
    stream->WritesDone();
  });

  CheckResultPrinter printer(ctx);
  StreamCheckUrlsResponse response;
  while (stream->Read(&response)) {
    CheckUrlResponse* result = response.mutable_result();
    {
      absl::MutexLock lock(&mu);
      if (!unanswered.empty()) {
        if (result->url().empty()) result->set_url(unanswered.front());
        unanswered.pop_front();
      }
    }
    printer.Print(*result, /*flush=*/true);
  }
  // The server ended the call. A writer still sending fails its next Write
  // and stops; one blocked on an interactive stdin stops at its next line.
  writer.join();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return ctx.RpcError(status);
  // A stream that ends with OK has answered every URL; if not, the URLs
  // left were never checked, and a gate must not pass them.
  absl::MutexLock lock(&mu);
  if (!unanswered.empty()) {
    ctx.err << "error: the server ended the stream with " << unanswered.size()
            << " URL(s) unanswered, from " << ShownUrl(unanswered.front())
            << '\n';
    return kExitServerError;
  }
  return printer.exit_code();
}

}  // namespace

int RunCheckUrl(const CommandContext& ctx) {
  const std::vector<std::string>& args = ctx.command_line.args;
  if (std::find(args.begin(), args.end(), "-") != args.end()) {
    if (args.size() != 1) {
      return ctx.UsageError(
          "\"-\" (read URLs from stdin) must be the only URL");
    }
    return CheckStream(ctx);
  }
  if (args.size() == 1) return CheckOne(ctx, args[0]);
  return CheckBatch(ctx, args);
}

}  // namespace lureguard::cli
