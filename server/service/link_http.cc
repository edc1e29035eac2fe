#include "server/service/link_http.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lureguard/v1/verdict.pb.h"
#include "server/links/click_page.h"
#include "server/links/click_safety.h"
#include "server/service/http_dispatcher.h"

namespace lureguard::service {
namespace {

constexpr char kClickPrefix[] = "/c";

// No script, no external resource; styles are inline. form-action allows
// the 303 after "continue" to leave for the destination (Chromium checks
// form-action on redirects too).
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
    "form-action 'self' http: https:; base-uri 'none'; "
    "frame-ancestors 'none'";

void SetPageHeaders(HttpResponse& response) {
  response.headers.Set("Cache-Control", "no-store");
  response.headers.Set("Referrer-Policy", "no-referrer");
  response.headers.Set("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.Set("X-Content-Type-Options", "nosniff");
  response.headers.Set("X-Frame-Options", "DENY");
}

void Page(HttpResponse& response, int status,
          const links::ClickPageContent& content) {
  response.status = status;
  response.SetContent(links::RenderClickPage(content),
                      "text/html; charset=utf-8");
}

// Only a URL that is safe as a Location value: http(s), no control bytes.
bool Redirectable(const std::string& url) {
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return false;
  }
  for (unsigned char c : url) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

void NotFound(HttpResponse& response) {
  response.status = 404;
  response.SetContent("not found\n", "text/plain; charset=utf-8");
}

}  // namespace

void LinkHttp::Install(HttpRouter& router) const {
  router.Prefix(kClickPrefix, {"GET", "POST"},
                [this](const HttpRequest& request, HttpResponse& response) {
                  Click(request, response,
                        /*confirmed=*/request.method == "POST");
                });
}

void LinkHttp::Click(const HttpRequest& request, HttpResponse& response,
                     bool confirmed) const {
  std::optional<absl::string_view> segment =
      PathSegmentAfter(request.path, kClickPrefix);
  if (!segment.has_value()) {
    NotFound(response);
    return;
  }
  SetPageHeaders(response);
  const std::string token(*segment);
  // A link-preview bot or scanner that POSTs is not a person clicking:
  // its request is answered as a first look and never recorded.
  const bool preview_agent =
      links::IsLinkPreviewAgent(request.headers.GetOr("User-Agent"));
  absl::StatusOr<links::ClickDecision> decision = links_.ResolveClick(
      token, std::nullopt, confirmed && !preview_agent, request.remote_address);
  if (!decision.ok()) {
    links::ClickPageContent content;
    if (absl::IsFailedPrecondition(decision.status())) {
      content.kind = links::ClickPageKind::kExpiredLink;
      Page(response, 410, content);
    } else if (absl::IsInvalidArgument(decision.status())) {
      content.kind = links::ClickPageKind::kInvalidLink;
      Page(response, 400, content);
    } else if (absl::IsResourceExhausted(decision.status())) {
      // Over the per-client-IP limit of confirmed clicks.
      response.status = 429;
      response.SetContent(absl::StrCat(decision.status().message(), "\n"),
                          "text/plain; charset=utf-8");
    } else {
      response.status = absl::IsUnavailable(decision.status()) ? 503 : 500;
      response.SetContent(absl::StrCat(decision.status().message(), "\n"),
                          "text/plain; charset=utf-8");
    }
    return;
  }
  response.headers.Set(
      kActionHeader,
      v1::Action_Name(static_cast<v1::Action>(decision->verdict.action)));
  if (!Redirectable(decision->token.url)) {
    links::ClickPageContent content;
    content.kind = links::ClickPageKind::kInvalidLink;
    Page(response, 400, content);
    return;
  }
  if (decision->action == links::ClickAction::kRedirect) {
    if (decision->confirm_first && (!confirmed || preview_agent)) {
      // A link that works once: only a person's press of the button opens
      // it, never a scanner's or preview bot's fetch.
      links::ClickPageContent content;
      content.kind = links::ClickPageKind::kConfirm;
      content.url = decision->token.url;
      content.host = decision->host;
      content.continue_allowed = true;
      content.continue_action = absl::StrCat("/c/", token);
      content.verdict_id = decision->verdict.verdict_id;
      Page(response, 200, content);
      return;
    }
    // 303 after the POST, so the browser GETs the destination.
    response.status = confirmed ? 303 : 302;
    response.headers.Set("Location", decision->token.url);
    return;
  }
  links::ClickPageContent content;
  content.kind = decision->action == links::ClickAction::kBlockPage
                     ? links::ClickPageKind::kBlock
                     : links::ClickPageKind::kWarning;
  content.url = decision->token.url;
  content.host = decision->host;
  content.brand = links::ImitatedBrand(decision->verdict.reasons);
  content.reasons = links::ReasonsInPlainWords(decision->verdict.reasons);
  content.continue_allowed = decision->continue_allowed;
  content.continue_action = absl::StrCat("/c/", token);
  content.verdict_id = decision->verdict.verdict_id;
  Page(response, content.kind == links::ClickPageKind::kBlock ? 403 : 200,
       content);
}

void DeferredLinkHttp::Install(HttpRouter& router) const {
  router.Prefix(kClickPrefix, {"GET", "POST"},
                [this](const HttpRequest& request, HttpResponse& response) {
                  const LinkHttp* http = http_.load();
                  if (http == nullptr) {
                    response.status = 503;
                    response.headers.Set("Cache-Control", "no-store");
                    response.SetContent("link protection is starting\n",
                                        "text/plain; charset=utf-8");
                    return;
                  }
                  http->Click(request, response,
                              /*confirmed=*/request.method == "POST");
                });
}

}  // namespace lureguard::service
