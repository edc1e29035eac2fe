// What the HTTP front does with each request once it is parsed, apart from
// the connection: gives it a request id (the caller's X-Request-Id when
// well formed, a new one otherwise, echoed in the answer), routes it,
// and counts and logs the answer (metrics by route and status, the one
// request log line). Answers to requests refused before routing (431,
// 413, 400, 503) go through Refused, so they are counted and logged too.
//
// Socket-free: the listener and the fuzzer call it the same way.
//
// Thread safety: const methods run concurrently.
//
// Example:
//   HttpDispatcher dispatcher(std::move(router), &metrics, &log);
//   HttpResponse response = dispatcher.Serve(request);

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_DISPATCHER_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_DISPATCHER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "server/service/http_request.h"
#include "server/service/http_response.h"
#include "server/service/http_router.h"
#include "server/service/metrics.h"
#include "server/service/request_log.h"

namespace lureguard::service {

// Response header naming the verdict action; the request log reads it.
inline constexpr char kActionHeader[] = "X-Lureguard-Action";

class HttpDispatcher {
 public:
  // `metrics` and `log` may be null; they must outlive the dispatcher.
  HttpDispatcher(HttpRouter router, ServerMetrics* metrics,
                 const RequestLog* log);

  // The answer to `request`.
  HttpResponse Serve(const HttpRequest& request) const;

  // The answer to a request refused before it could be routed: `status`
  // with `message` as a text body.
  HttpResponse Refused(int status, absl::string_view message) const;

 private:
  void Record(absl::string_view method, absl::string_view path,
              const HttpResponse& response, absl::Duration latency) const;

  const HttpRouter router_;
  ServerMetrics* const metrics_;
  const RequestLog* const log_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_DISPATCHER_H_
