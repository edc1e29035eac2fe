// Reads `ServerConfig.feeds` (the bounds on admin-configured feeds).

#ifndef LUREGUARD_SERVER_SERVICE_FEEDS_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_FEEDS_CONFIG_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "lureguard/v1/config.pb.h"

namespace lureguard::service {

// Fills in `feeds.min_interval` (1m) when unset.
void ApplyFeedsDefaults(v1::ServerConfig& config);

// InvalidArgument naming the field ("feeds.min_interval: 500ms is outside
// [1s, 1h]").
absl::Status ValidateFeedsConfig(const v1::ServerConfig& config);

// The shortest feed interval. REQUIRES: defaults applied.
absl::Duration FeedMinInterval(const v1::ServerConfig& config);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_FEEDS_CONFIG_H_
