// Which click destinations a mail scanner must never reach: links that
// work once (password resets, magic sign-in links, e-mail confirmations,
// OAuth codes, one-time secrets, unsubscribe links), and which clients are
// link-preview bots and scanners rather than a person's browser.
//
// Mail scanners and chat link previews fetch every URL in a message, and a
// click URL that answers a GET with a redirect lets them use up a one-time
// link before its recipient clicks it (authelia #2994, onetimesecret
// #359). The click endpoint therefore answers a GET for such a destination
// with a one-click "Continue to <host>" page whose button POSTs; only a
// person presses it.
//
// LooksSingleUse is a heuristic. A false positive costs the reader one
// click; a false negative burns the link. It is tuned on the URL shapes in
// tests/unit/links/click_safety_test.cc, one named function per signal:
//
//   HasSingleUsePath      path words: password reset, magic link, verify,
//                         confirm, activate, unsubscribe, one-time ...
//   HasSingleUseQuery     parameter names: token, ticket, oobCode, otp,
//                         signature; `code` with `state` (OAuth)
//   HasLongRandomToken    a path segment or query value of 24+ characters
//                         of base64url/hex alphabet with letters and digits
//
// Thread safety: pure functions.
//
// Example:
//   LooksSingleUse("https://github.com/password_reset/6c3e...");  // true
//   IsLinkPreviewAgent("Slackbot-LinkExpanding 1.0");             // true

#ifndef LUREGUARD_SERVER_LINKS_CLICK_SAFETY_H_
#define LUREGUARD_SERVER_LINKS_CLICK_SAFETY_H_

#include "absl/strings/string_view.h"

namespace lureguard::links {

// Whether `url` (absolute http(s)) looks like a link that works once.
bool LooksSingleUse(absl::string_view url);

// The signals LooksSingleUse combines, each on its own part of the URL
// (path without query; query without '?' or fragment).
bool HasSingleUsePath(absl::string_view path);
bool HasSingleUseQuery(absl::string_view query);
bool HasLongRandomToken(absl::string_view path, absl::string_view query);

// Whether `user_agent` names a link-preview bot or a mail/security scanner
// (Slack, Teams, Outlook, Facebook, Twitter, LinkedIn, WhatsApp, Telegram,
// Discord, Skype, Google and Bing previews, Proofpoint, Mimecast,
// Barracuda...). Such clients never get a redirect to a single-use URL,
// not even by POST.
bool IsLinkPreviewAgent(absl::string_view user_agent);

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_CLICK_SAFETY_H_
