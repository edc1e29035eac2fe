#include "server/service/feeds_config.h"

#include <string>

#include "gtest/gtest.h"
#include "server/service/config.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

TEST(FeedsConfig, TheMinimumIntervalDefaultsToAMinuteWithinBounds) {
  EXPECT_EQ(FeedMinInterval(ParseConfig("")), absl::Minutes(1));
  EXPECT_EQ(
      FeedMinInterval(ParseConfig("feeds { min_interval { seconds: 2 } }")),
      absl::Seconds(2));
  EXPECT_TRUE(
      ValidateFeedsConfig(ParseConfig("feeds { min_interval { seconds: 1 } }"))
          .ok());
  EXPECT_EQ(ValidateFeedsConfig(
                ParseConfig("feeds { min_interval { nanos: 500000000 } }")),
            absl::InvalidArgumentError(
                "feeds.min_interval: 500ms is outside [1s, 1h]"));
  // The whole config is refused the same way at start.
  EXPECT_EQ(
      ValidateConfig(ParseConfig("feeds { min_interval { seconds: 7200 } }")),
      absl::InvalidArgumentError("feeds.min_interval: 2h is outside [1s, 1h]"));
}

}  // namespace
}  // namespace lureguard::service
