#include "server/service/http_limits.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/service/config.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

std::string Error(const std::string& text) {
  absl::Status status = ValidateConfig(ParseConfig(text));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
  return std::string(status.message());
}

TEST(HttpLimits, DefaultsAreTheDocumentedOnes) {
  v1::ServerConfig config = ParseConfig("");
  ASSERT_TRUE(ValidateConfig(config).ok());
  const HttpLimits limits = HttpLimitsFromConfig(config.http());
  EXPECT_EQ(limits.header_timeout, absl::Seconds(10));
  EXPECT_EQ(limits.body_timeout, absl::Seconds(10));
  EXPECT_EQ(limits.write_timeout, absl::Seconds(10));
  EXPECT_EQ(limits.idle_timeout, absl::Seconds(5));
  EXPECT_EQ(limits.max_header_bytes, 16384u);
  EXPECT_EQ(limits.max_header_count, 100u);
  EXPECT_EQ(limits.max_body_bytes, 65536u);
  EXPECT_EQ(limits.max_connections, 10000u);
  EXPECT_EQ(limits.max_connections_per_ip, 1024u);
  EXPECT_EQ(limits.handler_threads, 8);
  EXPECT_EQ(limits.io_threads, 2);
}

TEST(HttpLimits, TheConfigSetsEachLimit) {
  v1::ServerConfig config = ParseConfig(R"pb(
    http {
      header_timeout { nanos: 500000000 }
      body_timeout { seconds: 3 }
      write_timeout { seconds: 4 }
      read_timeout { seconds: 30 }
      max_header_bytes: 4096
      max_header_count: 20
      max_body_bytes: 1000
      max_connections: 50
      max_connections_per_ip: 5
      threads: 3
      io_threads: 1
    }
  )pb");
  ASSERT_TRUE(ValidateConfig(config).ok());
  const HttpLimits limits = HttpLimitsFromConfig(config.http());
  EXPECT_EQ(limits.header_timeout, absl::Milliseconds(500));
  EXPECT_EQ(limits.body_timeout, absl::Seconds(3));
  EXPECT_EQ(limits.write_timeout, absl::Seconds(4));
  EXPECT_EQ(limits.idle_timeout, absl::Seconds(30));
  EXPECT_EQ(limits.max_header_bytes, 4096u);
  EXPECT_EQ(limits.max_header_count, 20u);
  EXPECT_EQ(limits.max_body_bytes, 1000u);
  EXPECT_EQ(limits.max_connections, 50u);
  EXPECT_EQ(limits.max_connections_per_ip, 5u);
  EXPECT_EQ(limits.handler_threads, 3);
  EXPECT_EQ(limits.io_threads, 1);
}

TEST(HttpLimits, ErrorsNameTheFieldAndTheRange) {
  EXPECT_EQ(Error("http { header_timeout { nanos: 50000000 } }"),
            "http.header_timeout: 50ms is outside [100ms, 1h]");
  EXPECT_EQ(Error("http { body_timeout { seconds: 7200 } }"),
            "http.body_timeout: 2h is outside [100ms, 1h]");
  EXPECT_EQ(Error("http { write_timeout { seconds: -1 } }"),
            "http.write_timeout: -1s is outside [100ms, 1h]");
  EXPECT_EQ(Error("http { max_header_bytes: 100 }"),
            "http.max_header_bytes: 100 is outside [1024, 1048576]");
  EXPECT_EQ(Error("http { max_header_count: -5 }"),
            "http.max_header_count: -5 is outside [8, 10000]");
  EXPECT_EQ(Error("http { max_body_bytes: 100000000 }"),
            "http.max_body_bytes: 100000000 is outside [1, 67108864]");
  EXPECT_EQ(Error("http { max_connections: -1 }"),
            "http.max_connections: -1 is outside [1, 1000000]");
  EXPECT_EQ(Error("http { max_connections_per_ip: -1 }"),
            "http.max_connections_per_ip: -1 is outside [1, 1000000]");
  EXPECT_EQ(Error("http { io_threads: 65 }"),
            "http.io_threads: 65 is outside [1, 64]");
}

TEST(HttpLimits, TheMetricsListenerHasSmallFixedOnes) {
  const HttpLimits limits = MetricsHttpLimits();
  EXPECT_EQ(limits.max_connections, 64u);
  EXPECT_EQ(limits.max_connections_per_ip, 16u);
  EXPECT_EQ(limits.handler_threads, 1);
}

}  // namespace
}  // namespace lureguard::service
