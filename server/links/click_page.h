// The pages of the click endpoint (`GET /c/<token>`): the warning page, the
// block page, and the page for a link that is broken or too old. Pure
// functions from what the verdict says to a self-contained HTML document:
// no script, no external resource (the CSP of the HTTP front forbids
// both), readable on a phone, every dynamic string HTML-escaped.
//
// Thread safety: pure functions.
//
// Example:
//   ClickPageContent page;
//   page.kind = ClickPageKind::kWarning;
//   page.url = "https://paypa1.com/login";
//   page.brand = "PayPal";
//   page.reasons = ReasonsInPlainWords(verdict.reasons);
//   page.continue_allowed = true;
//   page.continue_action = "/c/AQk...";
//   std::string html = RenderClickPage(page);

#ifndef LUREGUARD_SERVER_LINKS_CLICK_PAGE_H_
#define LUREGUARD_SERVER_LINKS_CLICK_PAGE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/links/html_escape.h"
#include "server/verdict/verdict.h"

namespace lureguard::links {

enum class ClickPageKind {
  kWarning,      // WARN verdict: "this may be a fake site"
  kBlock,        // BLOCK verdict: "this is a known or near-certain fake"
  kInvalidLink,  // malformed or tampered token: no destination shown
  kExpiredLink,  // a valid token older than the tenant's lifetime
  kConfirm,      // ALLOW to a single-use URL: "Continue to <host>", one
                 // button that POSTs (scanners do not press buttons)
};

// What a page shows. Strings are plain text; RenderClickPage escapes them.
struct ClickPageContent {
  ClickPageKind kind = ClickPageKind::kWarning;
  std::string url;    // the destination, shown as text (never as a link)
  std::string host;   // its host, shown prominently
  std::string brand;  // the protected brand imitated; "" when none
  std::vector<std::string> reasons;  // sentences, strongest first
  // Whether the page has a "continue" button, and where it POSTs.
  bool continue_allowed = false;
  std::string continue_action;  // "/c/<token>"
  std::string verdict_id;       // printed small, for support
};

// The whole HTML document for `content`.
std::string RenderClickPage(const ClickPageContent& content);

// The reasons a person should read, in plain words, strongest first:
// reasons without weight (boosters alone, LINK_WRAPPED) are left out, and
// repeated sentences are given once.
std::vector<std::string> ReasonsInPlainWords(
    const std::vector<verdict::Reason>& reasons);

// The first protected brand the reasons name, or "".
std::string ImitatedBrand(const std::vector<verdict::Reason>& reasons);

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_CLICK_PAGE_H_
