#include "server/service/redirect_config.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/mail/html_inspector.h"
#include "server/service/convert.h"
#include "server/url/url.h"

namespace lureguard::service {
namespace {

constexpr int kDefaultMaxHops = 5;
constexpr absl::Duration kDefaultTimeout = absl::Seconds(5);
constexpr absl::Duration kDefaultSuccessTtl = absl::Hours(1);
constexpr absl::Duration kDefaultFailureTtl = absl::Minutes(10);
constexpr int kDefaultMaxCachedLinks = 100000;

absl::Duration Or(const google::protobuf::Duration& value, bool set,
                  absl::Duration fallback) {
  return set ? FromProto(value) : fallback;
}

}  // namespace

std::string MetaRefreshTarget(std::string_view html) {
  const mail::HtmlFindings findings =
      mail::InspectHtml(html, mail::HtmlInspectOptions{});
  for (const mail::HtmlSink& sink : findings.sinks) {
    if (sink.kind == mail::SinkKind::kMetaRefresh && !sink.url.empty()) {
      return sink.url;
    }
  }
  return "";
}

absl::Status ValidateRedirectConfig(const v1::ServerConfig& config) {
  const v1::RedirectConfig& redirects = config.redirects();
  for (int i = 0; i < redirects.redirectors_size(); ++i) {
    absl::StatusOr<std::string> host =
        url::CanonicalizeHost(redirects.redirectors(i));
    if (!host.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "redirects.redirectors[", i, "]: '", redirects.redirectors(i),
          "' is not a host name: ", host.status().message()));
    }
  }
  for (int i = 0; i < redirects.follow_all_tenants_size(); ++i) {
    if (redirects.follow_all_tenants(i).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "redirects.follow_all_tenants[", i, "]: must not be empty"));
    }
  }
  if (redirects.max_hops() != 0 &&
      (redirects.max_hops() < 1 || redirects.max_hops() > 20)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "redirects.max_hops: ", redirects.max_hops(), " is outside [1, 20]"));
  }
  if (redirects.has_timeout()) {
    const absl::Duration timeout = FromProto(redirects.timeout());
    if (timeout < absl::Milliseconds(100) || timeout > absl::Seconds(60)) {
      return absl::InvalidArgumentError(
          absl::StrCat("redirects.timeout: ", absl::FormatDuration(timeout),
                       " is outside [100ms, 60s]"));
    }
  }
  if (FromProto(redirects.success_ttl()) < absl::ZeroDuration() ||
      FromProto(redirects.failure_ttl()) < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        FromProto(redirects.success_ttl()) < absl::ZeroDuration()
            ? "redirects.success_ttl: is negative"
            : "redirects.failure_ttl: is negative");
  }
  if (redirects.max_cached_links() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "redirects.max_cached_links: ", redirects.max_cached_links(),
        " is negative"));
  }
  return absl::OkStatus();
}

redirects::RedirectOptions RedirectOptionsFromConfig(
    const v1::ServerConfig& config) {
  const v1::RedirectConfig& c = config.redirects();
  redirects::RedirectOptions options;
  for (const std::string& host : c.redirectors()) {
    options.redirectors.push_back(*url::CanonicalizeHost(host));
  }
  options.follow_all_tenants.assign(c.follow_all_tenants().begin(),
                                    c.follow_all_tenants().end());
  options.max_hops = c.max_hops() > 0 ? c.max_hops() : kDefaultMaxHops;
  options.timeout = Or(c.timeout(), c.has_timeout(), kDefaultTimeout);
  options.success_ttl =
      Or(c.success_ttl(), c.has_success_ttl(), kDefaultSuccessTtl);
  options.failure_ttl =
      Or(c.failure_ttl(), c.has_failure_ttl(), kDefaultFailureTtl);
  options.max_entries = static_cast<size_t>(
      c.max_cached_links() > 0 ? c.max_cached_links() : kDefaultMaxCachedLinks);
  options.page_redirect = MetaRefreshTarget;
  return options;
}

}  // namespace lureguard::service
