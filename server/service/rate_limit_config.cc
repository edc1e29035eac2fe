#include "server/service/rate_limit_config.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace lureguard::service {

absl::Status ValidateRateLimit(absl::string_view field,
                               const v1::RateLimit& config) {
  const double rate = config.requests_per_second();
  const double burst = config.burst();
  if (!(rate >= 0) || std::isinf(rate)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".requests_per_second: ", rate,
                     " must be finite and not negative"));
  }
  if (!(burst >= 0) || std::isinf(burst)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".burst: ", burst, " must be finite and not negative"));
  }
  if (config.has_burst() && rate > 0 && burst < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".burst: ", burst, " is below 1 with a positive rate"));
  }
  return absl::OkStatus();
}

auth::RateLimit RateLimitOrDefault(const v1::RateLimit& config,
                                   auth::RateLimit defaults) {
  auth::RateLimit limit = defaults;
  if (config.has_requests_per_second()) {
    limit.rate = config.requests_per_second();
  }
  if (config.has_burst()) limit.burst = config.burst();
  return limit;
}

}  // namespace lureguard::service
