#include "server/service/counter_store_config.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/login/internal/redis_client.h"
#include "server/login/sliding_window_counters.h"
#include "server/service/convert.h"

namespace lureguard::service {
namespace {

constexpr char kDefaultKeyPrefix[] = "lureguard:login:";

absl::Status CheckRange(absl::string_view field,
                        const google::protobuf::Duration& value,
                        absl::Duration low, absl::Duration high) {
  const absl::Duration d = FromProto(value);
  if (d < low || d > high) {
    return absl::InvalidArgumentError(absl::StrCat(
        "counter_store.", field, ": ", absl::FormatDuration(d), " is outside [",
        absl::FormatDuration(low), ", ", absl::FormatDuration(high), "]"));
  }
  return absl::OkStatus();
}

void SetDefault(google::protobuf::Duration* field, bool present,
                absl::Duration value) {
  if (present) return;
  field->set_seconds(absl::ToInt64Seconds(value));
  field->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(
      value - absl::Seconds(absl::ToInt64Seconds(value)))));
}

}  // namespace

void ApplyCounterStoreDefaults(v1::ServerConfig& config) {
  v1::CounterStoreConfig& store = *config.mutable_counter_store();
  const login::RedisCounterStore::Options defaults;
  SetDefault(store.mutable_connect_timeout(), store.has_connect_timeout(),
             defaults.connect_timeout);
  SetDefault(store.mutable_command_timeout(), store.has_command_timeout(),
             defaults.command_timeout);
  SetDefault(store.mutable_reconnect_backoff_max(),
             store.has_reconnect_backoff_max(), defaults.backoff_max);
  if (store.key_prefix().empty()) store.set_key_prefix(kDefaultKeyPrefix);
  if (store.pool_size() == 0) store.set_pool_size(defaults.pool_size);
}

absl::Status ValidateCounterStoreConfig(const v1::ServerConfig& config) {
  const v1::CounterStoreConfig& store = config.counter_store();
  if (!store.url().empty()) {
    ASSIGN_OR_RETURN(
        login::internal::RedisEndpoint endpoint,
        login::internal::ParseRedisUrl("counter_store.url", store.url()));
    if (store.key_file().empty()) {
      return absl::InvalidArgumentError(
          "counter_store.key_file: is required with a Redis url: every "
          "replica must hash usernames under the same key");
    }
  }
  RETURN_IF_ERROR(CheckRange("connect_timeout", store.connect_timeout(),
                             absl::Milliseconds(1), absl::Seconds(10)));
  RETURN_IF_ERROR(CheckRange("command_timeout", store.command_timeout(),
                             absl::Milliseconds(1), absl::Seconds(10)));
  if (absl::Status s =
          CheckRange("reconnect_backoff_max", store.reconnect_backoff_max(),
                     absl::Milliseconds(100), absl::Minutes(5));
      !s.ok()) {
    return s;
  }
  if (store.pool_size() < 1 || store.pool_size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "counter_store.pool_size: ", store.pool_size(), " is outside [1, 64]"));
  }
  if (store.key_prefix().size() > 256) {
    return absl::InvalidArgumentError(
        "counter_store.key_prefix: is longer than 256 bytes");
  }
  return absl::OkStatus();
}

std::string RedactedCounterStoreUrl(const std::string& url) {
  const size_t at = url.rfind('@');
  const size_t scheme = url.find("://");
  if (at == std::string::npos || scheme == std::string::npos || at < scheme) {
    return url;
  }
  const size_t colon = url.find(':', scheme + 3);
  const size_t from =
      colon != std::string::npos && colon < at ? colon + 1 : scheme + 3;
  return url.substr(0, from) + "****" + url.substr(at);
}

std::string CounterKeyFile(const v1::ServerConfig& config) {
  if (!config.counter_store().key_file().empty()) {
    return config.counter_store().key_file();
  }
  return (std::filesystem::path(config.data_dir()) / "login.key").string();
}

absl::StatusOr<std::unique_ptr<login::CounterStore>> CounterStoreFromConfig(
    const v1::ServerConfig& config, const std::string& hash_key,
    const Clock& clock, login::RedisCounterStore** redis) {
  *redis = nullptr;
  const v1::CounterStoreConfig& store = config.counter_store();
  if (store.url().empty()) {
    return std::make_unique<login::SlidingWindowCounters>(
        login::SlidingWindowCounters::Options{
            .max_bytes =
                static_cast<size_t>(config.login().counter_memory_bytes())});
  }
  login::RedisCounterStore::Options options;
  options.url = store.url();
  options.connect_timeout = FromProto(store.connect_timeout());
  options.command_timeout = FromProto(store.command_timeout());
  options.pool_size = store.pool_size();
  options.backoff_max = FromProto(store.reconnect_backoff_max());
  options.key_prefix = store.key_prefix();
  options.hash_key = hash_key;
  absl::StatusOr<std::unique_ptr<login::RedisCounterStore>> made =
      login::RedisCounterStore::Create(options, clock);
  if (!made.ok()) {
    return absl::Status(
        made.status().code(),
        absl::StrCat("counter_store.", made.status().message()));
  }
  *redis = made->get();
  return std::unique_ptr<login::CounterStore>(*std::move(made));
}

}  // namespace lureguard::service
