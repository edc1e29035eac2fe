// What the wrapper decoders share, ours (server/links click URLs) too:
// finding a candidate wrapper URL cheaply without letting an obfuscated
// host slip past, reading a parameter, and the base of the vendors'
// decoders, which all know their hosts by one marker.

#ifndef LUREGUARD_SERVER_REDIRECTS_WRAPPER_URL_H_
#define LUREGUARD_SERVER_REDIRECTS_WRAPPER_URL_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "server/redirects/unwrap.h"
#include "server/url/url.h"

namespace lureguard::redirects {

// Parses `url` (WHATWG, through the URL engine) unless its host plainly
// cannot contain `host_marker` (ASCII, case-insensitive). Every link of a
// mail meets every decoder, so most are turned away without parsing; a host
// written in a form the parser rewrites (percent escapes, non-ASCII, tabs,
// backslashes) is always parsed, so "safelinks.protection.outlook.co%6D"
// is still recognised. std::nullopt: not a candidate or not an http(s) URL.
std::optional<url::ParsedUrl> ParseCandidate(std::string_view url,
                                             std::string_view host_marker);

// True when the parsed host is `domain` or, with `subdomains`, a host under
// it; a trailing dot on the host is ignored. REQUIRES: `domain` lowercase.
bool HostMatches(const url::ParsedUrl& parsed, std::string_view domain,
                 bool subdomains);

// The raw value of the first `name=` parameter of a query (the part after
// '?', '&'-separated), undecoded; std::nullopt when absent.
std::optional<std::string_view> QueryParameter(std::string_view query,
                                               std::string_view name);

// InvalidArgument "<wrapper>: <why>": how every decoder reports a
// malformed wrapper.
absl::Status Malformed(std::string_view wrapper, std::string_view why);

// True when `text` starts with "http://" or "https://" (any case): what a
// decoded target must be.
bool IsHttpUrl(std::string_view text);

// A WrapperDecoder whose URLs all have `host_marker` (a domain such as
// "protection.sophos.com", or a prefix such as "google.") in their host:
// it names itself and answers MayWrapHost by the marker; Decode, the
// format itself, is the subclass's.
class MarkedHostDecoder : public WrapperDecoder {
 public:
  // Both strings must outlive the decoder (literals, in practice).
  MarkedHostDecoder(std::string_view name, std::string_view host_marker)
      : name_(name), host_marker_(host_marker) {}

  std::string_view name() const final { return name_; }

  bool MayWrapHost(std::string_view host) const final {
    return host.find(host_marker_) != std::string_view::npos;
  }

 protected:
  // `url` parsed when its host may hold the marker (ParseCandidate).
  std::optional<url::ParsedUrl> ParseCandidate(std::string_view url) const {
    return redirects::ParseCandidate(url, host_marker_);
  }

 private:
  std::string_view name_;
  std::string_view host_marker_;
};

}  // namespace lureguard::redirects

#endif  // LUREGUARD_SERVER_REDIRECTS_WRAPPER_URL_H_
