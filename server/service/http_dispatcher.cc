#include "server/service/http_dispatcher.h"

#include <exception>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"

namespace lureguard::service {
namespace {

HttpRoute RouteOf(absl::string_view path) {
  if (path == "/healthz") return HttpRoute::kHealthz;
  if (path == "/authz" || absl::StartsWith(path, "/authz/")) {
    return HttpRoute::kAuthz;
  }
  if (path == "/metrics") return HttpRoute::kMetrics;
  return HttpRoute::kOther;
}

// Methods are label-free in the log line but still come from the client:
// only the ones HTTP defines are written as sent.
absl::string_view MethodLabel(absl::string_view method) {
  for (absl::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE",
                                  "OPTIONS", "PATCH", "CONNECT", "TRACE"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

}  // namespace

HttpDispatcher::HttpDispatcher(HttpRouter router, ServerMetrics* metrics,
                               const RequestLog* log)
    : router_(std::move(router)), metrics_(metrics), log_(log) {}

HttpResponse HttpDispatcher::Serve(const HttpRequest& request) const {
  const absl::Time start = absl::Now();
  HttpResponse response;
  response.headers.Set("X-Request-Id",
                       RequestId(request.headers.Get("X-Request-Id")));
  try {
    router_.Dispatch(request, response);
  } catch (const std::exception& e) {
    // No handler throws on purpose; an allocation failure must not take
    // the process down with it.
    LogError("http handler failed", {{"error", e.what()}});
    const std::string id = response.headers.GetOr("X-Request-Id");
    response = HttpResponse();
    response.headers.Set("X-Request-Id", id);
    response.status = 500;
    response.SetContent("internal error\n", "text/plain; charset=utf-8");
  }
  Record(MethodLabel(request.method), request.path, response,
         absl::Now() - start);
  return response;
}

HttpResponse HttpDispatcher::Refused(int status,
                                     absl::string_view message) const {
  HttpResponse response;
  response.status = status;
  response.headers.Set("X-Request-Id", RequestId(std::nullopt));
  response.SetContent(absl::StrCat(message, "\n"), "text/plain; charset=utf-8");
  Record("-", "", response, absl::ZeroDuration());
  return response;
}

void HttpDispatcher::Record(absl::string_view method, absl::string_view path,
                            const HttpResponse& response,
                            absl::Duration latency) const {
  const HttpRoute route = RouteOf(path);
  if (metrics_ != nullptr)
    metrics_->RecordHttp(route, response.status, latency);
  if (log_ == nullptr) return;
  // The route, never the path: /authz/<original path> carries a URL.
  const std::string line_method =
      absl::StrCat(method, " ", HttpRouteLabel(route));
  const std::string status = absl::StrCat(response.status);
  const std::string id = response.headers.GetOr("X-Request-Id");
  const std::string action = response.headers.GetOr(kActionHeader);
  log_->Write({.method = line_method,
               .request_id = id,
               .status = status,
               .latency = latency,
               .action = action});
}

}  // namespace lureguard::service
