// The admin side of feeds: what an admin's create, delete and refresh of a
// feed do beyond FeedManager's own work. A created feed is refreshed at
// once, so the caller learns whether its URL and format work; a deleted
// feed reports how many entries went with it; and each call writes one
// audit record (what the feed was before, what it is after) in the
// transaction of its first change, for an auth::Caller.
//
// Like ListAdmin it commits and returns; the gRPC layer waits for the
// publish within the call's deadline.
//
// Thread safety: safe for concurrent use (FeedManager is).
//
// Example:
//   FeedAdmin admin(feeds, SystemClock());
//   absl::StatusOr<FeedState> created = admin.Put(
//       caller, {.name = "openphish", .url =
//       "https://openphish.com/feed.txt"});
//   absl::StatusOr<int64_t> removed = admin.Remove(caller, "openphish", "");

#ifndef LUREGUARD_SERVER_LISTS_FEED_ADMIN_H_
#define LUREGUARD_SERVER_LISTS_FEED_ADMIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/auth/caller.h"
#include "server/common/clock.h"
#include "server/lists/feed_manager.h"

namespace lureguard::lists {

class FeedAdmin {
 public:
  // `feeds` and `clock` must outlive the owner.
  FeedAdmin(FeedManager& feeds, const Clock& clock);

  // Creates the feed or replaces its configuration, then, when it is
  // enabled, refreshes it now (a failed fetch is a state with last_error,
  // not an error). InvalidArgument names the field under "feed: ", except
  // the tenant ("tenant: ...", common/tenant.h).
  absl::StatusOr<FeedState> Put(const auth::Caller& caller,
                                const FeedConfig& config);

  // Removes the feed and its entries; returns how many entries it had.
  // NotFound when there is no such feed.
  absl::StatusOr<int64_t> Remove(const auth::Caller& caller,
                                 const std::string& name,
                                 const std::string& tenant);

  // Refreshes the feed now and returns its new state. NotFound when there
  // is no such feed.
  absl::StatusOr<FeedState> Refresh(const auth::Caller& caller,
                                    const std::string& name,
                                    const std::string& tenant);

  // Every feed, ordered by tenant and name.
  absl::StatusOr<std::vector<FeedState>> List();

 private:
  FeedManager& feeds_;
  const Clock& clock_;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_FEED_ADMIN_H_
