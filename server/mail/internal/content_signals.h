// Credential harvesting in a body or attachment: the reasons what the HTML
// inspector found in one page gives (MAIL_CREDENTIAL_FORM,
// MAIL_ATTACHMENT_REDIRECT, MAIL_OBFUSCATED_CONTENT,
// MAIL_RECIPIENT_PREFILLED, MAIL_BRAND_IN_PAGE, MAIL_EXFILTRATION_API),
// and the verdicts on the URLs it sends data or the reader to.

#ifndef LUREGUARD_SERVER_MAIL_INTERNAL_CONTENT_SIGNALS_H_
#define LUREGUARD_SERVER_MAIL_INTERNAL_CONTENT_SIGNALS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/links/link_protector.h"
#include "server/lookalike/brand_index.h"
#include "server/mail/html_inspector.h"
#include "server/mail/message_checker.h"

namespace lureguard::mail::internal {

// The page being judged.
struct PageContext {
  absl::string_view part;      // "2", "2/invoice.htm"
  absl::string_view filename;  // "" when none
  bool attachment = false;     // a file the reader opens (vs. a mail body)
  bool svg = false;            // an SVG image rather than an HTML page
  const lookalike::BrandIndex* brands = nullptr;  // may be null
  absl::string_view tenant;
  // Lowercase addresses of the recipients (envelope, To, Cc).
  const std::vector<std::string>* recipients = nullptr;
  const links::UrlVerdicts* verdicts = nullptr;  // may be null
};

// Fills `report.reasons` and `report.sinks` from `findings`.
void JudgePage(const HtmlFindings& findings, const PageContext& context,
               PartReport& report);

}  // namespace lureguard::mail::internal

#endif  // LUREGUARD_SERVER_MAIL_INTERNAL_CONTENT_SIGNALS_H_
