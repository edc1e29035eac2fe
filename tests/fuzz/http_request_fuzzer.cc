// Fuzz target for the HTTP front's request path without sockets: raw
// bytes, as a client would send them on one connection (pipelined
// requests included), through HttpRequestParser, HttpDispatcher with a
// router shaped like the front's (exact, prefix and one-segment routes,
// OriginalUrl's header reading), and SerializeHttpResponse. The first
// byte picks how the bytes are split into reads, so partial headers and
// bodies are exercised as a socket delivers them. Besides the sanitizers,
// it checks the parser's limits and the framing of every answer.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "server/service/http_dispatcher.h"
#include "server/service/http_front.h"
#include "server/service/http_limits.h"
#include "server/service/http_request_parser.h"
#include "server/service/http_response.h"
#include "server/service/http_router.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using namespace lureguard::service;
using lureguard::fuzz::Check;

HttpLimits Limits() {
  HttpLimits limits;
  limits.max_header_bytes = 2048;
  limits.max_header_count = 20;
  limits.max_body_bytes = 512;
  return limits;
}

const HttpDispatcher& Dispatcher() {
  static const HttpDispatcher* const dispatcher = [] {
    HttpRouter router;
    router.Get("/healthz", [](const HttpRequest&, HttpResponse& response) {
      response.SetContent("SERVING\n", "text/plain");
    });
    router.Prefix("/authz", {},
                  [](const HttpRequest& request, HttpResponse& response) {
                    absl::StatusOr<std::string> url = OriginalUrl(request);
                    response.status = url.ok() ? 200 : 400;
                    response.headers.Set("X-Url", url.ok() ? *url : "");
                    response.SetContent(
                        url.ok() ? *url : std::string(url.status().message()),
                        "text/plain");
                  });
    router.Prefix("/c", {"GET", "POST"},
                  [](const HttpRequest& request, HttpResponse& response) {
                    std::optional<absl::string_view> token =
                        PathSegmentAfter(request.path, "/c");
                    response.status = token.has_value() ? 200 : 404;
                    // Echo what a handler may copy into headers: framing must
                    // survive.
                    response.headers.Set("Location", token.value_or(""));
                    response.headers.Set("X-Agent",
                                         request.headers.GetOr("User-Agent"));
                    response.body = request.body;
                  });
    return new HttpDispatcher(std::move(router), nullptr, nullptr);
  }();
  return *dispatcher;
}

// The answer's framing: one status line, Content-Length equal to the body
// sent, no header line broken by a CR or LF of a handler's value.
void CheckAnswer(const std::string& wire, const HttpResponse& response,
                 bool head, std::string_view input) {
  Check(absl::StartsWith(wire, "HTTP/1."), "status line", input);
  const size_t end = wire.find("\r\n\r\n");
  Check(end != std::string::npos, "header end", input);
  const std::string body = wire.substr(end + 4);
  Check(body == (head ? "" : response.body), "body as set", input);
  const std::string length_field =
      "\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\n";
  Check(wire.find(length_field) < end, "content length", input);
  for (size_t i = 0; i < end; ++i) {
    if (wire[i] == '\r') Check(wire[i + 1] == '\n', "bare CR", input);
    if (wire[i] == '\n') Check(i > 0 && wire[i - 1] == '\r', "bare LF", input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t chunk = 1 + static_cast<unsigned char>(input[0]) % 64;
  const std::string_view wire = input.substr(1);
  const HttpLimits limits = Limits();

  std::string buffered;
  size_t delivered = 0;
  int requests = 0;
  std::optional<HttpRequestParser> parser;
  parser.emplace(limits);
  while (true) {
    if (!buffered.empty()) {
      const size_t used = parser->Feed(buffered);
      Check(used <= buffered.size(), "consumed at most what was given", input);
      buffered.erase(0, used);
    }
    if (parser->failed()) {
      const int status = parser->error_status();
      Check(status == 400 || status == 413 || status == 431,
            "documented refusals", input);
      HttpResponse refused =
          Dispatcher().Refused(status, parser->error_message());
      CheckAnswer(SerializeHttpResponse(refused, {.keep_alive = false}),
                  refused, false, input);
      break;  // the connection closes
    }
    if (parser->done()) {
      HttpRequest request = parser->Take("192.0.2.1");
      Check(request.body.size() <= limits.max_body_bytes, "body cap", input);
      Check(request.headers.size() <= limits.max_header_count, "field cap",
            input);
      Check(request.version == 10 || request.version == 11, "version", input);
      HttpResponse response = Dispatcher().Serve(request);
      Check(response.headers.Has("X-Request-Id"), "request id", input);
      const bool head = request.method == "HEAD";
      CheckAnswer(
          SerializeHttpResponse(response, {.keep_alive = request.keep_alive,
                                           .version = request.version,
                                           .head_request = head}),
          response, head, input);
      ++requests;
      if (!request.keep_alive) break;
      parser.emplace(limits);
      continue;  // a pipelined request may already be buffered
    }
    if (delivered == wire.size()) break;  // the client stopped sending
    const size_t n = std::min(chunk, wire.size() - delivered);
    buffered.append(wire.substr(delivered, n));
    delivered += n;
    // The listener's read buffer holds a header, a body and two reads at
    // most, and refuses the request past that; so does this loop.
    if (buffered.size() >
        limits.max_header_bytes + limits.max_body_bytes + 2 * 8192) {
      break;
    }
  }
  return 0;
}
