// The login routes of the HTTP front, translating HTTP to the login engine:
//
//   GET /range/{prefix}          the Pwned Passwords k-anonymity range API,
//                                byte for byte (`Add-Padding: true` pads);
//                                no key, as the public API needs none, so
//                                existing clients only change the base URL.
//                                400 naming the prefix when it is not 5 hex.
//   GET /b/{tenant}/{id}.gif     the login-page beacon: a 1x1 transparent
//                                GIF, never cached, whatever happened; a
//                                Referer that is not one of the tenant's
//                                login origins is recorded and flagged,
//                                within rate limits per client IP and
//                                tenant (LoginEngine::RecordBeacon).
//
// Thread safety: handlers are const and run concurrently.

#ifndef LUREGUARD_SERVER_SERVICE_LOGIN_HTTP_H_
#define LUREGUARD_SERVER_SERVICE_LOGIN_HTTP_H_

#include "server/login/login_engine.h"
#include "server/service/http_request.h"
#include "server/service/http_response.h"
#include "server/service/http_router.h"

namespace lureguard::service {

class LoginHttp {
 public:
  // `engine` must outlive the routes.
  explicit LoginHttp(login::LoginEngine& engine) : engine_(engine) {}

  // Installs both routes on `router`.
  void Install(HttpRouter& router) const;

  void Range(const HttpRequest& request, HttpResponse& response) const;
  void Beacon(const HttpRequest& request, HttpResponse& response) const;

 private:
  login::LoginEngine& engine_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_LOGIN_HTTP_H_
