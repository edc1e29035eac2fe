#include "server/redirects/redirect_resolver.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace lureguard::redirects {

RedirectResolver::RedirectResolver(lists::HttpFetcher& fetcher,
                                   BoundedExecutor& executor,
                                   const Clock& clock, RedirectOptions options)
    : fetcher_(fetcher),
      options_(std::move(options)),
      cache_(executor, clock,
             BackgroundCacheOptions{.success_ttl = options_.success_ttl,
                                    .failure_ttl = options_.failure_ttl,
                                    .max_entries = options_.max_entries}) {
  for (const std::string& host : options_.redirectors.empty()
                                     ? KnownRedirectors()
                                     : options_.redirectors) {
    redirectors_.insert(absl::AsciiStrToLower(host));
  }
  follow_all_tenants_.insert(options_.follow_all_tenants.begin(),
                             options_.follow_all_tenants.end());
}

bool RedirectResolver::Follows(const url::UrlAnalysis& url,
                               absl::string_view tenant) const {
  if (!url.is_web || url.host.empty()) return false;
  if (!tenant.empty() && follow_all_tenants_.contains(tenant)) return true;
  // The host or any parent: "bit.ly", "www.bit.ly", "l.facebook.com".
  absl::string_view host = url.host;
  while (true) {
    if (redirectors_.contains(host)) return true;
    const size_t dot = host.find('.');
    if (dot == absl::string_view::npos) return false;
    host.remove_prefix(dot + 1);
  }
}

RedirectLookup RedirectResolver::Lookup(const std::string& url) {
  return cache_.Lookup(url, [this, url] { return Follow(url); });
}

namespace {

// One request of a chain: its redirect is the answer, within what is left
// of the chain's time.
lists::HttpRequest HopRequest(const std::string& url, bool head,
                              absl::Duration remaining,
                              int64_t max_body_bytes) {
  lists::HttpRequest request;
  request.url = url;
  request.head = head;
  request.follow_redirects = false;
  request.connect_timeout = remaining;
  request.total_timeout = remaining;
  request.max_body_bytes = max_body_bytes;
  return request;
}

}  // namespace

absl::StatusOr<lists::HttpResponse> RedirectResolver::Ask(
    const std::string& url, absl::Duration remaining) const {
  lists::HttpRequest request =
      HopRequest(url, /*head=*/true, remaining, options_.max_body_bytes);
  absl::StatusOr<lists::HttpResponse> response = fetcher_.Fetch(request);
  // Some servers refuse HEAD; ask again the way a browser would.
  if (response.ok() &&
      (response->status_code == 405 || response->status_code == 501)) {
    request.head = false;
    response = fetcher_.Fetch(request);
  }
  return response;
}

std::string RedirectResolver::PageTarget(const std::string& url,
                                         const lists::HttpResponse& answer,
                                         absl::Duration remaining) const {
  if (!options_.page_redirect || answer.status_code != 200 ||
      remaining <= absl::ZeroDuration()) {
    return "";
  }
  // HEAD names the type; a server that says nothing may still send HTML.
  const std::string type = absl::AsciiStrToLower(answer.content_type);
  if (!type.empty() && !absl::StartsWith(type, "text/html") &&
      !absl::StartsWith(type, "application/xhtml")) {
    return "";
  }
  // A GET answer (HEAD refused) already holds the page; a larger one than
  // max_page_bytes is not read, as below.
  if (static_cast<int64_t>(answer.body.size()) > options_.max_page_bytes) {
    return "";
  }
  absl::StatusOr<lists::HttpResponse> page;
  if (answer.body.empty()) {
    page = fetcher_.Fetch(
        HopRequest(url, /*head=*/false, remaining, options_.max_page_bytes));
    // Too large, gone or changed since the HEAD: not a page that sends the
    // reader on, as far as this link is concerned.
    if (!page.ok() || page->status_code != 200) return "";
  }
  const std::string target =
      options_.page_redirect(page.ok() ? page->body : answer.body);
  if (target.empty()) return "";
  absl::StatusOr<url::ParsedUrl> base = url::ParseUrl(url);
  if (!base.ok()) return "";
  absl::StatusOr<url::ParsedUrl> resolved = url::ResolveUrl(target, *base);
  return resolved.ok() ? resolved->Href() : "";
}

absl::StatusOr<RedirectChain> RedirectResolver::Follow(
    const std::string& url) const {
  const absl::Time deadline = absl::Now() + options_.timeout;
  RedirectChain chain;
  std::string next = url;
  while (true) {
    const absl::Duration remaining = deadline - absl::Now();
    absl::StatusOr<lists::HttpResponse> response =
        remaining > absl::ZeroDuration()
            ? Ask(next, remaining)
            : absl::DeadlineExceededError(absl::StrCat(
                  "timed out after ", absl::FormatDuration(options_.timeout)));
    if (!response.ok()) {
      // Nothing learned: the link is judged as itself.
      if (chain.hops.empty()) return response.status();
      // Where the last redirect pointed is still where the link leads.
      chain.final_url = std::move(next);
      chain.unreached = std::string(response.status().message());
      return chain;
    }
    if (response->location.empty()) {
      std::string target = PageTarget(next, *response, deadline - absl::Now());
      if (target.empty()) {
        chain.final_url = std::move(next);
        chain.final_status = response->status_code;
        return chain;
      }
      response->location = std::move(target);
    }
    chain.hops.push_back(std::move(next));
    next = std::move(response->location);
    if (static_cast<int>(chain.hops.size()) > options_.max_hops) {
      chain.final_url = std::move(next);
      chain.unreached =
          absl::StrCat("more than ", options_.max_hops, " redirects");
      return chain;
    }
  }
}

}  // namespace lureguard::redirects
