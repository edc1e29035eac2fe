// Known services: free-mail domains matched exactly on the registrable
// domain, and exfiltration APIs recognised by host and path, with the
// near-misses (the services' home pages, invites, channels) left alone.

#include "server/mail/known_services.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace lureguard::mail {
namespace {

TEST(IsFreeMailDomain, KnowsTheLargeProviders) {
  for (std::string_view domain :
       {"gmail.com",      "googlemail.com", "outlook.com",    "hotmail.com",
        "hotmail.co.uk",  "hotmail.fr",     "live.com",       "msn.com",
        "yahoo.com",      "yahoo.co.uk",    "yahoo.co.jp",    "yahoo.com.br",
        "ymail.com",      "rocketmail.com", "aol.com",        "aim.com",
        "icloud.com",     "me.com",         "mac.com",        "proton.me",
        "protonmail.com", "protonmail.ch",  "pm.me",          "tutanota.com",
        "tuta.io",        "zoho.com",       "gmx.de",         "gmx.net",
        "gmx.at",         "gmx.ch",         "web.de",         "mail.com",
        "email.com",      "usa.com",        "yandex.ru",      "ya.ru",
        "mail.ru",        "bk.ru",          "inbox.ru",       "list.ru",
        "rambler.ru",     "qq.com",         "163.com",        "126.com",
        "yeah.net",       "sina.com",       "sohu.com",       "naver.com",
        "daum.net",       "hanmail.net",    "rediffmail.com", "libero.it",
        "virgilio.it",    "orange.fr",      "wanadoo.fr",     "laposte.net",
        "free.fr",        "t-online.de",    "seznam.cz",      "wp.pl",
        "o2.pl",          "interia.pl",     "onet.pl",        "abv.bg",
        "fastmail.com",   "hushmail.com",   "mailfence.com",  "disroot.org"}) {
    EXPECT_TRUE(IsFreeMailDomain(domain)) << domain;
  }
}

TEST(IsFreeMailDomain, MatchesTheExactRegistrableDomainOnly) {
  // Lookalikes and company domains that contain a provider's name.
  for (std::string_view domain :
       {"gmail.co", "gmaill.com", "google.com", "microsoft.com",
        "outlook.office.com", "mail.google.com", "yahoo.example", "paypal.com",
        "gmx.example", "notgmail.com", "", "com"}) {
    EXPECT_FALSE(IsFreeMailDomain(domain)) << domain;
  }
}

TEST(IsFreeMailDomain, AcceptsATrailingDot) {
  EXPECT_TRUE(IsFreeMailDomain("gmail.com."));
}

// One exfiltration endpoint and the name it should get.
struct Endpoint {
  std::string host;
  std::string path;
  std::string name;
};

TEST(ExfiltrationService, NamesTheApisKitsPostTo) {
  const Endpoint endpoints[] = {
      {"api.telegram.org", "/bot123456789:AAH-abcdefghijklmnop/sendMessage",
       "telegram-bot-api"},
      {"api.telegram.org.", "/bot1:x/sendDocument", "telegram-bot-api"},
      {"discord.com", "/api/webhooks/1234567890/abcDEF", "discord-webhook"},
      {"discordapp.com", "/api/webhooks/1234567890/abcDEF", "discord-webhook"},
      {"ptb.discord.com", "/api/v10/webhooks/1/t", "discord-webhook"},
      {"canary.discord.com", "/api/v9/webhooks/1/t", "discord-webhook"},
      {"discord.com", "/API/Webhooks/1/t", "discord-webhook"},
      {"hooks.slack.com", "/services/T000/B000/XXXX", "slack-webhook"},
      {"hooks.slack.com", "/triggers/T000/1/abc", "slack-webhook"},
      {"contoso.webhook.office.com", "/webhookb2/a-b-c@d/IncomingWebhook/x",
       "teams-webhook"},
      {"outlook.office.com", "/webhook/a@b/IncomingWebhook/c/d",
       "teams-webhook"},
      {"pastebin.com", "/api/api_post.php", "pastebin"},
      {"api.paste.ee", "/v1/pastes", "paste.ee"},
      {"paste.ee", "/api", "paste.ee"},
      {"hastebin.com", "/documents", "hastebin"},
      {"www.toptal.com", "/developers/hastebin/documents", "hastebin"},
      {"webhook.site", "/0e4f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "webhook.site"},
      {"eo1a2b3c4d5e6f.x.pipedream.net", "/", "requestbin"},
      {"eo1a2b3c4d5e6f.m.pipedream.net", "", "pipedream"},
      {"phish.requestcatcher.com", "/test", "requestcatcher"},
      {"formspree.io", "/f/xrgvabcd", "formspree"},
      {"getform.io", "/f/0a1b2c3d-4e5f", "getform"},
      {"formsubmit.co", "/victim.collector@example.com", "formsubmit"},
      {"formsubmit.co", "/ajax/0123456789abcdef0123456789abcdef", "formsubmit"},
      {"submit-form.com", "/AbCdEf123", "formspark"},
      {"api.web3forms.com", "/submit", "web3forms"},
      {"ntfy.sh", "/creds-topic-123", "ntfy"},
      {"script.google.com", "/macros/s/AKfycbx123/exec", "google-apps-script"},
      {"script.google.com", "/a/macros/example.com/s/AKfy/exec",
       "google-apps-script"},
      {"docs.google.com", "/forms/d/e/1FAIpQLSd/formResponse", "google-forms"},
      {"hooks.zapier.com", "/hooks/catch/123/abc/", "zapier-webhook"},
      {"maker.ifttt.com", "/trigger/creds/with/key/abc", "ifttt-webhook"},
      {"hook.eu1.make.com", "/abc123", "make-webhook"},
      {"api.emailjs.com", "/api/v1.0/email/send", "emailjs"},
      {"usebasin.com", "/f/abc", "basin"},
      {"formcarry.com", "/s/abc", "formcarry"},
  };
  for (const Endpoint& e : endpoints) {
    EXPECT_EQ(ExfiltrationService(e.host, e.path), e.name) << e.host << e.path;
  }
}

TEST(ExfiltrationService, LeavesTheServicesOwnPagesAlone) {
  const Endpoint near_misses[] = {
      {"t.me", "/somechannel", ""},
      {"telegram.org", "/", ""},
      {"api.telegram.org", "/", ""},
      {"api.telegram.org", "/bot", ""},
      {"core.telegram.org", "/bots/api", ""},
      {"discord.com", "/invite/abc123", ""},
      {"discord.com", "/api/v10/users/@me", ""},
      {"discord.com", "/api/webhooks/", ""},
      {"discord.com", "/api/vx/webhooks/1/t", ""},
      {"discord.gg", "/abc123", ""},
      {"slack.com", "/services/T000", ""},
      {"hooks.slack.com", "/", ""},
      {"acme.slack.com", "/archives/C123", ""},
      {"webhook.office.com", "/webhookb2/x", ""},
      {"contoso.webhook.office.com", "/", ""},
      {"outlook.office.com", "/mail/inbox", ""},
      {"pastebin.com", "/u/someone", ""},
      {"pastebin.com", "/raw/abc123", ""},
      {"paste.ee", "/p/abc", ""},
      {"webhook.site", "/", ""},
      {"webhook.site", "", ""},
      {"pipedream.com", "/", ""},
      {"requestcatcher.com", "/", ""},
      {"formspree.io", "/pricing", ""},
      {"formsubmit.co", "/documentation", ""},
      {"submit-form.com", "/", ""},
      {"ntfy.sh", "/", ""},
      {"ntfy.sh", "/app", ""},
      {"script.google.com", "/home", ""},
      {"docs.google.com", "/forms/d/e/1FAIpQLSd/viewform", ""},
      {"www.toptal.com", "/developers/hastebin", ""},
      {"ipinfo.io", "/json", ""},
      {"example.000webhostapp.com", "/login.php", ""},
      {"evilapi.telegram.org.example", "/bot1:x/sendMessage", ""},
  };
  for (const Endpoint& e : near_misses) {
    EXPECT_EQ(ExfiltrationService(e.host, e.path), "") << e.host << e.path;
  }
}

}  // namespace
}  // namespace lureguard::mail
