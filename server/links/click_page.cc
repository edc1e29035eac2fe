#include "server/links/click_page.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace lureguard::links {
namespace {

using verdict::Reason;
using verdict::ReasonCode;

// Inline CSS only: the page loads nothing else. System fonts, a single
// column, large tap targets (WCAG 2.5.5: 44 px).
constexpr char kStyle[] = R"css(
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f4f5;color:#18181b}
main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.15);border-top:6px solid #d97706}
.block .card{border-top-color:#b91c1c}
.broken .card{border-top-color:#52525b}
.confirm .card{border-top-color:#15803d}
h1{font-size:1.4rem;line-height:1.25;margin:0 0 .75rem}
.host{font-weight:600;word-break:break-all}
.url{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;color:#52525b;word-break:break-all;background:#f4f4f5;padding:.5rem;border-radius:6px}
ul{padding-left:1.2rem}
li{margin:.35rem 0}
.brand{font-weight:600}
.actions{margin-top:1.25rem;display:flex;flex-direction:column;gap:.75rem}
button{font:inherit;min-height:44px;border-radius:8px;padding:.6rem 1rem;border:1px solid #a1a1aa;background:#fff;color:#18181b;width:100%}
.advice{font-weight:600}
.id{margin-top:1rem;font-size:12px;color:#71717a}
)css";

std::string TechniquePhrase(const Reason& reason) {
  switch (reason.code) {
    case ReasonCode::kLookalikeHomoglyph:
      return "using letters or digits that look alike";
    case ReasonCode::kLookalikeTypo:
      return "with a small misspelling";
    case ReasonCode::kLookalikeSeparator:
      return "with hyphens or dots added or removed";
    case ReasonCode::kLookalikeCombosquat:
      return "by adding words to the brand's name";
    case ReasonCode::kLookalikeTargetEmbedding:
      return "by putting the real address inside a longer one";
    case ReasonCode::kLookalikeTldSwap:
      return "under an ending the brand does not own";
    case ReasonCode::kIdnSpoof:
      return "using letters of another alphabet that look the same";
    case ReasonCode::kLookalikeHostingPlatform:
      return "on a free website platform";
    default:
      return "";
  }
}

// One sentence, or "" for reasons a person need not read.
std::string PlainWords(const Reason& reason) {
  const std::string brand =
      reason.brand.empty() ? "a well-known brand" : reason.brand;
  switch (reason.code) {
    case ReasonCode::kBlocklistMatch:
      return "This site is on a list of known phishing or malware sites.";
    case ReasonCode::kLookalikeHomoglyph:
    case ReasonCode::kLookalikeTypo:
    case ReasonCode::kLookalikeSeparator:
    case ReasonCode::kLookalikeCombosquat:
    case ReasonCode::kLookalikeTargetEmbedding:
    case ReasonCode::kLookalikeTldSwap:
    case ReasonCode::kIdnSpoof:
    case ReasonCode::kLookalikeHostingPlatform:
      return absl::StrCat("The address imitates ", brand,
                          reason.matched.empty()
                              ? std::string()
                              : absl::StrCat(" (", reason.matched, ")"),
                          " ", TechniquePhrase(reason), ".");
    case ReasonCode::kUrlIpHost:
      return "The address is a bare number (an IP address), not a site "
             "name.";
    case ReasonCode::kUrlUserinfo:
    case ReasonCode::kUrlManyAt:
      return "The address hides where it really goes behind an @ sign.";
    case ReasonCode::kUrlEncodedHost:
      return "The site name is written in a disguised, encoded form.";
    case ReasonCode::kUrlInvisibleCharacters:
      return "The address contains invisible characters.";
    case ReasonCode::kUrlNestedUrl:
      return "The address forwards you on to another address.";
    case ReasonCode::kCertNew:
      return "The site's security certificate was issued only days ago.";
    case ReasonCode::kCertSelfSigned:
    case ReasonCode::kCertUntrusted:
      return "The site's security certificate is not from a trusted "
             "authority.";
    case ReasonCode::kCertNameMismatch:
      return "The site's security certificate is for another name.";
    case ReasonCode::kCertBrandSans:
      return absl::StrCat(
          "The site's certificate also names addresses that "
          "imitate ",
          brand, ".");
    case ReasonCode::kLinkTextMismatch:
    case ReasonCode::kLinkWrapTooDeep:
    case ReasonCode::kLinkWrapperMalformed:
      // Written for people by the links engine.
      return reason.detail;
    default:
      return reason.detail;
  }
}

}  // namespace

std::vector<std::string> ReasonsInPlainWords(
    const std::vector<Reason>& reasons) {
  std::vector<std::string> out;
  for (const Reason& reason : reasons) {
    if (reason.weight <= 0 && reason.code != ReasonCode::kBlocklistMatch) {
      continue;
    }
    std::string sentence = PlainWords(reason);
    if (sentence.empty()) continue;
    if (std::find(out.begin(), out.end(), sentence) == out.end()) {
      out.push_back(std::move(sentence));
    }
  }
  return out;
}

std::string ImitatedBrand(const std::vector<Reason>& reasons) {
  for (const Reason& reason : reasons) {
    if (!reason.brand.empty()) return reason.brand;
  }
  return "";
}

std::string RenderClickPage(const ClickPageContent& content) {
  std::string title;
  std::string css_class;
  std::string heading;
  std::string advice;
  switch (content.kind) {
    case ClickPageKind::kWarning:
      title = "Warning: suspicious link";
      css_class = "warn";
      heading = content.brand.empty()
                    ? "This link may lead to a fake site"
                    : absl::StrCat("This site may be pretending to be ",
                                   HtmlEscape(content.brand));
      advice =
          "If it asks you to sign in or pay, do not. Go to the real "
          "site by typing its address yourself.";
      break;
    case ClickPageKind::kBlock:
      title = "Blocked: dangerous link";
      css_class = "block";
      heading =
          content.brand.empty()
              ? "This link was blocked"
              : absl::StrCat("This site pretends to be ",
                             HtmlEscape(content.brand), ", and was blocked");
      advice =
          "It is a known or near-certain phishing site. Do not enter "
          "a password or payment details there.";
      break;
    case ClickPageKind::kInvalidLink:
      title = "Broken link";
      css_class = "broken";
      heading = "This link is broken";
      advice =
          "It was changed after it was sent, or copied only in part. "
          "Ask the sender for the link again.";
      break;
    case ClickPageKind::kConfirm:
      title = absl::StrCat("Continue to ", HtmlEscape(content.host));
      css_class = "confirm";
      heading = absl::StrCat("Continue to ", HtmlEscape(content.host));
      advice =
          "This link looks like it works only once (a password reset, a "
          "sign-in or confirmation link), so it opens when you press the "
          "button, not when a mail scanner looks at it.";
      break;
    case ClickPageKind::kExpiredLink:
      title = "Expired link";
      css_class = "broken";
      heading = "This link has expired";
      advice =
          "Links in mail are protected for a limited time. Ask the "
          "sender for the link again, or go to the site by typing its "
          "address yourself.";
      break;
  }
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      "<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>",
      title, "</title>\n<style>", kStyle, "</style></head>\n<body class=\"",
      css_class, "\"><main><div class=\"card\">\n<h1 id=\"heading\">", heading,
      "</h1>\n");
  if (!content.host.empty()) {
    absl::StrAppend(&html,
                    "<p>The link goes to <span class=\"host\" id=\"host\">",
                    HtmlEscape(content.host), "</span></p>\n");
  }
  if (!content.url.empty()) {
    absl::StrAppend(&html, "<p class=\"url\" id=\"url\">",
                    HtmlEscape(content.url), "</p>\n");
  }
  if (!content.reasons.empty()) {
    absl::StrAppend(&html, "<p>Why:</p>\n<ul id=\"reasons\">\n");
    for (const std::string& reason : content.reasons) {
      absl::StrAppend(&html, "<li>", HtmlEscape(reason), "</li>\n");
    }
    absl::StrAppend(&html, "</ul>\n");
  }
  absl::StrAppend(&html, "<p class=\"advice\">", advice, "</p>\n");
  if (content.continue_allowed && !content.continue_action.empty()) {
    // A POST, so that scanners that prefetch links never count as a click
    // and never reach the destination through us.
    absl::StrAppend(
        &html, "<form class=\"actions\" method=\"post\" action=\"",
        HtmlEscape(content.continue_action),
        "\"><button type=\"submit\" id=\"continue\">Continue to ",
        HtmlEscape(content.host.empty() ? "the site" : content.host),
        content.kind == ClickPageKind::kConfirm ? "" : " anyway",
        "</button></form>\n");
  }
  if (!content.verdict_id.empty()) {
    absl::StrAppend(&html, "<p class=\"id\">Reference ",
                    HtmlEscape(content.verdict_id), "</p>\n");
  }
  absl::StrAppend(&html, "</div></main></body></html>\n");
  return html;
}

}  // namespace lureguard::links
