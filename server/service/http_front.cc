#include "server/service/http_front.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lureguard/v1/verdict.pb.h"
#include "server/service/authorize.h"
#include "server/service/http_dispatcher.h"

namespace lureguard::service {
namespace {

namespace v1 = ::lureguard::v1;

std::optional<std::string> Header(const HttpRequest& request,
                                  const char* name) {
  std::optional<absl::string_view> value = request.headers.Get(name);
  if (!value.has_value()) return std::nullopt;
  return std::string(*value);
}

void Answer(HttpResponse& response, int status, absl::string_view body) {
  response.status = status;
  response.SetContent(absl::StrCat(body, "\n"), "text/plain; charset=utf-8");
}

int HttpStatusOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

}  // namespace

absl::StatusOr<std::string> OriginalUrl(const HttpRequest& request) {
  // nginx: proxy_set_header X-Original-URL $scheme://$http_host$request_uri;
  if (std::optional<std::string> url = Header(request, "X-Original-URL")) {
    if (url->empty()) {
      return absl::InvalidArgumentError("X-Original-URL: is empty");
    }
    return *std::move(url);
  }
  const std::string proto =
      Header(request, "X-Forwarded-Proto").value_or("http");
  if (proto != "http" && proto != "https") {
    return absl::InvalidArgumentError(absl::StrCat(
        "X-Forwarded-Proto: '", proto, "' is neither http nor https"));
  }
  // Traefik ForwardAuth sends X-Forwarded-Host and X-Forwarded-Uri.
  const std::optional<std::string> uri = Header(request, "X-Forwarded-Uri");
  if (uri.has_value()) {
    std::optional<std::string> host = Header(request, "X-Forwarded-Host");
    if (!host.has_value() || host->empty()) {
      return absl::InvalidArgumentError(
          "X-Forwarded-Host: missing, and X-Forwarded-Uri needs it");
    }
    const absl::string_view path =
        uri->empty() ? absl::string_view("/") : absl::string_view(*uri);
    return absl::StrCat(proto, "://", *host, path);
  }
  // Envoy ext_authz (HTTP service) sends the original path after its
  // path_prefix, and the original authority as Host. The raw target keeps
  // the percent-encoding the browser sent.
  constexpr absl::string_view kPrefix = "/authz/";
  absl::string_view target = request.target;
  if (absl::StartsWith(target, kPrefix)) {
    target.remove_prefix(kPrefix.size() - 1);
    std::optional<std::string> host = Header(request, "Host");
    if (!host.has_value() || host->empty()) {
      return absl::InvalidArgumentError(
          "Host: missing, and the path after /authz needs it");
    }
    return absl::StrCat(proto, "://", *host, target);
  }
  return absl::InvalidArgumentError(
      "X-Original-URL: missing (or send X-Forwarded-Host and "
      "X-Forwarded-Uri, or the original path after /authz)");
}

HttpFront::HttpFront(const UrlChecker& checker, const auth::KeyRing& keys,
                     const v1::HttpFrontConfig& config,
                     std::function<bool()> serving, auth::RateLimiter* limiter)
    : judge_(checker, config),
      keys_(keys),
      serving_(std::move(serving)),
      limiter_(limiter) {}

void HttpFront::Healthz(const HttpRequest&, HttpResponse& response) const {
  if (serving_()) {
    Answer(response, 200, "SERVING");
  } else {
    Answer(response, 503, "NOT_SERVING");
  }
}

void HttpFront::Authz(const HttpRequest& request,
                      HttpResponse& response) const {
  absl::StatusOr<auth::Principal> who = AuthorizeBearer(
      keys_, Header(request, "Authorization"), Permission::kCheck);
  if (!who.ok()) {
    if (absl::IsUnauthenticated(who.status())) {
      response.headers.Set("WWW-Authenticate", "Bearer");
    }
    Answer(response, HttpStatusOf(who.status()), who.status().message());
    return;
  }
  // Counted after authentication, as on gRPC: unknown callers cannot drain
  // a real key's bucket.
  if (limiter_ != nullptr) {
    const auth::RateDecision decision = limiter_->Admit(who->key_name);
    if (!decision.admitted) {
      // Retry-After counts whole seconds (RFC 9110); round up so a client
      // that obeys it is admitted.
      const int64_t seconds =
          std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(
                                   decision.retry_after, absl::Seconds(1))));
      response.headers.Set("Retry-After", std::to_string(seconds));
      Answer(response, 429,
             absl::StrCat(
                 "key '", who->key_name, "' is over its rate limit; retry in ",
                 absl::ToInt64Milliseconds(decision.retry_after), " ms"));
      return;
    }
  }
  absl::StatusOr<std::string> tenant =
      ResolveTenant(*who, Header(request, "X-Lureguard-Tenant").value_or(""));
  if (!tenant.ok()) {
    Answer(response, HttpStatusOf(tenant.status()), tenant.status().message());
    return;
  }
  absl::StatusOr<std::string> url = OriginalUrl(request);
  if (!url.ok()) {
    Answer(response, 400, url.status().message());
    return;
  }
  // The field named in errors is the header the URL came from, for nginx;
  // the others lead to the same place.
  absl::StatusOr<GatewayAnswer> answer =
      judge_.Judge("X-Original-URL", *url, *tenant);
  if (!answer.ok()) {
    Answer(response, HttpStatusOf(answer.status()), answer.status().message());
    return;
  }
  // A gateway may keep the answer for the verdict's cache TTL. nginx's
  // proxy_cache refuses a `private` answer, so its configuration ignores
  // Cache-Control and takes the lifetime from X-Accel-Expires, its own
  // header (deploy/nginx/lureguard-cache.conf).
  response.headers.Set("Cache-Control", CacheControl(*answer));
  response.headers.Set("X-Accel-Expires",
                       std::to_string(answer->max_age_seconds));
  if (answer->fail_open) {
    response.headers.Set("X-Lureguard-Fail-Open", "engine not ready");
    Answer(response, 200, "fail-open: the verdict engine is not ready");
    return;
  }
  response.headers.Set(kActionHeader, answer->action);
  response.headers.Set("X-Lureguard-Verdict-Id",
                       answer->check->verdict.verdict_id);
  if (!answer->reason_codes.empty()) {
    response.headers.Set("X-Lureguard-Reasons",
                         absl::StrJoin(answer->reason_codes, ","));
  }
  Answer(response, answer->allow ? 200 : 403, answer->action);
}

}  // namespace lureguard::service
