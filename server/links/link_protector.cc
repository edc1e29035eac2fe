#include "server/links/link_protector.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/links/click_safety.h"
#include "server/links/display_text.h"
#include "server/links/message_rewriter.h"

namespace lureguard::links {
namespace {

using verdict::Reason;
using verdict::ReasonCode;

// Anchor text naming another site is common in honest mail (newsletters
// route every link through a click tracker), so alone it stays below the
// WARN threshold; naming a protected brand's own domain over a link
// elsewhere is the classic phishing lure and warns by itself.
constexpr double kTextMismatchWeight = 0.35;
constexpr double kBrandTextMismatchWeight = 0.8;
// Wrappers nested past the limit hide the destination from us: suspicious,
// not proof.
constexpr double kWrapTooDeepWeight = 0.5;
constexpr double kWrapperMalformedWeight = 0.3;

constexpr char kOurWrapper[] = "lureguard";

// "http://host:port" of a click base URL, as ClickUrlDecoder matches it.
std::string ClickHostOf(std::string_view base) {
  std::string_view rest = base;
  const size_t scheme = rest.find("://");
  if (scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

std::vector<std::string> ClickHosts(const LinkPolicies& policies) {
  std::vector<std::string> hosts;
  for (const std::string& base : policies.click_base_urls()) {
    hosts.push_back(ClickHostOf(base));
  }
  return hosts;
}

std::vector<std::unique_ptr<redirects::WrapperDecoder>> Decoders(
    const ClickTokenCodec* codec, const LinkPolicies& policies) {
  std::vector<std::unique_ptr<redirects::WrapperDecoder>> decoders =
      redirects::VendorDecoders();
  decoders.push_back(ClickUrlDecoder(codec, ClickHosts(policies)));
  return decoders;
}

// The size check of the engine's URL path happens per URL; a whole message
// is bounded here, naming the request field.
absl::Status CheckContentSize(const RewriteInput& input, size_t limit) {
  if (input.content.size() <= limit) return absl::OkStatus();
  const char* field = input.kind == ContentKind::kMessage ? "message"
                      : input.kind == ContentKind::kHtml  ? "html_body"
                                                          : "text_body";
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": is ", input.content.size(), " bytes; the limit is ", limit));
}

}  // namespace

// Decides each link of one rewrite; keeps the reports and the first error
// that must fail the whole request (Replace cannot return one).
class LinkProtector::Handler : public LinkHandler {
 public:
  Handler(const LinkProtector& protector, const RewriteInput& input,
          const LinkPolicy& policy, std::string recipient_id, bool wrap)
      : protector_(protector),
        input_(input),
        policy_(policy),
        recipient_id_(std::move(recipient_id)),
        now_(protector.clock_.Now()),
        wrap_(wrap) {}

  std::optional<std::string> Replace(const FoundLink& link) override {
    if (!error_.ok()) return std::nullopt;
    LinkReport& report = reports_.emplace_back();
    report.link = link;
    absl::StatusOr<Judged> judged =
        protector_.Judge(absl::StrCat("links[", reports_.size() - 1, "].url"),
                         link.url, link.display_text, input_.tenant);
    if (!judged.ok()) {
      if (!absl::IsInvalidArgument(judged.status())) {
        error_ = judged.status();
      } else {
        // A URL the browser-grade parser refuses goes nowhere a browser
        // would go either.
        report.unwrapped.url = link.url;
        report.not_rewritten =
            absl::StrCat("not judged: ", judged.status().message());
      }
      return std::nullopt;
    }
    report.unwrapped = std::move(judged->unwrapped);
    report.verdict = std::move(judged->check.verdict);
    if (!wrap_) return std::nullopt;
    if (link.in_attached_message) {
      report.not_rewritten = "in an attached message, kept as it was";
      return std::nullopt;
    }
    if (!report.unwrapped.chain.empty() &&
        report.unwrapped.chain.front().wrapper == kOurWrapper) {
      report.not_rewritten = "already a click URL";
      return std::nullopt;
    }
    const std::string& host = judged->check.url->host;
    if (policy_.ExemptsHost(host)) {
      report.not_rewritten = absl::StrCat("do-not-rewrite host ", host);
      return std::nullopt;
    }
    ClickToken token;
    token.issued = now_;
    token.tenant = input_.tenant;
    token.recipient_id = recipient_id_;
    // The click page must warn about the text too: it is not in the URL.
    token.shown_host = judged->shown_host;
    token.url = link.url;
    if (absl::Status s = ClickTokenCodec::CheckEncodable(token); !s.ok()) {
      report.not_rewritten = absl::StrCat("not wrapped: ", s.message());
      return std::nullopt;
    }
    report.rewritten_url = absl::StrCat(policy_.click_base_url, "/c/",
                                        protector_.codec_.Encode(token));
    return report.rewritten_url;
  }

  const absl::Status& error() const { return error_; }
  std::vector<LinkReport> TakeReports() { return std::move(reports_); }

 private:
  const LinkProtector& protector_;
  const RewriteInput& input_;
  const LinkPolicy& policy_;
  const std::string recipient_id_;
  const absl::Time now_;
  const bool wrap_;
  std::vector<LinkReport> reports_;
  absl::Status error_;
};

LinkProtector::LinkProtector(ClickTokenCodec codec, LinkPolicies policies,
                             UrlVerdicts verdicts,
                             const verdict::Engine& engine,
                             KeyedHasher recipients, store::ClickStore& store,
                             const Clock& clock, LinkProtectorOptions options)
    : codec_(std::move(codec)),
      policies_(std::move(policies)),
      verdicts_(std::move(verdicts)),
      engine_(engine),
      recipients_(std::move(recipients)),
      store_(store),
      clock_(clock),
      options_(options),
      unwrapper_(Decoders(&codec_, policies_), options.max_unwrap_depth),
      clicks_(store, clock, options.clicks) {}

absl::StatusOr<LinkProtector::Judged> LinkProtector::Judge(
    absl::string_view field, std::string_view url,
    std::string_view display_text, absl::string_view tenant) const {
  std::vector<Reason> link_reasons;
  Judged judged;
  absl::StatusOr<redirects::Unwrapped> unwrapped = unwrapper_.Unwrap(url);
  if (unwrapped.ok()) {
    judged.unwrapped = *std::move(unwrapped);
  } else {
    // A wrapper we recognise but cannot open: judge the wrapper itself.
    judged.unwrapped.url = std::string(url);
    Reason& reason = link_reasons.emplace_back();
    reason.code = ReasonCode::kLinkWrapperMalformed;
    reason.weight = kWrapperMalformedWeight;
    reason.matched = std::string(unwrapped.status().message());
    reason.detail =
        "The link goes through a redirector whose destination cannot be "
        "read.";
  }
  if (!judged.unwrapped.chain.empty()) {
    std::vector<std::string> wrappers;
    for (const redirects::UnwrapStep& step : judged.unwrapped.chain) {
      wrappers.push_back(step.wrapper);
    }
    Reason& reason = link_reasons.emplace_back();
    reason.code = ReasonCode::kLinkWrapped;
    reason.technique = absl::StrJoin(wrappers, ",");
    reason.weight = 0;
    reason.detail = absl::StrCat("The link was wrapped by ", reason.technique,
                                 "; the destination inside was checked.");
  }
  if (judged.unwrapped.depth_exceeded) {
    Reason& reason = link_reasons.emplace_back();
    reason.code = ReasonCode::kLinkWrapTooDeep;
    reason.weight = kWrapTooDeepWeight;
    reason.detail =
        "The link hides its destination inside more redirectors than we "
        "open.";
  }
  absl::StatusOr<verdict::UrlCheck> check =
      verdicts_(field, judged.unwrapped.url, tenant);
  if (!check.ok()) return check.status();
  judged.check = *std::move(check);

  std::shared_ptr<const verdict::EngineSnapshot> snapshot = engine_.snapshot();
  if (!display_text.empty()) {
    if (std::optional<DisplayTextMismatch> mismatch =
            FindDisplayTextMismatch(display_text, judged.unwrapped.url)) {
      std::string brand;
      if (snapshot != nullptr && snapshot->brands != nullptr) {
        brand = snapshot->brands->OfficialBrand(mismatch->text_host, tenant);
        // A brand with several domains links between them honestly.
        if (!brand.empty() && snapshot->brands->OfficialBrand(
                                  judged.check.url->host, tenant) == brand) {
          brand.clear();
          mismatch.reset();
        }
      }
      if (mismatch.has_value()) {
        judged.shown_host = mismatch->text_host;
        Reason& reason = link_reasons.emplace_back();
        reason.code = ReasonCode::kLinkTextMismatch;
        reason.brand = brand;
        reason.matched = mismatch->text_domain;
        reason.weight =
            brand.empty() ? kTextMismatchWeight : kBrandTextMismatchWeight;
        reason.detail =
            absl::StrCat("The link's text shows ", mismatch->text_host,
                         brand.empty() ? "" : absl::StrCat(" (", brand, ")"),
                         ", but it leads to ", mismatch->href_domain, ".");
      }
    }
  }
  if (!link_reasons.empty() && snapshot != nullptr) {
    // The one policy combines the link's own evidence with the URL's.
    verdict::Verdict& before = judged.check.verdict;
    std::vector<Reason> reasons = std::move(before.reasons);
    for (Reason& reason : link_reasons) reasons.push_back(std::move(reason));
    verdict::Verdict after =
        snapshot->policy.Decide(std::move(reasons), before.cache_ttl);
    after.verdict_id = std::move(before.verdict_id);
    after.degraded = before.degraded;
    before = std::move(after);
  }
  return judged;
}

absl::StatusOr<RewriteOutput> LinkProtector::Rewrite(
    const RewriteInput& input) const {
  return Process(input, /*wrap=*/true);
}

absl::StatusOr<RewriteOutput> LinkProtector::Inspect(
    const RewriteInput& input) const {
  return Process(input, /*wrap=*/false);
}

absl::StatusOr<RewriteOutput> LinkProtector::Process(const RewriteInput& input,
                                                     bool wrap) const {
  RETURN_IF_ERROR(CheckContentSize(input, options_.max_message_bytes));
  const LinkPolicy& tenant_policy = policies_.For(input.tenant);
  // Inspection sees every part, whatever the tenant rewrites.
  LinkPolicy inspect_all;
  if (!wrap) {
    inspect_all.rewrite_html = true;
    inspect_all.rewrite_text = true;
  }
  const LinkPolicy& policy = wrap ? tenant_policy : inspect_all;
  RewriteOutput output;
  if (!input.recipient.empty() && wrap) {
    output.recipient_id = recipients_.Hash(input.tenant, input.recipient);
  }
  Handler handler(*this, input, policy, output.recipient_id, wrap);
  RewriteOptions options;
  options.rewrite_html = policy.rewrite_html;
  options.rewrite_text = policy.rewrite_text;
  options.max_input_bytes = options_.max_message_bytes;
  options.max_links = options_.max_links;
  absl::StatusOr<std::string> content;
  RewriteStats stats;
  switch (input.kind) {
    case ContentKind::kMessage:
      content = RewriteMessage(input.content, options, handler, &stats);
      break;
    case ContentKind::kHtml:
      content = policy.rewrite_html
                    ? RewriteHtml(input.content, options, handler, "", &stats)
                    : std::string(input.content);
      break;
    case ContentKind::kText:
      content = policy.rewrite_text
                    ? RewriteText(input.content, options, handler, "", &stats)
                    : std::string(input.content);
      break;
  }
  output.links_over_limit = stats.links_over_limit;
  if (!handler.error().ok()) return handler.error();
  if (!content.ok()) {
    const char* field = input.kind == ContentKind::kMessage ? "message"
                        : input.kind == ContentKind::kHtml  ? "html_body"
                                                            : "text_body";
    return absl::Status(content.status().code(),
                        absl::StrCat(field, ": ", content.status().message()));
  }
  output.content = *std::move(content);
  output.links = handler.TakeReports();
  return output;
}

absl::StatusOr<ClickDecision> LinkProtector::ResolveClick(
    std::string_view token, std::optional<std::string_view> tenant,
    bool confirmed, std::string_view client_ip) const {
  if (confirmed) {
    RETURN_IF_ERROR(
        clicks_.Admit(absl::string_view(client_ip.data(), client_ip.size())));
  }
  const absl::Time now = clock_.Now();
  absl::StatusOr<ClickToken> decoded = codec_.Decode(token, now);
  if (!decoded.ok()) {
    // A tag that does not verify is a bad argument here: PermissionDenied
    // is the caller's key's answer.
    const absl::StatusCode code = absl::IsFailedPrecondition(decoded.status())
                                      ? absl::StatusCode::kFailedPrecondition
                                      : absl::StatusCode::kInvalidArgument;
    return absl::Status(code,
                        absl::StrCat("token: ", decoded.status().message()));
  }
  if (tenant.has_value() && *tenant != decoded->tenant) {
    return absl::PermissionDeniedError("token: was issued for another tenant");
  }
  const LinkPolicy& policy = policies_.For(decoded->tenant);
  if (now - decoded->issued > policy.token_lifetime) {
    return absl::FailedPreconditionError(
        absl::StrCat("token: expired (issued ",
                     absl::FormatTime(decoded->issued, absl::UTCTimeZone()),
                     "; the tenant's links live ",
                     absl::FormatDuration(policy.token_lifetime), ")"));
  }
  ASSIGN_OR_RETURN(Judged judged, Judge("token.url", decoded->url,
                                        decoded->shown_host, decoded->tenant));

  ClickDecision decision;
  decision.token = *std::move(decoded);
  decision.unwrapped = std::move(judged.unwrapped);
  decision.host = judged.check.url->host;
  decision.verdict = std::move(judged.check.verdict);
  decision.continue_allowed = policy.AllowsContinue(decision.verdict.action);
  switch (decision.verdict.action) {
    case verdict::Action::kAllow:
      decision.action = ClickAction::kRedirect;
      break;
    case verdict::Action::kWarn:
    case verdict::Action::kChallenge:
      decision.action = ClickAction::kWarningPage;
      break;
    case verdict::Action::kBlock:
      decision.action = ClickAction::kBlockPage;
      break;
  }
  decision.confirm_first =
      decision.action == ClickAction::kRedirect &&
      (policy.confirm_every_click || LooksSingleUse(decision.token.url));
  if (!confirmed) return decision;
  if (decision.continue_allowed) decision.action = ClickAction::kRedirect;
  store::ClickRecord click;
  click.time = now;
  click.tenant = decision.token.tenant;
  click.recipient_id = decision.token.recipient_id;
  click.url = decision.token.url;
  click.action = static_cast<int>(decision.action);
  click.verdict_action = static_cast<int>(decision.verdict.action);
  click.verdict_id = decision.verdict.verdict_id;
  ASSIGN_OR_RETURN(store::ClickRecord stored, clicks_.Record(click));
  decision.recorded = true;
  return decision;
}

absl::StatusOr<UnwrapOutput> LinkProtector::Unwrap(
    std::string_view url, std::string_view tenant) const {
  if (url.empty()) return absl::InvalidArgumentError("url: must not be empty");
  // A malformed wrapper is the caller's question here, not a signal.
  absl::StatusOr<redirects::Unwrapped> unwrapped = unwrapper_.Unwrap(url);
  if (!unwrapped.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("url: ", unwrapped.status().message()));
  }
  ASSIGN_OR_RETURN(
      Judged judged,
      Judge("url", url, "", absl::string_view(tenant.data(), tenant.size())));
  UnwrapOutput output;
  output.unwrapped = std::move(judged.unwrapped);
  output.verdict = std::move(judged.check.verdict);
  return output;
}

absl::StatusOr<store::ClickPage> LinkProtector::ListClicks(
    store::ClickQuery query) const {
  if (query.page_size < 0 || query.page_size > kMaxClicksPage) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", query.page_size, " is outside [0, ",
                     kMaxClicksPage, "]"));
  }
  if (query.page_size == 0) query.page_size = kDefaultClicksPage;
  return store_.ListClicks(query);
}

}  // namespace lureguard::links
