#include "server/service/login_http.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/log.h"

namespace lureguard::service {
namespace {

// The smallest transparent 1x1 GIF (GIF89a, 43 bytes).
constexpr unsigned char kPixel[] = {
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

}  // namespace

void LoginHttp::Install(httplib::Server& server) const {
  server.Get(R"(/range/([^/]*))",
             [this](const httplib::Request& request,
                    httplib::Response& response) { Range(request, response); });
  server.Get(
      R"(/b/([^/]+)/([^/]+)\.gif)",
      [this](const httplib::Request& request, httplib::Response& response) {
        Beacon(request, response);
      });
}

void LoginHttp::Range(const httplib::Request& request,
                      httplib::Response& response) const {
  const bool padding = absl::EqualsIgnoreCase(
      absl::StripAsciiWhitespace(request.get_header_value("Add-Padding")),
      "true");
  absl::StatusOr<std::string> body =
      engine_.PasswordRange(request.matches[1].str(), padding);
  if (!body.ok()) {
    response.status = 400;
    response.set_content(std::string(body.status().message()), "text/plain");
    return;
  }
  // The public API lets clients cache a range; so may proxies here.
  response.set_header("Cache-Control", "public, max-age=300");
  response.set_content(*std::move(body), "text/plain");
}

void LoginHttp::Beacon(const httplib::Request& request,
                       httplib::Response& response) const {
  const std::string tenant = request.matches[1].str();
  absl::StatusOr<std::optional<login::BeaconAlert>> alert =
      engine_.RecordBeacon(tenant, request.get_header_value("Referer"),
                           request.remote_addr);
  // A hit over a rate limit or the cap is refused quietly: a flood must
  // not flood the log too.
  if (!alert.ok() && !absl::IsResourceExhausted(alert.status())) {
    // The page must load whatever happens; the failure is ours to see.
    LogWarning("login beacon not recorded",
               {{"tenant", tenant}, {"error", alert.status().message()}});
  }
  // Every page load must reach us: no cache may answer for the beacon.
  response.set_header("Cache-Control", "no-store");
  response.set_content(
      std::string(reinterpret_cast<const char*>(kPixel), sizeof(kPixel)),
      "image/gif");
}

}  // namespace lureguard::service
