// The one structured line logged per gRPC call and per HTTP request, and
// the request ids that tie a caller's request to it.
//
// The line holds the method (or HTTP route), the request id, the status,
// the latency and, for URL checks, the verdict action: never a URL, a key,
// a header value other than the request id, or a user name.
//
// Thread safety: safe for concurrent use.
//
// Example:
//   RequestLog log(/*enabled=*/true);
//   const std::string id = RequestId(header_value);
//   log.Write({.method = "GET /authz", .request_id = id, .status = "403",
//              .latency = absl::Microseconds(90), .action = "BLOCK"});

#ifndef LUREGUARD_SERVER_SERVICE_REQUEST_LOG_H_
#define LUREGUARD_SERVER_SERVICE_REQUEST_LOG_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::service {

// What one request did.
struct RequestRecord {
  absl::string_view method;      // "/lureguard.v1.UrlService/CheckUrl"
  absl::string_view request_id;  // from RequestId()
  absl::string_view status;      // "OK", "INVALID_ARGUMENT", "403"
  absl::Duration latency = absl::ZeroDuration();
  absl::string_view action;  // verdict action, empty when none
};

class RequestLog {
 public:
  // A disabled log writes nothing (`logging.disable_request_log`).
  explicit RequestLog(bool enabled) : enabled_(enabled) {}

  // Writes `record` as one info line "request".
  void Write(const RequestRecord& record) const;

 private:
  const bool enabled_;
};

// The id a caller sent (x-request-id), when it is 1-64 characters of
// [A-Za-z0-9._:-], so a hostile value cannot forge log content; otherwise a
// new random one (16 hex digits).
std::string RequestId(std::optional<absl::string_view> sent);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_REQUEST_LOG_H_
