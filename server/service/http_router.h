// Which handler answers an HTTP request: exact paths per method, and path
// prefixes (a prefix matches itself and everything below "prefix/"),
// matched in the order added, without regular expressions. HEAD is served
// by the GET handler (the listener sends the header only). No match is 404,
// a path served for other methods only is 405 with Allow.
//
// Thread safety: build it on one thread, then Dispatch concurrently.
//
// Example:
//   HttpRouter router;
//   router.Get("/healthz", [](const HttpRequest&, HttpResponse& r) {...});
//   router.Prefix("/authz", {}, authz);          // any method
//   router.Prefix("/c", {"GET", "POST"}, click);  // /c/<token>
//   router.Dispatch(request, response);

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_ROUTER_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_ROUTER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/service/http_request.h"
#include "server/service/http_response.h"

namespace lureguard::service {

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

class HttpRouter {
 public:
  // `path` exactly, for GET (and HEAD) or POST.
  void Get(std::string path, HttpHandler handler);
  void Post(std::string path, HttpHandler handler);
  // `prefix` and every path below "prefix/", for `methods` (empty: any).
  void Prefix(std::string prefix, std::vector<std::string> methods,
              HttpHandler handler);

  // Runs the matching handler on `response`, or answers 404 / 405.
  void Dispatch(const HttpRequest& request, HttpResponse& response) const;

 private:
  struct Route {
    std::string path;
    bool prefix = false;
    std::vector<std::string> methods;  // empty: any
    HttpHandler handler;
  };

  std::vector<Route> routes_;
};

// The part of `path` after "`prefix`/" when it is one segment (no '/'),
// else nullopt: "/c/abc" after "/c" is "abc".
std::optional<absl::string_view> PathSegmentAfter(absl::string_view path,
                                                  absl::string_view prefix);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_ROUTER_H_
