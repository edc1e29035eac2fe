// The steps every command that asks the server something repeats, written
// once: a unary call with its failure report, every page of a List call,
// and a record shown as a JSON line or a table row.
//
//   v1::Brand created;
//   if (int code = CallUnary(ctx, &v1::AdminService::Stub::CreateBrand,
//                            request, created);
//       code != kExitOk) {
//     return code;
//   }

#ifndef LUREGUARD_CLIENT_CALL_H_
#define LUREGUARD_CLIENT_CALL_H_

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/args.h"
#include "client/command.h"
#include "client/output.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace lureguard::cli {

// A generated stub's blocking unary method, e.g.
// &v1::AdminService::Stub::ListFeeds.
template <typename Stub, typename Request, typename Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&,
                                           Response*);

// How long a call may take: kUnary gets --timeout or the 10 s default;
// kLong (a call that fetches a feed or imports a file inside it) only
// --timeout, as streaming calls do.
enum class CallLength { kUnary, kLong };

// Makes one call on a fresh context (CommandContext::NewCallContext).
// kExitOk, or the failure reported on stderr (RpcError) and its exit code.
template <typename Stub, typename Request, typename Response>
int CallUnary(const CommandContext& ctx,
              UnaryMethod<Stub, Request, Response> method,
              const Request& request, Response& response,
              CallLength length = CallLength::kUnary) {
  Stub stub(ctx.channel);
  std::unique_ptr<grpc::ClientContext> call =
      ctx.NewCallContext(/*streaming=*/length == CallLength::kLong);
  const grpc::Status status = (stub.*method)(call.get(), request, &response);
  return status.ok() ? kExitOk : ctx.RpcError(status);
}

// Returned by a ForEachPage callback to end the listing early, with
// kExitOk.
inline constexpr int kStopPaging = -1;

// Calls a List method page after page, `request.page_token` following each
// response's `next_page_token`, and hands each page to `on_page`, which
// returns kExitOk to go on, kStopPaging to end, or an exit code to fail
// with. `request` stays the caller's, so `on_page` may change it (e.g. the
// next page's size) between calls.
template <typename Stub, typename Request, typename Response, typename OnPage>
int ForEachPage(const CommandContext& ctx,
                UnaryMethod<Stub, Request, Response> method, Request& request,
                OnPage&& on_page) {
  Stub stub(ctx.channel);
  while (true) {
    std::unique_ptr<grpc::ClientContext> call =
        ctx.NewCallContext(/*streaming=*/false);
    Response response;
    const grpc::Status status = (stub.*method)(call.get(), request, &response);
    if (!status.ok()) return ctx.RpcError(status);
    const int code = on_page(static_cast<const Response&>(response));
    if (code == kStopPaging) return kExitOk;
    if (code != kExitOk) return code;
    if (response.next_page_token().empty()) return kExitOk;
    if (response.next_page_token() == request.page_token()) {
      ctx.err << "error: the server returned the same page token twice\n";
      return kExitServerError;
    }
    request.set_page_token(response.next_page_token());
  }
}

// Shows what a List call returns, page after page, up to `limit` items
// (a --limit flag): each page asks for no more than is left, and the
// listing ends once `limit` items came. `items` is the response's
// repeated field, e.g. &v1::ListClicksResponse::clicks.
template <typename Stub, typename Request, typename Response, typename Items,
          typename ToRow>
int ListUpTo(const CommandContext& ctx,
             UnaryMethod<Stub, Request, Response> method, Request request,
             Items (Response::*items)() const, int limit, TableWriter& table,
             ToRow&& to_row);

// Shows everything an unpaged List call returns, as rows of `columns` or
// JSON lines; `none` ("no feeds") tells a person the list was empty.
template <typename Stub, typename Request, typename Response, typename Items,
          typename ToRow>
int ListAll(const CommandContext& ctx,
            UnaryMethod<Stub, Request, Response> method, const Request& request,
            Items (Response::*items)() const, std::vector<std::string> columns,
            ToRow&& to_row, absl::string_view none);

// Writes `message` as one JSON line. kExitOk, or the failed conversion
// reported as a local error.
inline int WriteJson(const CommandContext& ctx,
                     const google::protobuf::Message& message) {
  const absl::Status s = WriteJsonLine(message, ctx.out);
  return s.ok() ? kExitOk : ctx.LocalError(s.message());
}

// Writes each of `messages` as a JSON line, as WriteJson does.
template <typename Messages>
int WriteJsonLines(const CommandContext& ctx, const Messages& messages) {
  for (const auto& message : messages) {
    if (int code = WriteJson(ctx, message); code != kExitOk) return code;
  }
  return kExitOk;
}

// Shows `message` as one JSON line (-o json) or adds the row `to_row`
// makes of it to `table` (made only for tables). kExitOk, or the failed
// JSON conversion reported as a local error.
template <typename Message, typename ToRow>
int WriteRecord(const CommandContext& ctx, TableWriter& table,
                const Message& message, ToRow&& to_row) {
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, message);
  }
  table.AddRow(to_row(message));
  return kExitOk;
}

// Shows each of `messages` as WriteRecord does, then flushes `table`, so
// a listing shows page by page as it arrives.
template <typename Messages, typename ToRow>
int WriteRecords(const CommandContext& ctx, TableWriter& table,
                 const Messages& messages, ToRow&& to_row) {
  for (const auto& message : messages) {
    if (int code = WriteRecord(ctx, table, message, to_row); code != kExitOk) {
      return code;
    }
  }
  table.Flush();
  return kExitOk;
}

// After a table listing that showed nothing: "no alerts" on stderr, so a
// person sees the answer while the output stays empty. JSON output says
// nothing.
inline void SayIfNoneListed(const CommandContext& ctx, const TableWriter& table,
                            absl::string_view message) {
  if (table.rows_written() == 0 &&
      ctx.globals().output != OutputFormat::kJson) {
    ctx.err << message << "\n";
  }
}

template <typename Stub, typename Request, typename Response, typename Items,
          typename ToRow>
int ListUpTo(const CommandContext& ctx,
             UnaryMethod<Stub, Request, Response> method, Request request,
             Items (Response::*items)() const, int limit, TableWriter& table,
             ToRow&& to_row) {
  int shown = 0;
  request.set_page_size(std::min(limit, kMaxPageSize));
  return ForEachPage(ctx, method, request, [&](const Response& page) {
    const auto& listed = (page.*items)();
    if (int code = WriteRecords(ctx, table, listed, to_row); code != kExitOk) {
      return code;
    }
    shown += listed.size();
    if (shown >= limit) return kStopPaging;
    request.set_page_size(std::min(limit - shown, kMaxPageSize));
    return static_cast<int>(kExitOk);
  });
}

template <typename Stub, typename Request, typename Response, typename Items,
          typename ToRow>
int ListAll(const CommandContext& ctx,
            UnaryMethod<Stub, Request, Response> method, const Request& request,
            Items (Response::*items)() const, std::vector<std::string> columns,
            ToRow&& to_row, absl::string_view none) {
  Response response;
  if (int code = CallUnary(ctx, method, request, response); code != kExitOk) {
    return code;
  }
  TableWriter table(ctx.out, std::move(columns));
  if (int code = WriteRecords(ctx, table, (response.*items)(), to_row);
      code != kExitOk) {
    return code;
  }
  SayIfNoneListed(ctx, table, none);
  return kExitOk;
}

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_CALL_H_
