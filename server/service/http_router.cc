#include "server/service/http_router.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lureguard::service {
namespace {

bool PathMatches(absl::string_view path, absl::string_view route_path,
                 bool prefix) {
  if (path == route_path) return true;
  return prefix && path.size() > route_path.size() &&
         absl::StartsWith(path, route_path) && path[route_path.size()] == '/';
}

bool MethodMatches(const std::vector<std::string>& methods,
                   absl::string_view method) {
  if (methods.empty()) return true;
  for (const std::string& allowed : methods) {
    if (allowed == method || (allowed == "GET" && method == "HEAD")) {
      return true;
    }
  }
  return false;
}

}  // namespace

void HttpRouter::Get(std::string path, HttpHandler handler) {
  routes_.push_back({std::move(path), false, {"GET"}, std::move(handler)});
}

void HttpRouter::Post(std::string path, HttpHandler handler) {
  routes_.push_back({std::move(path), false, {"POST"}, std::move(handler)});
}

void HttpRouter::Prefix(std::string prefix, std::vector<std::string> methods,
                        HttpHandler handler) {
  routes_.push_back(
      {std::move(prefix), true, std::move(methods), std::move(handler)});
}

void HttpRouter::Dispatch(const HttpRequest& request,
                          HttpResponse& response) const {
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (!PathMatches(request.path, route.path, route.prefix)) continue;
    if (MethodMatches(route.methods, request.method)) {
      route.handler(request, response);
      return;
    }
    for (const std::string& method : route.methods) {
      if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
        allowed.push_back(method);
      }
    }
  }
  if (!allowed.empty()) {
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) {
      allowed.push_back("HEAD");
    }
    response.status = 405;
    response.headers.Set("Allow", absl::StrJoin(allowed, ", "));
    response.SetContent("method not allowed\n", "text/plain; charset=utf-8");
    return;
  }
  response.status = 404;
  response.SetContent("not found\n", "text/plain; charset=utf-8");
}

std::optional<absl::string_view> PathSegmentAfter(absl::string_view path,
                                                  absl::string_view prefix) {
  if (path.size() <= prefix.size() || !absl::StartsWith(path, prefix) ||
      path[prefix.size()] != '/') {
    return std::nullopt;
  }
  absl::string_view segment = path.substr(prefix.size() + 1);
  if (absl::StrContains(segment, '/')) return std::nullopt;
  return segment;
}

}  // namespace lureguard::service
