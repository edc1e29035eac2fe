// Internationalized domain names: UTS #46 processing through ICU, with the
// options the WHATWG URL Standard's "domain to ASCII" uses for URLs
// (beStrict = false).

#ifndef LUREGUARD_SERVER_URL_INTERNAL_IDNA_H_
#define LUREGUARD_SERVER_URL_INTERNAL_IDNA_H_

#include <string>
#include <string_view>

namespace lureguard::url::internal {

// True when `domain` is ASCII and has no label starting with "xn--" (any
// case), so its Unicode form is itself.
bool IsPlainAsciiDomain(std::string_view domain);

// The Standard's "domain to ASCII" with beStrict = false. An ASCII domain
// is only lowercased, even with "xn--" labels that are not valid IDNA
// (whatwg/url PR 914, web-platform-tests PR 60476: browsers contact them
// as written). Other input goes through UTS #46 ToASCII, nontransitional,
// CheckBidi and CheckJoiners on, CheckHyphens, UseSTD3ASCIIRules and
// VerifyDnsLength off; `domain` is UTF-8 and invalid sequences fail.
// Replaces `*out`; false on failure or an empty result.
bool DomainToAscii(std::string_view domain, std::string* out);

// UTS #46 ToUnicode with the same options, for display. Replaces `*out`;
// false (and `*out` unspecified) when a label is not valid.
bool DomainToUnicode(std::string_view domain, std::string* out);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_IDNA_H_
