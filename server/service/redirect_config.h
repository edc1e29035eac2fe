// Reads `ServerConfig.redirects` into the redirect resolver's options.

#ifndef LUREGUARD_SERVER_SERVICE_REDIRECT_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_REDIRECT_CONFIG_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lureguard/v1/config.pb.h"
#include "server/redirects/redirect_resolver.h"

namespace lureguard::service {

// InvalidArgument naming the field ("redirects.max_hops: 0 is outside
// [1, 20]", "redirects.redirectors[2]: 'bit ly' is not a host name").
absl::Status ValidateRedirectConfig(const v1::ServerConfig& config);

// Where an HTML page sends the reader by itself (RedirectOptions::
// page_redirect): its meta refresh, read the way mail attachments are read
// (mail/html_inspector.h), so a <noscript> fallback and <base href> count
// as a browser counts them; "" when it has none.
std::string MetaRefreshTarget(std::string_view html);

// The options, defaults filled in. REQUIRES: ValidateRedirectConfig passed.
redirects::RedirectOptions RedirectOptionsFromConfig(
    const v1::ServerConfig& config);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_REDIRECT_CONFIG_H_
