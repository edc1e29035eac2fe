// Domains whose meaning for a mail verdict is known in advance: free-mail
// providers (anyone can open an address there, so a company's mail from
// one, or a Reply-To pointing at one, is a classic impersonation shape)
// and the chat-bot, webhook and paste-site APIs that phishing kits use to
// receive stolen credentials (Telegram bot API, Discord webhooks, ...).
//
// Lists compiled by hand from the providers' own documentation; see the
// .cc file for sources. Immutable; thread-safe.

#ifndef LUREGUARD_SERVER_MAIL_KNOWN_SERVICES_H_
#define LUREGUARD_SERVER_MAIL_KNOWN_SERVICES_H_

#include <string_view>

namespace lureguard::mail {

// True when `registrable_domain` (lowercase ASCII, e.g. "gmail.com",
// "yahoo.co.uk", "mail.ru") is a free-mail provider's.
bool IsFreeMailDomain(std::string_view registrable_domain);

// When `host` + `path` (lowercase host, path as in the URL) is an API
// that receives data for a chat bot, webhook or paste site, its name
// ("telegram-bot-api", "discord-webhook", "slack-webhook", "pastebin",
// "webhook.site", "formspree", ...); "" otherwise. Only the API
// endpoints count: a link to a Telegram channel is not a sink.
std::string_view ExfiltrationService(std::string_view host,
                                     std::string_view path);

}  // namespace lureguard::mail

#endif  // LUREGUARD_SERVER_MAIL_KNOWN_SERVICES_H_
