// Token-bucket settings of the config (lureguard.v1.RateLimit) read into
// auth::RateLimit, for the limits below the API key's own (beacon hits,
// click POSTs), whose unset fields take each caller's defaults.

#ifndef LUREGUARD_SERVER_SERVICE_RATE_LIMIT_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_RATE_LIMIT_CONFIG_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lureguard/v1/config.pb.h"
#include "server/auth/rate_limiter.h"

namespace lureguard::service {

// InvalidArgument naming `field` ("links.click_rate_per_ip.burst: ...")
// for a negative or infinite rate or burst, or a burst below 1 with a
// positive rate.
absl::Status ValidateRateLimit(absl::string_view field,
                               const v1::RateLimit& config);

// `config`'s fields where set, `defaults`' where not.
auth::RateLimit RateLimitOrDefault(const v1::RateLimit& config,
                                   auth::RateLimit defaults);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_RATE_LIMIT_CONFIG_H_
