#include "server/lists/feed_admin.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/status_macros.h"
#include "server/common/tenant.h"
#include "server/store/audit_scope.h"

namespace lureguard::lists {
namespace {

// The audit log's one-line summary of a feed's configuration.
std::string FeedSummary(const FeedConfig& feed) {
  return absl::StrCat(
      "url=", feed.url, " format=", feed.format,
      " interval=", absl::FormatDuration(feed.interval),
      feed.threat.has_value() ? " threat=" : "",
      feed.threat.has_value() ? store::ThreatTypeName(*feed.threat) : "",
      feed.enabled ? "" : " disabled");
}

// The feed `name` of `tenant` among `feeds`, if there.
std::optional<FeedState> Find(const std::vector<FeedState>& feeds,
                              const std::string& name,
                              const std::string& tenant) {
  for (const FeedState& feed : feeds) {
    if (feed.config.name == name && feed.config.tenant == tenant) return feed;
  }
  return std::nullopt;
}

std::string Target(const std::string& name) {
  return absl::StrCat("feed:", name);
}

}  // namespace

FeedAdmin::FeedAdmin(FeedManager& feeds, const Clock& clock)
    : feeds_(feeds), clock_(clock) {}

absl::StatusOr<FeedState> FeedAdmin::Put(const auth::Caller& caller,
                                         const FeedConfig& config) {
  RETURN_IF_ERROR(ValidateTenant(config.tenant));
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "CreateFeed", Target(config.name), config.tenant, clock_.Now()));
  // The "before" is best effort: a list that fails here fails the write too.
  if (absl::StatusOr<std::vector<FeedState>> feeds = feeds_.List();
      feeds.ok()) {
    if (std::optional<FeedState> old =
            Find(*feeds, config.name, config.tenant)) {
      audit.record().before = FeedSummary(old->config);
    }
  }
  audit.record().after = FeedSummary(config);
  absl::StatusOr<FeedState> state = feeds_.Upsert(config);
  if (!state.ok()) return InField("feed", state.status());
  if (!config.enabled) return state;
  // Refreshed under the same audit record: one admin action.
  return feeds_.RefreshNow(config.name, config.tenant);
}

absl::StatusOr<int64_t> FeedAdmin::Remove(const auth::Caller& caller,
                                          const std::string& name,
                                          const std::string& tenant) {
  if (name.empty()) return absl::InvalidArgumentError("name: is empty");
  ASSIGN_OR_RETURN(std::vector<FeedState> feeds, feeds_.List());
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "DeleteFeed", Target(name), tenant, clock_.Now()));
  const std::optional<FeedState> old = Find(feeds, name, tenant);
  if (old) audit.record().before = FeedSummary(old->config);
  RETURN_IF_ERROR(feeds_.Remove(name, tenant));
  return old ? old->entry_count : 0;
}

absl::StatusOr<FeedState> FeedAdmin::Refresh(const auth::Caller& caller,
                                             const std::string& name,
                                             const std::string& tenant) {
  if (name.empty()) return absl::InvalidArgumentError("name: is empty");
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "RefreshFeed", Target(name), tenant, clock_.Now()));
  audit.record().after = "refresh requested";
  return feeds_.RefreshNow(name, tenant);
}

absl::StatusOr<std::vector<FeedState>> FeedAdmin::List() {
  return feeds_.List();
}

}  // namespace lureguard::lists
