#include "server/service/feeds_config.h"

#include "absl/strings/str_cat.h"
#include "server/lists/feed_manager.h"

namespace lureguard::service {
namespace {

// Below a second the lease retry (1 s) dominates anyway; above an hour an
// admin could not set PhishTank's hourly publishing interval.
constexpr absl::Duration kLowest = absl::Seconds(1);
constexpr absl::Duration kHighest = absl::Hours(1);

}  // namespace

void ApplyFeedsDefaults(v1::ServerConfig& config) {
  v1::FeedsConfig& feeds = *config.mutable_feeds();
  if (!feeds.has_min_interval()) {
    feeds.mutable_min_interval()->set_seconds(
        absl::ToInt64Seconds(lists::FeedManager::kMinInterval));
  }
}

absl::Status ValidateFeedsConfig(const v1::ServerConfig& config) {
  const absl::Duration min_interval = FeedMinInterval(config);
  if (min_interval < kLowest || min_interval > kHighest) {
    return absl::InvalidArgumentError(
        absl::StrCat("feeds.min_interval: ", absl::FormatDuration(min_interval),
                     " is outside [1s, 1h]"));
  }
  return absl::OkStatus();
}

absl::Duration FeedMinInterval(const v1::ServerConfig& config) {
  const google::protobuf::Duration& d = config.feeds().min_interval();
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace lureguard::service
