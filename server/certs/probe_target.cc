#include "server/certs/probe_target.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/url/url.h"

namespace lureguard::certs {

ProbeTarget ProbeTargetOf(absl::string_view canonical_host, int port) {
  if (absl::StartsWith(canonical_host, "[") &&
      absl::EndsWith(canonical_host, "]")) {
    canonical_host.remove_prefix(1);
    canonical_host.remove_suffix(1);
  }
  return {.host = std::string(canonical_host), .port = port > 0 ? port : 443};
}

absl::StatusOr<ProbeTarget> ParseProbeTarget(absl::string_view host, int port) {
  if (host.empty()) return absl::InvalidArgumentError("host: is required");
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("port: ", port, " is outside [1, 65535]"));
  }
  absl::StatusOr<std::string> canonical =
      url::CanonicalizeHost(std::string_view(host.data(), host.size()));
  if (!canonical.ok()) return InField("host", canonical.status());
  return ProbeTargetOf(*canonical, port);
}

}  // namespace lureguard::certs
