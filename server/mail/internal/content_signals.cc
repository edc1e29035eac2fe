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
// building it: setAttribute("action", u), new Image().src = u + p, a
// template literal, an external kit.js; a navigation after submit). A
// script is how the password leaves when the form names no server, and
// honest files that ask for a password (encrypted-mail envelopes) name
// theirs: it blocks alone, as a known destination does.
constexpr double kAttachmentFormUnclearWeight = 0.88;
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

// Fills `out.verdict` with the check of `url` as CheckUrl would answer
// it, when the caller gave a way to check and the check ran.
void JudgeSinkUrl(const PageContext& context, absl::string_view field,
                  absl::string_view url, PartSinkReport& out) {
  if (context.verdicts == nullptr) return;
  absl::StatusOr<verdict::UrlCheck> check =
      (*context.verdicts)(field, url, context.tenant);
  if (check.ok()) out.verdict = std::move(check->verdict);
}

// The first remote sink of each kind that the page's reasons talk about.
struct PageDestinations {
  const HtmlSink* data_sink = nullptr;   // where typed data is sent
  const HtmlSink* navigation = nullptr;  // where the reader is sent
};

// Reports every sink, each remote one judged as CheckUrl would.
PageDestinations ReportSinks(const HtmlFindings& findings,
                             const PageContext& context, PartReport& report) {
  PageDestinations destinations;
  for (const HtmlSink& sink : findings.sinks) {
    PartSinkReport& out = report.sinks.emplace_back();
    out.kind = std::string(SinkKindName(sink.kind));
    out.url = sink.url;
    out.depth = sink.depth;
    if (!IsRemote(sink.url)) continue;
    if (IsDataSink(sink.kind) && destinations.data_sink == nullptr) {
      destinations.data_sink = &sink;
    }
    if (IsNavigation(sink.kind) && destinations.navigation == nullptr) {
      destinations.navigation = &sink;
    }
    JudgeSinkUrl(context, "sinks.url", JudgeableUrl(sink.url), out);
  }
  return destinations;
}

// An attachment's links: a page whose only content is "open the document"
// and a link is a lure too. (A body's links are judged by the links
// engine.)
void ReportAttachmentLinks(const HtmlFindings& findings,
                           const PageContext& context, PartReport& report) {
  if (!context.attachment) return;
  for (const std::string& link : findings.links) {
    PartSinkReport& out = report.sinks.emplace_back();
    out.kind = "link";
    out.url = link;
    JudgeSinkUrl(context, "links.url", link, out);
  }
}

// Where stolen data goes when it goes to a chat bot or paste site.
struct Exfiltration {
  std::string service;  // empty: none found
  std::string url;
};

// The first remote sink, else the first script URL, that is an
// exfiltration service.
Exfiltration FindExfiltration(const HtmlFindings& findings) {
  Exfiltration found;
  for (const HtmlSink& sink : findings.sinks) {
    if (!IsRemote(sink.url)) continue;
    found.service = ExfiltrationOf(JudgeableUrl(sink.url));
    if (!found.service.empty()) {
      found.url = sink.url;
      return found;
    }
  }
  for (const std::string& script_url : findings.script_urls) {
    found.service = ExfiltrationOf(script_url);
    if (!found.service.empty()) {
      found.url = script_url;
      return found;
    }
  }
  return found;
}

// What the page tells about itself, shared by the reasons below.
struct PageFacts {
  const HtmlFindings& findings;
  const PageContext& context;
  PageDestinations destinations;
  Exfiltration exfiltration;
  std::string where;  // the page as the subject of a sentence
  bool asks_password = false;
};

// How sure a password field makes us, and where the password goes: a
// known destination (a data sink or an exfiltration service) is surer
// than a script or navigation that might carry it, surer than nothing.
double PasswordFormWeight(const PageFacts& page, std::string& destination) {
  const PasswordField& field = *page.findings.password_field;
  const HtmlSink* sink = page.destinations.data_sink;
  const bool attachment = page.context.attachment;
  if (sink != nullptr || !page.exfiltration.service.empty()) {
    const bool hidden = field.depth > 0 || (sink && sink->depth > 0);
    destination = sink != nullptr ? sink->url : page.exfiltration.url;
    return !attachment ? kBodyFormWeight
           : hidden    ? kAttachmentFormHiddenWeight
                       : kAttachmentFormWeight;
  }
  if (page.destinations.navigation != nullptr ||
      !page.findings.script_urls.empty() || page.findings.has_script) {
    destination = page.destinations.navigation != nullptr
                      ? page.destinations.navigation->url
                      : "";
    return attachment ? kAttachmentFormUnclearWeight : kBodyFieldOnlyWeight;
  }
  return attachment ? kAttachmentFieldOnlyWeight : kBodyFieldOnlyWeight;
}

// How the password leaves: the sink's kind or "script", then the decoders
// it was hidden behind.
std::string PasswordFormTechnique(const PageFacts& page) {
  const PasswordField& field = *page.findings.password_field;
  const HtmlSink* sink = page.destinations.data_sink;
  std::vector<std::string> how;
  if (sink != nullptr) {
    how.push_back(std::string(SinkKindName(sink->kind)));
  } else if (!page.exfiltration.service.empty()) {
    how.push_back("script");
  }
  if (field.depth > 0 || (sink != nullptr && sink->depth > 0)) {
    for (const std::string& decoder : page.findings.decoders) {
      how.push_back(absl::StrCat("after-", decoder));
    }
  }
  return absl::StrJoin(how, ",");
}

void AddPasswordFormReason(const PageFacts& page, PartReport& report) {
  const PasswordField& field = *page.findings.password_field;
  std::string destination;
  const double weight = PasswordFormWeight(page, destination);
  Reason& reason = NewReason(page.context, ReasonCode::kMailCredentialForm,
                             weight, report.reasons);
  reason.technique = PasswordFormTechnique(page);
  reason.matched = destination;
  reason.url = IsRemote(destination) ? JudgeableUrl(destination) : "";
  const std::string host =
      IsRemote(destination) ? HostOf(JudgeableUrl(destination)) : "";
  if (page.context.attachment) {
    reason.detail = absl::StrCat(
        page.where,
        " is a page that, opened from the mail, asks for a password",
        host.empty() ? "" : absl::StrCat(" and sends it to ", host),
        ". A file that asks for your password is the attack itself: no "
        "real sign-in page arrives as an attachment. (",
        field.evidence, ")");
  } else {
    reason.detail = absl::StrCat(
        page.where, " holds a form that asks for a password",
        host.empty() ? "" : absl::StrCat(" and sends it to ", host), ". (",
        field.evidence, ")");
  }
}

void AddAttachmentRedirectReason(const PageFacts& page, PartReport& report) {
  const PageContext& context = page.context;
  const HtmlSink& navigation = *page.destinations.navigation;
  Reason& reason = NewReason(
      context, ReasonCode::kMailAttachmentRedirect,
      context.svg ? kSvgRedirectWeight : kHtmlRedirectWeight, report.reasons);
  reason.technique = std::string(SinkKindName(navigation.kind));
  reason.matched = navigation.url;
  reason.url = JudgeableUrl(navigation.url);
  reason.detail = absl::StrCat(
      page.where, context.svg ? " is an image that" : " is a page that",
      " sends you to ", HostOf(JudgeableUrl(navigation.url)),
      " as soon as it is opened: attachments that do this lead to "
      "phishing pages.");
}

void AddExfiltrationReason(const PageFacts& page, PartReport& report) {
  Reason& reason = NewReason(page.context, ReasonCode::kMailExfiltrationApi,
                             kExfiltrationWeight, report.reasons);
  reason.technique = page.exfiltration.service;
  reason.matched = page.exfiltration.url;
  reason.url = JudgeableUrl(page.exfiltration.url);
  reason.detail = absl::StrCat(page.where, " sends what is typed to a ",
                               page.exfiltration.service,
                               " endpoint, as phishing kits do.");
}

void AddObfuscationReason(const PageFacts& page, PartReport& report) {
  Reason& reason = NewReason(page.context, ReasonCode::kMailObfuscatedContent,
                             kObfuscatedWeight, report.reasons);
  reason.technique = absl::StrJoin(page.findings.decoders, ",");
  reason.detail =
      absl::StrCat(page.where, " hides its content behind ", reason.technique,
                   " and only reveals it when opened.");
}

// A page filled in with one of the recipients' addresses was made for
// them.
void AddRecipientPrefilledReason(const PageFacts& page, PartReport& report) {
  const std::vector<std::string>& recipients = *page.context.recipients;
  for (const std::string& address : page.findings.addresses) {
    if (std::find(recipients.begin(), recipients.end(), address) ==
        recipients.end()) {
      continue;
    }
    Reason& reason =
        NewReason(page.context, ReasonCode::kMailRecipientPrefilled,
                  kPrefilledWeight, report.reasons);
    reason.matched = address;
    reason.detail = absl::StrCat(page.where,
                                 " is filled in with the recipient's own "
                                 "address: a sign-in page made for them.");
    return;
  }
}

// A page that names a protected brand but sends the password elsewhere
// than the brand's own domains.
void AddBrandInPageReason(const PageFacts& page, PartReport& report) {
  const PageContext& context = page.context;
  const HtmlSink* data_sink = page.destinations.data_sink;
  const std::string text =
      absl::StrCat(page.findings.title, " ", page.findings.text);
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
    reason.detail = absl::StrCat(page.where, " presents itself as ",
                                 mention.brand, " while the password goes ",
                                 destination_host.empty()
                                     ? "elsewhere"
                                     : absl::StrCat("to ", destination_host),
                                 ".");
    return;
  }
}

}  // namespace

void JudgePage(const HtmlFindings& findings, const PageContext& context,
               PartReport& report) {
  PageFacts page{.findings = findings, .context = context};
  page.destinations = ReportSinks(findings, context, report);
  ReportAttachmentLinks(findings, context, report);
  page.exfiltration = FindExfiltration(findings);
  page.where = Where(context);
  page.asks_password = findings.password_field.has_value();
  const bool asks_identity = page.asks_password || findings.has_identity_field;

  if (page.asks_password) {
    AddPasswordFormReason(page, report);
  } else if (context.attachment && page.destinations.navigation != nullptr) {
    AddAttachmentRedirectReason(page, report);
  }
  if (!page.exfiltration.service.empty() && asks_identity) {
    AddExfiltrationReason(page, report);
  }
  if (findings.max_depth > 0 && !findings.decoders.empty() &&
      (page.asks_password || page.destinations.navigation != nullptr ||
       page.destinations.data_sink != nullptr)) {
    AddObfuscationReason(page, report);
  }
  if (context.attachment && context.recipients != nullptr && asks_identity) {
    AddRecipientPrefilledReason(page, report);
  }
  if (page.asks_password && context.brands != nullptr) {
    AddBrandInPageReason(page, report);
  }
}

}  // namespace lureguard::mail::internal
