// One HTTP answer as the front's handlers build it, and its bytes on the
// wire.
//
// Example:
//   HttpResponse response;
//   response.SetContent("SERVING\n", "text/plain; charset=utf-8");
//   std::string wire = SerializeHttpResponse(response, {.keep_alive = true});

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_RESPONSE_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_RESPONSE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "server/service/http_headers.h"

namespace lureguard::service {

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;

  // Sets the body and its Content-Type.
  void SetContent(std::string content, absl::string_view content_type);
};

// How an answer is framed on its connection.
struct HttpFraming {
  bool keep_alive = true;     // false: "Connection: close"
  int version = 11;           // the request's: 10 or 11
  bool head_request = false;  // HEAD: the header only, Content-Length kept
};

// The status line, the headers (any Content-Length, Transfer-Encoding or
// Connection field of `response` replaced by the framing's own), and the
// body.
std::string SerializeHttpResponse(const HttpResponse& response,
                                  const HttpFraming& framing);

// "OK", "Not Found", ...; "Unknown" for a code without one.
absl::string_view HttpReasonPhrase(int status);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_RESPONSE_H_
