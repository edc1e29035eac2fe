// The `counter_store` section of ServerConfig: its defaults, its
// validation, and the counter store it names (in memory or Redis).

#ifndef LUREGUARD_SERVER_SERVICE_COUNTER_STORE_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_COUNTER_STORE_CONFIG_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lureguard/v1/config.pb.h"
#include "server/common/clock.h"
#include "server/login/counter_store.h"
#include "server/login/redis_counter_store.h"

namespace lureguard::service {

// Fills unset counter_store fields with their documented defaults (not
// `key_file`: its absence must stay visible to validation).
void ApplyCounterStoreDefaults(v1::ServerConfig& config);

// InvalidArgument naming the field: a URL that is not redis://, a Redis URL
// without key_file, a timeout or pool size out of range.
// REQUIRES: ApplyCounterStoreDefaults was called.
absl::Status ValidateCounterStoreConfig(const v1::ServerConfig& config);

// `url` with its password (if any) replaced by "****", for printing a
// config (`--check_config`) without its secrets.
std::string RedactedCounterStoreUrl(const std::string& url);

// The key file the login engine and the counters hash under.
std::string CounterKeyFile(const v1::ServerConfig& config);

// The store the config names, hashing under `hash_key` (the key file's
// contents). `*redis` is set to the Redis store when that is the one made
// (for its metrics), else null. REQUIRES: the config was validated.
absl::StatusOr<std::unique_ptr<login::CounterStore>> CounterStoreFromConfig(
    const v1::ServerConfig& config, const std::string& hash_key,
    const Clock& clock, login::RedisCounterStore** redis);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_COUNTER_STORE_CONFIG_H_
