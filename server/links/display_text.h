// Display-text mismatch: anchor text that names another site than its link.
//
// `<a href="https://evil.top">www.paypal.com</a>` shows one domain and leads
// to another, the oldest trick of credential phishing. The text counts when
// it reads as a URL or a host name with a real public suffix (libpsl, through
// the URL engine); "Click here", a bare word, an e-mail address and text with
// spaces inside do not. Domains are compared by registrable domain, so
// `login.paypal.com` text on a `www.paypal.com` link is no mismatch.
//
// Pure and safe for concurrent use.
//
// Example:
//   std::optional<DisplayTextMismatch> m =
//       FindDisplayTextMismatch("www.paypal.com", "https://evil.top/x");
//   // m->text_host == "www.paypal.com", m->text_domain == "paypal.com",
//   // m->href_domain == "evil.top"

#ifndef LUREGUARD_SERVER_LINKS_DISPLAY_TEXT_H_
#define LUREGUARD_SERVER_LINKS_DISPLAY_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace lureguard::links {

// Which domains disagree; all canonical (ASCII, lowercase, punycode).
struct DisplayTextMismatch {
  std::string text_host;    // the host the text names
  std::string text_domain;  // its registrable domain
  // The registrable domain of the link's host (the host itself for an IP
  // address or a host that is a public suffix).
  std::string href_domain;
};

// The mismatch between anchor text and the URL the anchor leads to (pass
// the unwrapped, innermost URL), or std::nullopt when the text does not
// read as a URL or host name, when the registrable domains agree, or when
// `href` is not an http(s) URL.
std::optional<DisplayTextMismatch> FindDisplayTextMismatch(
    std::string_view display_text, std::string_view href);

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_DISPLAY_TEXT_H_
