#include "server/mail/known_services.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace lureguard::mail {
namespace {

// Free-mail providers, by registrable domain: domains where anyone can open
// an address for nothing (or a token fee) without owning the domain. Kept
// sorted (checked at compile time) so lookups are a binary search over
// rodata, with no start-up cost and no allocation.
//
// Sources, per provider family (each provider's own sign-up or help pages
// name the domains it hands out):
//  - Google: gmail.com, googlemail.com (the name Gmail used in Germany and
//    the UK; Gmail help "Gmail and Googlemail").
//  - Microsoft Outlook.com: outlook.com, hotmail.*, live.*, msn.com,
//    windowslive.com and the country domains listed on the Outlook.com
//    sign-up page ("@outlook.fr", "@hotmail.co.uk", "@live.it", ...).
//  - Yahoo: yahoo.* per country, ymail.com and rocketmail.com (Yahoo help
//    "Create a Yahoo Mail address"); yahoo.co.jp is Yahoo! JAPAN's.
//  - AOL: aol.com, aim.com and country domains (AOL sign-up).
//  - Apple: icloud.com, me.com, mac.com (Apple support HT201771).
//  - Privacy providers: Proton (proton.me, protonmail.com, protonmail.ch,
//    pm.me), Tuta (tutanota.com/.de, tutamail.com, tuta.io, tuta.com,
//    keemail.me), Fastmail, Hushmail, Mailfence, Posteo, mailbox.org,
//    Runbox, Disroot: each provider's pricing or sign-up page.
//  - Zoho: zoho.com, zohomail.com (Zoho Mail free plan).
//  - 1&1 Mail & Media: gmx.* (GMX sign-up per country), web.de, mail.com
//    and the mail.com vanity domains offered at sign-up (email.com,
//    usa.com, post.com, consultant.com, ...).
//  - Russia and neighbours: Yandex (yandex.ru/.com/.ua/.by/.kz, ya.ru),
//    VK Mail.ru (mail.ru, bk.ru, inbox.ru, list.ru, internet.ru), Rambler
//    (rambler.ru, ro.ru), ukr.net.
//  - China: Tencent (qq.com, foxmail.com), NetEase (163.com, 126.com,
//    yeah.net), Sina (sina.com, sina.cn), Sohu (sohu.com), Alibaba
//    (aliyun.com).
//  - Korea: Naver (naver.com), Kakao/Daum (daum.net, hanmail.net), Nate.
//  - India: Rediffmail.
//  - Europe: Italia Online (libero.it, virgilio.it), Tiscali, Orange
//    (orange.fr, wanadoo.fr), La Poste (laposte.net), Free (free.fr), SFR,
//    Deutsche Telekom (t-online.de), freenet.de, Seznam (seznam.cz,
//    email.cz, post.cz), Centrum (centrum.cz), Azet (azet.sk), Wirtualna
//    Polska (wp.pl, o2.pl), Interia (interia.pl), Onet (onet.pl, op.pl),
//    ABV (abv.bg), inbox.lv, freemail.hu, citromail.hu.
//  - Americas: Juno, NetZero, BOL (bol.com.br).
//
// Disposable-address services (mailinator, yopmail, ...) are a different
// signal and deliberately not here.
constexpr auto kFreeMailDomains = std::to_array<std::string_view>({
    "126.com",        "163.com",        "abv.bg",          "accountant.com",
    "aim.com",        "aliyun.com",     "aol.co.uk",       "aol.com",
    "aol.de",         "aol.fr",         "asia.com",        "azet.sk",
    "bk.ru",          "bol.com.br",     "centrum.cz",      "citromail.hu",
    "consultant.com", "daum.net",       "disroot.org",     "dr.com",
    "email.com",      "email.cz",       "engineer.com",    "europe.com",
    "fastmail.com",   "fastmail.fm",    "foxmail.com",     "free.fr",
    "freemail.hu",    "freenet.de",     "gmail.com",       "gmx.at",
    "gmx.ch",         "gmx.co.uk",      "gmx.com",         "gmx.de",
    "gmx.es",         "gmx.fr",         "gmx.net",         "gmx.us",
    "googlemail.com", "hanmail.net",    "hotmail.be",      "hotmail.ca",
    "hotmail.ch",     "hotmail.cl",     "hotmail.co.jp",   "hotmail.co.nz",
    "hotmail.co.th",  "hotmail.co.uk",  "hotmail.co.za",   "hotmail.com",
    "hotmail.com.ar", "hotmail.com.au", "hotmail.com.br",  "hotmail.com.mx",
    "hotmail.com.tr", "hotmail.de",     "hotmail.dk",      "hotmail.es",
    "hotmail.fi",     "hotmail.fr",     "hotmail.gr",      "hotmail.it",
    "hotmail.nl",     "hotmail.no",     "hotmail.se",      "hushmail.com",
    "icloud.com",     "inbox.lv",       "inbox.ru",        "interia.pl",
    "internet.ru",    "juno.com",       "keemail.me",      "laposte.net",
    "libero.it",      "list.ru",        "live.at",         "live.be",
    "live.ca",        "live.cl",        "live.co.uk",      "live.co.za",
    "live.com",       "live.com.ar",    "live.com.au",     "live.com.mx",
    "live.de",        "live.dk",        "live.fr",         "live.ie",
    "live.in",        "live.it",        "live.jp",         "live.nl",
    "live.no",        "live.ru",        "live.se",         "mac.com",
    "mail.com",       "mail.ru",        "mailbox.org",     "mailfence.com",
    "me.com",         "msn.com",        "myself.com",      "nate.com",
    "naver.com",      "netzero.net",    "o2.pl",           "onet.pl",
    "op.pl",          "orange.fr",      "outlook.at",      "outlook.be",
    "outlook.cl",     "outlook.co.id",  "outlook.co.il",   "outlook.co.nz",
    "outlook.co.th",  "outlook.com",    "outlook.com.ar",  "outlook.com.au",
    "outlook.com.br", "outlook.com.gr", "outlook.com.tr",  "outlook.com.vn",
    "outlook.cz",     "outlook.de",     "outlook.dk",      "outlook.es",
    "outlook.fr",     "outlook.hu",     "outlook.ie",      "outlook.in",
    "outlook.it",     "outlook.jp",     "outlook.kr",      "outlook.lv",
    "outlook.my",     "outlook.ph",     "outlook.pt",      "outlook.sa",
    "outlook.sg",     "outlook.sk",     "pm.me",           "post.com",
    "post.cz",        "posteo.de",      "posteo.net",      "proton.me",
    "protonmail.ch",  "protonmail.com", "qq.com",          "rambler.ru",
    "rediffmail.com", "ro.ru",          "rocketmail.com",  "runbox.com",
    "seznam.cz",      "sfr.fr",         "sina.cn",         "sina.com",
    "sohu.com",       "t-online.de",    "techie.com",      "tiscali.it",
    "tuta.com",       "tuta.io",        "tutamail.com",    "tutanota.com",
    "tutanota.de",    "ukr.net",        "usa.com",         "virgilio.it",
    "wanadoo.fr",     "web.de",         "windowslive.com", "workmail.com",
    "wp.pl",          "writeme.com",    "ya.ru",           "yahoo.ca",
    "yahoo.co.id",    "yahoo.co.in",    "yahoo.co.jp",     "yahoo.co.nz",
    "yahoo.co.th",    "yahoo.co.uk",    "yahoo.com",       "yahoo.com.ar",
    "yahoo.com.au",   "yahoo.com.br",   "yahoo.com.hk",    "yahoo.com.mx",
    "yahoo.com.ph",   "yahoo.com.sg",   "yahoo.com.tw",    "yahoo.com.vn",
    "yahoo.de",       "yahoo.dk",       "yahoo.es",        "yahoo.fr",
    "yahoo.gr",       "yahoo.ie",       "yahoo.in",        "yahoo.it",
    "yahoo.no",       "yahoo.pl",       "yahoo.ro",        "yahoo.se",
    "yandex.by",      "yandex.com",     "yandex.kz",       "yandex.ru",
    "yandex.ua",      "yeah.net",       "ymail.com",       "zoho.com",
    "zohomail.com",
});

static_assert(std::ranges::is_sorted(kFreeMailDomains),
              "kFreeMailDomains must stay sorted for binary_search");
static_assert(std::ranges::adjacent_find(kFreeMailDomains) ==
                  kFreeMailDomains.end(),
              "kFreeMailDomains lists a domain twice");

// Debian's Abseil has its own string_view type; its functions take that.
absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// `host` without one trailing dot ("api.telegram.org." is the same host).
std::string_view WithoutTrailingDot(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

// Path prefixes compare without case: the services route case-sensitively,
// but a kit that writes "/API/Webhooks/" still shows what it is for, and a
// false match on a path that differs only in case is not a real risk.
bool PathStartsWith(std::string_view path, std::string_view prefix) {
  return absl::StartsWithIgnoreCase(AbslView(path), AbslView(prefix));
}

// `host` is `domain` or one of its subdomains ("x.webhook.office.com").
bool IsSubdomainOf(std::string_view host, std::string_view domain) {
  return host.size() > domain.size() + 1 && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

// The first path segment, without the leading '/': "abc" for "/abc/def".
std::string_view FirstSegment(std::string_view path) {
  if (path.starts_with('/')) path.remove_prefix(1);
  return path.substr(0, path.find_first_of("/?#"));
}

// Telegram Bot API: every method is https://api.telegram.org/bot<token>/
// <method> (core.telegram.org/bots/api, "Making requests"). Kits call
// sendMessage or sendDocument with the stolen credentials.
bool IsTelegramBotApi(std::string_view host, std::string_view path) {
  return host == "api.telegram.org" && PathStartsWith(path, "/bot") &&
         path.size() > 4;
}

// Discord webhooks: POST https://discord.com/api/webhooks/<id>/<token>,
// also with an API version ("/api/v10/webhooks/") and on the legacy
// discordapp.com and the ptb/canary client hosts (discord.com/developers/
// docs/resources/webhook, "Execute Webhook").
bool IsDiscordWebhook(std::string_view host, std::string_view path) {
  static constexpr std::string_view kHosts[] = {
      "discord.com",        "discordapp.com",     "ptb.discord.com",
      "canary.discord.com", "ptb.discordapp.com", "canary.discordapp.com",
  };
  if (std::ranges::find(kHosts, host) == std::end(kHosts)) return false;
  if (!PathStartsWith(path, "/api/")) return false;
  std::string_view rest = path.substr(5);
  // "/api/v<N>/webhooks/": skip the version segment.
  if (rest.size() > 1 && (rest[0] == 'v' || rest[0] == 'V') &&
      absl::ascii_isdigit(static_cast<unsigned char>(rest[1]))) {
    size_t i = 1;
    while (i < rest.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(rest[i]))) {
      ++i;
    }
    if (i >= rest.size() || rest[i] != '/') return false;
    rest.remove_prefix(i + 1);
  }
  return PathStartsWith(rest, "webhooks/") && rest.size() > 9;
}

// Slack: incoming webhooks are https://hooks.slack.com/services/T.../B.../
// ... (api.slack.com/messaging/webhooks); Workflow Builder webhook triggers
// live under /workflows/ and /triggers/ on the same host.
bool IsSlackWebhook(std::string_view host, std::string_view path) {
  return host == "hooks.slack.com" && (PathStartsWith(path, "/services/") ||
                                       PathStartsWith(path, "/workflows/") ||
                                       PathStartsWith(path, "/triggers/"));
}

// Microsoft Teams incoming webhooks: https://<tenant>.webhook.office.com/
// webhookb2/... (learn.microsoft.com, "Create an Incoming Webhook"); the
// retired form was https://outlook.office.com/webhook/....
bool IsTeamsWebhook(std::string_view host, std::string_view path) {
  if (IsSubdomainOf(host, "webhook.office.com")) {
    return PathStartsWith(path, "/webhookb2/");
  }
  return (host == "outlook.office.com" || host == "outlook.office365.com") &&
         PathStartsWith(path, "/webhook/");
}

// Paste sites' write APIs: pastebin.com/api/api_post.php (pastebin.com/
// doc_api), paste.ee's API at api.paste.ee/v1/ and the older paste.ee/api
// (paste.ee/wiki/API), hastebin's POST /documents, now hosted by Toptal
// at www.toptal.com/developers/hastebin/documents.
std::string_view PasteService(std::string_view host, std::string_view path) {
  if (host == "pastebin.com" || host == "www.pastebin.com") {
    return PathStartsWith(path, "/api/") ? "pastebin" : "";
  }
  if (host == "api.paste.ee") return "paste.ee";
  if (host == "paste.ee" && PathStartsWith(path, "/api")) return "paste.ee";
  if (host == "hastebin.com" || host == "www.hastebin.com") {
    return PathStartsWith(path, "/documents") ? "hastebin" : "";
  }
  if (host == "toptal.com" || host == "www.toptal.com") {
    return PathStartsWith(path, "/developers/hastebin/documents") ? "hastebin"
                                                                  : "";
  }
  return "";
}

// Request inspectors that accept any request and show it to whoever holds
// the URL: webhook.site/<uuid> (docs.webhook.site), Pipedream's RequestBin
// endpoints <id>.x.pipedream.net and workflow endpoints <id>.m.pipedream.net
// (pipedream.com/docs, "HTTP triggers"), <name>.requestcatcher.com.
std::string_view RequestInspector(std::string_view host,
                                  std::string_view path) {
  if (host == "webhook.site") {
    return FirstSegment(path).empty() ? "" : "webhook.site";
  }
  if (IsSubdomainOf(host, "x.pipedream.net")) return "requestbin";
  if (IsSubdomainOf(host, "m.pipedream.net")) return "pipedream";
  if (IsSubdomainOf(host, "requestcatcher.com") &&
      host != "www.requestcatcher.com") {
    return "requestcatcher";
  }
  return "";
}

// Form back ends that mail or store whatever a static page posts:
// formspree.io/f/<id> (formspree.io/docs), getform.io/f/<id>, formsubmit.co/
// <address or alias> and /ajax/<...> (formsubmit.co), Formspark's
// submit-form.com/<id> (documentation.formspark.io), Web3Forms' POST
// api.web3forms.com/submit (docs.web3forms.com), Basin's usebasin.com/f/,
// Formcarry's formcarry.com/s/, EmailJS's api.emailjs.com/api/v1.0/email/
// (emailjs.com/docs/rest-api).
std::string_view FormBackend(std::string_view host, std::string_view path) {
  if (host == "formspree.io" || host == "www.formspree.io") {
    return PathStartsWith(path, "/f/") ? "formspree" : "";
  }
  if (host == "getform.io" || host == "www.getform.io") {
    return PathStartsWith(path, "/f/") ? "getform" : "";
  }
  if (host == "formsubmit.co" || host == "www.formsubmit.co") {
    // The site's own pages have short names ("/documentation"); endpoints
    // are an address or a long random alias.
    const std::string_view first = FirstSegment(path);
    if (first == "ajax" || first == "el" ||
        first.find('@') != std::string_view::npos || first.size() >= 20) {
      return "formsubmit";
    }
    return "";
  }
  if (host == "submit-form.com") {
    // Form ids are short random strings; the bare host is the only page.
    return FirstSegment(path).empty() ? "" : "formspark";
  }
  if (host == "api.web3forms.com") {
    return PathStartsWith(path, "/submit") ? "web3forms" : "";
  }
  if (host == "usebasin.com") {
    return PathStartsWith(path, "/f/") ? "basin" : "";
  }
  if (host == "formcarry.com") {
    return PathStartsWith(path, "/s/") ? "formcarry" : "";
  }
  if (host == "api.emailjs.com") {
    return PathStartsWith(path, "/api/") ? "emailjs" : "";
  }
  return "";
}

// Automation webhooks that forward a request to wherever the owner wants:
// Zapier's hooks.zapier.com/hooks/catch/ (help.zapier.com, "Webhooks by
// Zapier"), IFTTT's maker.ifttt.com/trigger/ (ifttt.com/maker_webhooks),
// Make's hook.<zone>.make.com and the older hook.integromat.com
// (make.com/en/help/tools/webhooks).
std::string_view AutomationWebhook(std::string_view host,
                                   std::string_view path) {
  if (host == "hooks.zapier.com") {
    return PathStartsWith(path, "/hooks/") ? "zapier-webhook" : "";
  }
  if (host == "maker.ifttt.com") {
    return PathStartsWith(path, "/trigger/") ? "ifttt-webhook" : "";
  }
  if (host == "hook.integromat.com" ||
      (host.starts_with("hook.") && IsSubdomainOf(host, "make.com"))) {
    return FirstSegment(path).empty() ? "" : "make-webhook";
  }
  return "";
}

// ntfy.sh: anyone may POST to https://ntfy.sh/<topic> and read it back
// (docs.ntfy.sh/publish). The web app and the site's own pages are not
// topics.
bool IsNtfyTopic(std::string_view host, std::string_view path) {
  if (host != "ntfy.sh") return false;
  const std::string_view topic = FirstSegment(path);
  return !topic.empty() && topic != "app" && topic != "docs" &&
         topic != "static";
}

// Google Apps Script web apps (script.google.com/macros/s/<id>/exec, or
// /a/macros/<workspace-domain>/s/<id>/exec; developers.google.com/
// apps-script/guides/web) run the owner's code on every POST, a common
// free credential collector; Google Forms' formResponse endpoint stores
// what a page posts to it.
std::string_view GoogleCollector(std::string_view host, std::string_view path) {
  if (host == "script.google.com") {
    if (PathStartsWith(path, "/macros/s/")) return "google-apps-script";
    if (PathStartsWith(path, "/a/macros/") &&
        path.substr(10).find("/s/") != std::string_view::npos) {
      return "google-apps-script";
    }
    return "";
  }
  if (host == "docs.google.com" && PathStartsWith(path, "/forms/") &&
      path.find("/formResponse") != std::string_view::npos) {
    return "google-forms";
  }
  return "";
}

}  // namespace

bool IsFreeMailDomain(std::string_view registrable_domain) {
  return std::ranges::binary_search(kFreeMailDomains,
                                    WithoutTrailingDot(registrable_domain));
}

std::string_view ExfiltrationService(std::string_view host,
                                     std::string_view path) {
  host = WithoutTrailingDot(host);
  if (IsTelegramBotApi(host, path)) return "telegram-bot-api";
  if (IsDiscordWebhook(host, path)) return "discord-webhook";
  if (IsSlackWebhook(host, path)) return "slack-webhook";
  if (IsTeamsWebhook(host, path)) return "teams-webhook";
  if (IsNtfyTopic(host, path)) return "ntfy";
  for (std::string_view name :
       {PasteService(host, path), RequestInspector(host, path),
        FormBackend(host, path), AutomationWebhook(host, path),
        GoogleCollector(host, path)}) {
    if (!name.empty()) return name;
  }
  return "";
}

}  // namespace lureguard::mail
