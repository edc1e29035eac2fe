// Reads `ServerConfig.links` into the links engine's types: per-tenant
// policies, the click-token codec (secrets from key files, or a generated
// `<data_dir>/links.key`), and the request bounds.

#ifndef LUREGUARD_SERVER_SERVICE_LINKS_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_LINKS_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lureguard/v1/config.pb.h"
#include "server/links/click_token.h"
#include "server/links/link_policy.h"
#include "server/links/link_protector.h"

namespace lureguard::service {

// InvalidArgument naming the field ("links.tenants[0].policy.click_base_url:
// 'ftp://x' is not an http or https URL").
absl::Status ValidateLinksConfig(const v1::ServerConfig& config);

// The policies; `default_click_base` ("http://127.0.0.1:8080", the HTTP
// front's address) serves where no click_base_url is configured.
// REQUIRES: ValidateLinksConfig passed.
absl::StatusOr<links::LinkPolicies> LinkPoliciesFromConfig(
    const v1::LinksConfig& config, absl::string_view default_click_base);

// The codec over the configured signing keys (relative paths under
// `data_dir`), or over `<data_dir>/links.key`, created with mode 0600 on
// the first start, when none are configured. FailedPrecondition naming
// the file when a key cannot be read.
absl::StatusOr<links::ClickTokenCodec> ClickTokenCodecFromConfig(
    const v1::ServerConfig& config, absl::Duration lifetime);

// Request bounds, with their defaults.
links::LinkProtectorOptions LinkOptionsFromConfig(
    const v1::ServerConfig& config);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_LINKS_CONFIG_H_
