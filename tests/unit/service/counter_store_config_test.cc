#include "server/service/counter_store_config.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/service/config.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string Error(const std::string& text) {
  absl::Status status = ValidateConfig(ParseConfig(text));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
  return std::string(status.message());
}

TEST(CounterStoreConfig, DefaultsAreInMemoryAndDocumented) {
  v1::ServerConfig config = ParseConfig("data_dir: \"/srv/lg\"");
  EXPECT_TRUE(ValidateConfig(config).ok());
  EXPECT_EQ(config.counter_store().url(), "");
  EXPECT_EQ(config.counter_store().key_prefix(), "lureguard:login:");
  EXPECT_EQ(config.counter_store().pool_size(), 4);
  EXPECT_EQ(config.counter_store().connect_timeout().nanos(), 200'000'000);
  EXPECT_EQ(config.counter_store().command_timeout().nanos(), 200'000'000);
  EXPECT_EQ(config.counter_store().reconnect_backoff_max().seconds(), 5);
  EXPECT_FALSE(config.counter_store().fail_open());
  EXPECT_EQ(CounterKeyFile(config), "/srv/lg/login.key");

  login::RedisCounterStore* redis = nullptr;
  absl::StatusOr<std::unique_ptr<login::CounterStore>> store =
      CounterStoreFromConfig(config, std::string(32, 'k'), SystemClock(),
                             &redis);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(redis, nullptr);
}

TEST(CounterStoreConfig, ARedisUrlNeedsTheSharedKeyFile) {
  EXPECT_EQ(Error(R"pb(counter_store { url: "redis://10.0.0.5:6379/0" })pb"),
            "counter_store.key_file: is required with a Redis url: every "
            "replica must hash usernames under the same key");
  v1::ServerConfig config =
      ParseConfig(R"pb(counter_store {
                         url: "redis://10.0.0.5:6379/0"
                         key_file: "/etc/lureguard/login.key"
                       })pb");
  EXPECT_TRUE(ValidateConfig(config).ok());
  EXPECT_EQ(CounterKeyFile(config), "/etc/lureguard/login.key");
  login::RedisCounterStore* redis = nullptr;
  absl::StatusOr<std::unique_ptr<login::CounterStore>> store =
      CounterStoreFromConfig(config, std::string(32, 'k'), SystemClock(),
                             &redis);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(redis, store->get());
}

TEST(CounterStoreConfig, ErrorsNameTheField) {
  EXPECT_THAT(Error(R"pb(counter_store { url: "memcached://x" })pb"),
              StartsWith("counter_store.url: 'memcached://x' is not a "
                         "redis://"));
  EXPECT_THAT(Error(R"pb(counter_store { url: "rediss://x:6380" })pb"),
              StartsWith("counter_store.url: 'rediss://x:6380' asks for TLS"));
  // A password never appears in the message.
  EXPECT_THAT(Error(R"pb(counter_store { url: "redis://:hunter2@x:99999" })pb"),
              AllOf(StartsWith("counter_store.url: has a port outside"),
                    Not(HasSubstr("hunter2"))));
  EXPECT_THAT(Error(R"pb(counter_store {
                           key_file: "/k"
                           command_timeout { seconds: 30 }
                         })pb"),
              StartsWith("counter_store.command_timeout: 30s is outside "
                         "[1ms, 10s]"));
  EXPECT_THAT(Error(R"pb(counter_store { connect_timeout { nanos: 1000 } })pb"),
              StartsWith("counter_store.connect_timeout: 1us is outside"));
  EXPECT_THAT(Error(R"pb(counter_store { pool_size: 65 })pb"),
              StartsWith("counter_store.pool_size: 65 is outside [1, 64]"));
  EXPECT_THAT(Error(R"pb(counter_store {
                           reconnect_backoff_max { nanos: 1000000 }
                         })pb"),
              StartsWith("counter_store.reconnect_backoff_max: 1ms is "
                         "outside [100ms, 5m]"));
}

TEST(CounterStoreConfig, PrintedUrlsHideThePassword) {
  EXPECT_EQ(RedactedCounterStoreUrl("redis://:hunter2@redis:6379/0"),
            "redis://:****@redis:6379/0");
  EXPECT_EQ(RedactedCounterStoreUrl("redis://lg:hunter2@redis:6379"),
            "redis://lg:****@redis:6379");
  EXPECT_EQ(RedactedCounterStoreUrl("redis://redis:6379"),
            "redis://redis:6379");
  EXPECT_EQ(RedactedCounterStoreUrl(""), "");
}

}  // namespace
}  // namespace lureguard::service
