#include "server/service/link_http.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lureguard/v1/verdict.pb.h"
#include "server/links/click_page.h"
#include "server/links/click_safety.h"
#include "server/service/http_listener.h"

namespace lureguard::service {
namespace {

constexpr char kClickPath[] = R"(/c/([^/]*))";

// No script, no external resource; styles are inline. form-action allows
// the 303 after "continue" to leave for the destination (Chromium checks
// form-action on redirects too).
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
    "form-action 'self' http: https:; base-uri 'none'; "
    "frame-ancestors 'none'";

void SetPageHeaders(httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Content-Security-Policy", kContentSecurityPolicy);
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("X-Frame-Options", "DENY");
}

void Page(httplib::Response& response, int status,
          const links::ClickPageContent& content) {
  response.status = status;
  response.set_content(links::RenderClickPage(content),
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

}  // namespace

void LinkHttp::Install(httplib::Server& server) const {
  server.Get(kClickPath, [this](const httplib::Request& request,
                                httplib::Response& response) {
    Click(request, response, /*confirmed=*/false);
  });
  server.Post(kClickPath, [this](const httplib::Request& request,
                                 httplib::Response& response) {
    Click(request, response, /*confirmed=*/true);
  });
}

void LinkHttp::Click(const httplib::Request& request,
                     httplib::Response& response, bool confirmed) const {
  SetPageHeaders(response);
  const std::string token = request.matches[1].str();
  // A link-preview bot or scanner that POSTs is not a person clicking:
  // its request is answered as a first look and never recorded.
  const bool preview_agent =
      links::IsLinkPreviewAgent(request.get_header_value("User-Agent"));
  absl::StatusOr<links::ClickDecision> decision = links_.ResolveClick(
      token, std::nullopt, confirmed && !preview_agent, request.remote_addr);
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
      response.set_content(absl::StrCat(decision.status().message(), "\n"),
                           "text/plain; charset=utf-8");
    } else {
      response.status = absl::IsUnavailable(decision.status()) ? 503 : 500;
      response.set_content(absl::StrCat(decision.status().message(), "\n"),
                           "text/plain; charset=utf-8");
    }
    return;
  }
  response.set_header(
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
    response.set_header("Location", decision->token.url);
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

void DeferredLinkHttp::Install(httplib::Server& server) const {
  auto route = [this](bool confirmed) {
    return [this, confirmed](const httplib::Request& request,
                             httplib::Response& response) {
      const LinkHttp* http = http_.load();
      if (http == nullptr) {
        response.status = 503;
        response.set_header("Cache-Control", "no-store");
        response.set_content("link protection is starting\n",
                             "text/plain; charset=utf-8");
        return;
      }
      http->Click(request, response, confirmed);
    };
  };
  server.Get(kClickPath, route(false));
  server.Post(kClickPath, route(true));
}

}  // namespace lureguard::service
