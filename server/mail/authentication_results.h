// Parses Authentication-Results header fields (RFC 8601): which server
// evaluated the message (the authserv-id) and what SPF, DKIM and DMARC
// said, with their properties (header.from, smtp.mailfrom, header.d, ...).
//
// Anyone can write an Authentication-Results header into a message they
// send, so only fields whose authserv-id the operator trusts (its own
// receiving servers) carry any weight; the caller filters on
// `authserv_id`.
//
// Thread safety: pure functions.
//
// Example:
//   absl::StatusOr<AuthenticationResults> r = ParseAuthenticationResults(
//       "mx.acme.example; dmarc=fail (p=reject) header.from=paypal.com");
//   // r->authserv_id == "mx.acme.example"
//   // r->results[0].method == "dmarc", r->results[0].result == "fail"
//   // r->results[0].properties == {{"header.from", "paypal.com"}}

#ifndef LUREGUARD_SERVER_MAIL_AUTHENTICATION_RESULTS_H_
#define LUREGUARD_SERVER_MAIL_AUTHENTICATION_RESULTS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace lureguard::mail {

// One "method=result" with its properties, e.g. "dmarc=fail
// header.from=paypal.com". Method and result are lowercase; property
// names are lowercase ("header.from"), values as written (quotes removed).
struct AuthResult {
  std::string method;  // "spf", "dkim", "dmarc", "arc", "iprev", ...
  std::string result;  // "pass", "fail", "softfail", "none", "neutral", ...
  std::string reason;  // reason="..." when given
  std::vector<std::pair<std::string, std::string>> properties;

  // The value of property `name` ("header.from"), or "" when absent.
  std::string_view Property(std::string_view name) const;
};

// One Authentication-Results header field.
struct AuthenticationResults {
  std::string authserv_id;          // lowercase
  std::vector<AuthResult> results;  // empty for "authserv-id; none"
  // The rest of the value from the first malformed resinfo on, as written;
  // "" when the whole value was read. Kept so a caller can log what a
  // lenient parse skipped.
  std::string unparsed;
};

// Parses the value of one header field (unfolded or folded; RFC 5322
// comments in parentheses are skipped). InvalidArgument naming what is
// wrong when there is no authserv-id; a malformed resinfo after valid ones
// ends the list (the valid ones are kept), as lenient receivers do.
// Values longer than 64 KiB are refused.
//
// Microsoft 365 writes its field without an authserv-id ("spf=pass
// (sender IP is 192.0.2.1) smtp.mailfrom=contoso.com; dkim=none ...");
// a value that starts with "method=" is read that way, with an empty
// authserv_id, so a caller trusts it only when it knows Microsoft stamped
// it. The version number after the authserv-id is read and not kept (only
// version 1 exists).
absl::StatusOr<AuthenticationResults> ParseAuthenticationResults(
    std::string_view value);

}  // namespace lureguard::mail

#endif  // LUREGUARD_SERVER_MAIL_AUTHENTICATION_RESULTS_H_
