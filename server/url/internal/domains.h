// Registrable domains (libpsl), the Unicode display form of a host, and
// per-label scripts (ICU). Implemented in domains.cc.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_DOMAINS_H_
#define LUREGUARD_SERVER_URL_INTERNAL_DOMAINS_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/url/url.h"

namespace lureguard::url::internal {

// Sets `*registrable` (eTLD+1) and `*suffix` (public suffix) of a canonical
// domain; both empty for IP hosts.
void ComputeDomainParts(std::string_view host, HostKind kind,
                        std::string* registrable, std::string* suffix);

// UTS #46 ToUnicode of a canonical host; the ASCII host itself when it has
// no "xn--" label or a label does not decode.
void ComputeUnicodeHost(std::string_view host, HostKind kind,
                        std::string* unicode);

// One HostLabel per label of `unicode_host`; none for IP hosts.
void ComputeLabels(std::string_view unicode_host, HostKind kind,
                   std::vector<HostLabel>* labels);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_DOMAINS_H_
