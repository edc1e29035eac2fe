// One HTTP request as the front's handlers see it: parsed, within the
// front's limits, independent of the library that read it off the wire.
//
// Example:
//   void Handle(const HttpRequest& request, HttpResponse& response) {
//     std::string ua = request.headers.GetOr("User-Agent");
//     std::optional<absl::string_view> page = request.Query("page");
//   }

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_REQUEST_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_REQUEST_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/service/http_headers.h"

namespace lureguard::service {

struct HttpRequest {
  std::string method;  // "GET", as sent (methods are case-sensitive)
  std::string target;  // the request target as sent: "/authz/a%20b?x=1"
  std::string path;    // the target's path, percent-decoded: "/authz/a b"
  // The query's name=value pairs in order, percent-decoded, '+' as space.
  std::vector<std::pair<std::string, std::string>> query;
  HttpHeaders headers;
  std::string body;
  std::string remote_address;  // the client's IP address
  int version = 11;            // 10 for HTTP/1.0, 11 for HTTP/1.1
  bool keep_alive = true;      // what the client asked for (version aware)

  // The first value of query parameter `name`.
  std::optional<absl::string_view> Query(absl::string_view name) const;
};

// `encoded` with %XX sequences decoded (a malformed one is kept as is);
// with `plus_as_space`, '+' becomes ' ' (form and query encoding).
std::string PercentDecode(absl::string_view encoded, bool plus_as_space);

// Splits a request target into its decoded path and query parameters.
void SplitTarget(absl::string_view target, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_REQUEST_H_
