#include "server/mail/internal/content_signals.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/mail/known_services.h"
#include "server/url/url.h"

namespace lureguard::mail::internal {
namespace {

using verdict::Reason;
using verdict::ReasonCode;

// Weights (each alone; the policy combines them with a noisy-OR). A local
// file is no web page: it has no origin to log in to, so a file that asks
// for a password and sends it to a server is the attack itself, and
// blocks alone. In a mail body a password form is nearly as rare (mail
// readers do not run forms), but some honest HTML mail carries one, so it
// warns and blocks with any other evidence.
constexpr double kAttachmentFormWeight = 0.92;
constexpr double kAttachmentFormHiddenWeight = 0.95;  // behind a decoder
// A password field whose destination we could not pin down (a script
// building it, a navigation after submit).
constexpr double kAttachmentFormUnclearWeight = 0.75;
// Asks for a password with nowhere to send it: odd, not harmful yet.
constexpr double kAttachmentFieldOnlyWeight = 0.5;
constexpr double kBodyFormWeight = 0.7;
constexpr double kBodyFieldOnlyWeight = 0.35;
// An image that navigates when opened has no honest reason to.
constexpr double kSvgRedirectWeight = 0.88;
constexpr double kHtmlRedirectWeight = 0.7;
constexpr double kObfuscatedWeight = 0.3;
constexpr double kPrefilledWeight = 0.35;
constexpr double kBrandInPageWeight = 0.35;
constexpr double kExfiltrationWeight = 0.6;

bool IsDataSink(SinkKind kind) {
  switch (kind) {
    case SinkKind::kFormAction:
    case SinkKind::kFetch:
    case SinkKind::kXmlHttpRequest:
    case SinkKind::kJqueryAjax:
    case SinkKind::kSendBeacon:
    case SinkKind::kWebSocket:
      return true;
    default:
      return false;
  }
}

bool IsNavigation(SinkKind kind) {
  return kind == SinkKind::kLocation || kind == SinkKind::kWindowOpen ||
         kind == SinkKind::kMetaRefresh || kind == SinkKind::kFrame;
}

// True for a URL that leaves the file: http(s), ws(s) or scheme-relative.
bool IsRemote(absl::string_view url) {
  return absl::StartsWithIgnoreCase(url, "http://") ||
         absl::StartsWithIgnoreCase(url, "https://") ||
         absl::StartsWithIgnoreCase(url, "ws://") ||
         absl::StartsWithIgnoreCase(url, "wss://") ||
         absl::StartsWith(url, "//");
}

// The URL to judge for a remote sink: ws(s) as http(s), "//x" as https.
std::string JudgeableUrl(absl::string_view url) {
  if (absl::StartsWith(url, "//")) return absl::StrCat("https:", url);
  if (absl::StartsWithIgnoreCase(url, "wss://")) {
    return absl::StrCat("https://", url.substr(6));
  }
  if (absl::StartsWithIgnoreCase(url, "ws://")) {
    return absl::StrCat("http://", url.substr(5));
  }
  return std::string(url);
}

std::string HostOf(absl::string_view url) {
  absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(std::string(url));
  return analysis.ok() ? analysis->host : "";
}

std::string ExfiltrationOf(absl::string_view url) {
  absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(std::string(url));
  if (!analysis.ok() || !analysis->is_web) return "";
  return std::string(
      ExfiltrationService(analysis->host, analysis->parsed.path));
}

// Where the page is, as the subject of a sentence.
std::string Where(const PageContext& context) {
  if (!context.attachment) return "The message body";
  return context.filename.empty()
             ? "An attachment"
             : absl::StrCat("The attachment ", context.filename);
}

Reason& NewReason(const PageContext& context, ReasonCode code, double weight,
                  std::vector<Reason>& reasons) {
  Reason& reason = reasons.emplace_back();
  reason.code = code;
  reason.weight = weight;
  reason.part = std::string(context.part);
  reason.filename = std::string(context.filename);
  return reason;
}

}  // namespace

void JudgePage(const HtmlFindings& findings, const PageContext& context,
               PartReport& report) {
  // Sinks, each remote one judged as CheckUrl would.
  const HtmlSink* data_sink = nullptr;
  const HtmlSink* navigation = nullptr;
  for (const HtmlSink& sink : findings.sinks) {
    PartSinkReport& out = report.sinks.emplace_back();
    out.kind = std::string(SinkKindName(sink.kind));
    out.url = sink.url;
    out.depth = sink.depth;
    if (!IsRemote(sink.url)) continue;
    if (IsDataSink(sink.kind) && data_sink == nullptr) data_sink = &sink;
    if (IsNavigation(sink.kind) && navigation == nullptr) navigation = &sink;
    if (context.verdicts != nullptr) {
      absl::StatusOr<verdict::UrlCheck> check = (*context.verdicts)(
          "sinks.url", JudgeableUrl(sink.url), context.tenant);
      if (check.ok()) out.verdict = std::move(check->verdict);
    }
  }

  // An attachment's links: a page whose only content is "open the
  // document" and a link is a lure too. (A body's links are judged by the
  // links engine.)
  if (context.attachment) {
    for (const std::string& link : findings.links) {
      PartSinkReport& out = report.sinks.emplace_back();
      out.kind = "link";
      out.url = link;
      if (context.verdicts != nullptr) {
        absl::StatusOr<verdict::UrlCheck> check =
            (*context.verdicts)("links.url", link, context.tenant);
        if (check.ok()) out.verdict = std::move(check->verdict);
      }
    }
  }

  // Where stolen data goes when it goes to a chat bot or paste site.
  std::string exfiltration;
  std::string exfiltration_url;
  for (const HtmlSink& sink : findings.sinks) {
    if (!IsRemote(sink.url)) continue;
    exfiltration = ExfiltrationOf(JudgeableUrl(sink.url));
    if (!exfiltration.empty()) {
      exfiltration_url = sink.url;
      break;
    }
  }
  for (size_t i = 0; exfiltration.empty() && i < findings.script_urls.size();
       ++i) {
    exfiltration = ExfiltrationOf(findings.script_urls[i]);
    if (!exfiltration.empty()) exfiltration_url = findings.script_urls[i];
  }

  const std::string where = Where(context);
  const bool asks_password = findings.password_field.has_value();
  if (asks_password) {
    const PasswordField& field = *findings.password_field;
    const HtmlSink* sink = data_sink;
    double weight;
    std::string destination;
    if (sink != nullptr || !exfiltration.empty()) {
      const bool hidden = field.depth > 0 || (sink && sink->depth > 0);
      weight = !context.attachment ? kBodyFormWeight
               : hidden            ? kAttachmentFormHiddenWeight
                                   : kAttachmentFormWeight;
      destination = sink != nullptr ? sink->url : exfiltration_url;
    } else if (navigation != nullptr || !findings.script_urls.empty() ||
               findings.has_script) {
      weight = context.attachment ? kAttachmentFormUnclearWeight
                                  : kBodyFieldOnlyWeight;
      destination = navigation != nullptr ? navigation->url : "";
    } else {
      weight = context.attachment ? kAttachmentFieldOnlyWeight
                                  : kBodyFieldOnlyWeight;
    }
    Reason& reason = NewReason(context, ReasonCode::kMailCredentialForm, weight,
                               report.reasons);
    std::vector<std::string> how;
    if (sink != nullptr) {
      how.push_back(std::string(SinkKindName(sink->kind)));
    } else if (!exfiltration.empty()) {
      how.push_back("script");
    }
    if (field.depth > 0 || (sink != nullptr && sink->depth > 0)) {
      for (const std::string& decoder : findings.decoders) {
        how.push_back(absl::StrCat("after-", decoder));
      }
    }
    reason.technique = absl::StrJoin(how, ",");
    reason.matched = destination;
    reason.url = IsRemote(destination) ? JudgeableUrl(destination) : "";
    const std::string host =
        IsRemote(destination) ? HostOf(JudgeableUrl(destination)) : "";
    if (context.attachment) {
      reason.detail = absl::StrCat(
          where, " is a page that, opened from the mail, asks for a password",
          host.empty() ? "" : absl::StrCat(" and sends it to ", host),
          ". A file that asks for your password is the attack itself: no "
          "real sign-in page arrives as an attachment. (",
          field.evidence, ")");
    } else {
      reason.detail = absl::StrCat(
          where, " holds a form that asks for a password",
          host.empty() ? "" : absl::StrCat(" and sends it to ", host), ". (",
          field.evidence, ")");
    }
  } else if (context.attachment && navigation != nullptr) {
    Reason& reason = NewReason(
        context, ReasonCode::kMailAttachmentRedirect,
        context.svg ? kSvgRedirectWeight : kHtmlRedirectWeight, report.reasons);
    reason.technique = std::string(SinkKindName(navigation->kind));
    reason.matched = navigation->url;
    reason.url = JudgeableUrl(navigation->url);
    reason.detail = absl::StrCat(
        where, context.svg ? " is an image that" : " is a page that",
        " sends you to ", HostOf(JudgeableUrl(navigation->url)),
        " as soon as it is opened: attachments that do this lead to "
        "phishing pages.");
  }

  if (!exfiltration.empty() && (asks_password || findings.has_identity_field)) {
    Reason& reason = NewReason(context, ReasonCode::kMailExfiltrationApi,
                               kExfiltrationWeight, report.reasons);
    reason.technique = exfiltration;
    reason.matched = exfiltration_url;
    reason.url = JudgeableUrl(exfiltration_url);
    reason.detail =
        absl::StrCat(where, " sends what is typed to a ", exfiltration,
                     " endpoint, as phishing kits do.");
  }

  if (findings.max_depth > 0 && !findings.decoders.empty() &&
      (asks_password || navigation != nullptr || data_sink != nullptr)) {
    Reason& reason = NewReason(context, ReasonCode::kMailObfuscatedContent,
                               kObfuscatedWeight, report.reasons);
    reason.technique = absl::StrJoin(findings.decoders, ",");
    reason.detail =
        absl::StrCat(where, " hides its content behind ", reason.technique,
                     " and only reveals it when opened.");
  }

  if (context.attachment && context.recipients != nullptr &&
      (asks_password || findings.has_identity_field)) {
    for (const std::string& address : findings.addresses) {
      if (std::find(context.recipients->begin(), context.recipients->end(),
                    address) == context.recipients->end()) {
        continue;
      }
      Reason& reason = NewReason(context, ReasonCode::kMailRecipientPrefilled,
                                 kPrefilledWeight, report.reasons);
      reason.matched = address;
      reason.detail = absl::StrCat(where,
                                   " is filled in with the recipient's own "
                                   "address: a sign-in page made for them.");
      break;
    }
  }

  if (asks_password && context.brands != nullptr) {
    const std::string text = absl::StrCat(findings.title, " ", findings.text);
    const std::string destination_host =
        data_sink != nullptr && IsRemote(data_sink->url)
            ? HostOf(JudgeableUrl(data_sink->url))
            : "";
    for (const lookalike::BrandIndex::Mention& mention :
         context.brands->MentionedBrands(text, context.tenant)) {
      if (!destination_host.empty() &&
          context.brands->OfficialBrand(destination_host, context.tenant) ==
              mention.brand) {
        continue;  // the brand's own sign-in page
      }
      if (!mention.by_domain && mention.words == 1 &&
          mention.mentioned.size() < 5) {
        continue;  // a short word in running text proves little
      }
      Reason& reason = NewReason(context, ReasonCode::kMailBrandInPage,
                                 kBrandInPageWeight, report.reasons);
      reason.brand = mention.brand;
      reason.matched = mention.mentioned;
      reason.detail = absl::StrCat(where, " presents itself as ", mention.brand,
                                   " while the password goes ",
                                   destination_host.empty()
                                       ? "elsewhere"
                                       : absl::StrCat("to ", destination_host),
                                   ".");
      break;
    }
  }
}

}  // namespace lureguard::mail::internal
