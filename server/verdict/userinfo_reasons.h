// A brand's name in a URL's user info: "https://paypal.com@evil.example/"
// puts PayPal's domain where a reader looks for the host, and the browser
// goes to evil.example. URL_USERINFO alone (0.4) says only that a user
// name is there; these reasons say whose name it is.

#ifndef LUREGUARD_SERVER_VERDICT_USERINFO_REASONS_H_
#define LUREGUARD_SERVER_VERDICT_USERINFO_REASONS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/lookalike/brand_index.h"
#include "server/url/url.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

// The host a URL's user info shows before its '@', as a reader would take
// it: the user name percent-decoded, up to the first byte that cannot be
// in a host name ("paypal.com:443@", "appleid.apple.com&session=1@",
// "www.paypal.com%5c@"), canonicalized. Empty when that is no host of two
// labels or more.
std::string UserinfoHost(const url::ParsedUrl& parsed);

// For a URL whose user info shows a host: LOOKALIKE_TARGET_EMBEDDING
// (technique "userinfo", weight 0.9) when that host is, or lies under, a
// brand's official domain and the URL's own host does not; else the
// lookalike reasons that host would get as a host, their technique
// prefixed "userinfo-". Nothing for a URL without such user info.
std::vector<Reason> UserinfoBrandReasons(const url::UrlAnalysis& url,
                                         const lookalike::BrandIndex& brands,
                                         absl::string_view tenant);

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_USERINFO_REASONS_H_
