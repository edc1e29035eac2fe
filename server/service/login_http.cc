#include "server/service/login_http.h"

#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/common/log.h"

namespace lureguard::service {
namespace {

// The smallest transparent 1x1 GIF (GIF89a, 43 bytes).
constexpr unsigned char kPixel[] = {
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

void NotFound(HttpResponse& response) {
  response.status = 404;
  response.SetContent("not found\n", "text/plain; charset=utf-8");
}

// The tenant of a beacon path "/b/{tenant}/{id}.gif", each part non-empty.
std::optional<std::string> BeaconTenant(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/b/")) return std::nullopt;
  const size_t slash = path.find('/');
  if (slash == 0 || slash == absl::string_view::npos) return std::nullopt;
  absl::string_view file = path.substr(slash + 1);
  if (absl::StrContains(file, '/') || !absl::EndsWith(file, ".gif") ||
      file.size() == 4) {
    return std::nullopt;
  }
  return std::string(path.substr(0, slash));
}

}  // namespace

void LoginHttp::Install(HttpRouter& router) const {
  router.Prefix("/range", {"GET"},
                [this](const HttpRequest& request, HttpResponse& response) {
                  Range(request, response);
                });
  router.Prefix("/b", {"GET"},
                [this](const HttpRequest& request, HttpResponse& response) {
                  Beacon(request, response);
                });
}

void LoginHttp::Range(const HttpRequest& request,
                      HttpResponse& response) const {
  std::optional<absl::string_view> prefix =
      PathSegmentAfter(request.path, "/range");
  if (!prefix.has_value()) {
    NotFound(response);
    return;
  }
  const bool padding = absl::EqualsIgnoreCase(
      absl::StripAsciiWhitespace(request.headers.GetOr("Add-Padding")), "true");
  absl::StatusOr<std::string> body =
      engine_.PasswordRange(std::string(*prefix), padding);
  if (!body.ok()) {
    response.status = 400;
    response.SetContent(std::string(body.status().message()), "text/plain");
    return;
  }
  // The public API lets clients cache a range; so may proxies here.
  response.headers.Set("Cache-Control", "public, max-age=300");
  response.SetContent(*std::move(body), "text/plain");
}

void LoginHttp::Beacon(const HttpRequest& request,
                       HttpResponse& response) const {
  // /b/{tenant}/{id}.gif: two non-empty segments, the second ending .gif.
  std::optional<std::string> tenant = BeaconTenant(request.path);
  if (!tenant.has_value()) {
    NotFound(response);
    return;
  }
  absl::StatusOr<std::optional<login::BeaconAlert>> alert =
      engine_.RecordBeacon(*tenant, request.headers.GetOr("Referer"),
                           request.remote_address);
  // A hit over a rate limit or the cap is refused quietly: a flood must
  // not flood the log too.
  if (!alert.ok() && !absl::IsResourceExhausted(alert.status())) {
    // The page must load whatever happens; the failure is ours to see.
    LogWarning("login beacon not recorded",
               {{"tenant", *tenant}, {"error", alert.status().message()}});
  }
  // Every page load must reach us: no cache may answer for the beacon.
  response.headers.Set("Cache-Control", "no-store");
  response.SetContent(
      std::string(reinterpret_cast<const char*>(kPixel), sizeof(kPixel)),
      "image/gif");
}

}  // namespace lureguard::service
