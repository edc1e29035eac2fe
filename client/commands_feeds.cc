// lureguard feeds add|ls|rm|refresh|status.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/call.h"
#include "client/command.h"
#include "client/duration.h"
#include "client/output.h"
#include "client/threat_type.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::Feed;

std::string Never(const google::protobuf::Timestamp& t, bool has) {
  return has ? FormatTimestamp(t) : "never";
}

// The feed's threat type; "auto" when the format found on each refresh
// decides it (an "auto" feed without --threat).
std::string FeedThreat(const Feed& feed) {
  return feed.threat_type() == lureguard::v1::THREAT_TYPE_UNSPECIFIED
             ? "auto"
             : ThreatTypeFlagName(feed.threat_type());
}

// One row per feed: what an admin checks first when a feed misbehaves.
const std::vector<std::string> kFeedColumns = {
    "NAME",         "FORMAT",   "THREAT", "ENTRIES",
    "LAST SUCCESS", "NEXT RUN", "ERROR",  "URL"};

std::vector<std::string> FeedRow(const Feed& feed) {
  const lureguard::v1::FeedStatus& s = feed.status();
  return {feed.tenant().empty() ? feed.name()
                                : absl::StrCat(feed.tenant(), "/", feed.name()),
          feed.format(),
          FeedThreat(feed),
          absl::StrCat(s.entry_count()),
          Never(s.last_success_time(), s.has_last_success_time()),
          feed.disabled() ? "disabled"
                          : Never(s.next_run_time(), s.has_next_run_time()),
          s.last_error().empty() ? "-" : s.last_error(),
          feed.url()};
}

int WriteFeed(const CommandContext& ctx, const Feed& feed) {
  TableWriter table(ctx.out, kFeedColumns);
  const int code =
      WriteRecords(ctx, table, std::span<const Feed>(&feed, 1), FeedRow);
  // A refresh that failed is data, but a script wants to know.
  if (code == kExitOk && !feed.status().last_error().empty()) {
    ctx.err << "error: feed '" << feed.name()
            << "' refresh failed: " << feed.status().last_error() << "\n";
    return kExitServerError;
  }
  return code;
}

}  // namespace

int RunFeedsAdd(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::CreateFeedRequest request;
  Feed& feed = *request.mutable_feed();
  feed.set_name(cl.args[0]);
  if (!cl.Has("url")) return ctx.UsageError("feeds add: --url is required");
  feed.set_url(cl.Get("url"));
  feed.set_format(cl.Has("format") ? cl.Get("format") : "auto");
  feed.set_tenant(cl.Get("tenant"));
  feed.set_disabled(cl.Has("disabled"));
  if (cl.Get("list") == "allow") {
    feed.set_list(lureguard::v1::ALLOWLIST);
  } else if (cl.Has("list") && cl.Get("list") != "block") {
    return ctx.UsageError(
        absl::StrCat("--list: '", cl.Get("list"), "' is not block or allow"));
  }
  if (cl.Has("threat")) {
    absl::StatusOr<lureguard::v1::ThreatType> threat =
        ThreatTypeFromFlag(cl.Get("threat"));
    if (!threat.ok()) return ctx.UsageError(threat.status().message());
    feed.set_threat_type(*threat);
  }
  if (cl.Has("interval")) {
    absl::StatusOr<absl::Duration> interval =
        ParseCliDuration(cl.Get("interval"));
    if (!interval.ok()) {
      return ctx.UsageError(
          absl::StrCat("--interval: ", interval.status().message()));
    }
    feed.mutable_interval()->set_seconds(absl::ToInt64Seconds(*interval));
  }
  // The first refresh runs inside the call: give it a feed fetch's time.
  Feed created;
  if (int code = CallUnary(ctx, &AdminService::Stub::CreateFeed, request,
                           created, CallLength::kLong);
      code != kExitOk) {
    return code;
  }
  return WriteFeed(ctx, created);
}

int RunFeedsLs(const CommandContext& ctx) {
  return ListAll(ctx, &AdminService::Stub::ListFeeds,
                 lureguard::v1::ListFeedsRequest(),
                 &lureguard::v1::ListFeedsResponse::feeds, kFeedColumns,
                 FeedRow, "no feeds");
}

int RunFeedsRm(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::DeleteFeedRequest request;
  request.set_name(cl.args[0]);
  request.set_tenant(cl.Get("tenant"));
  lureguard::v1::DeleteFeedResponse response;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::DeleteFeed, request, response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  ctx.out << "deleted feed " << cl.args[0] << " and its "
          << response.deleted_entry_count() << " entries\n";
  return kExitOk;
}

int RunFeedsRefresh(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::RefreshFeedRequest request;
  request.set_name(cl.args[0]);
  request.set_tenant(cl.Get("tenant"));
  Feed feed;
  if (int code = CallUnary(ctx, &AdminService::Stub::RefreshFeed, request, feed,
                           CallLength::kLong);
      code != kExitOk) {
    return code;
  }
  return WriteFeed(ctx, feed);
}

int RunFeedsStatus(const CommandContext& ctx) {
  lureguard::v1::ListFeedsResponse response;
  if (int code = CallUnary(ctx, &AdminService::Stub::ListFeeds,
                           lureguard::v1::ListFeedsRequest(), response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJsonLines(ctx, response.feeds());
  }
  for (const Feed& feed : response.feeds()) {
    const lureguard::v1::FeedStatus& s = feed.status();
    WriteKeyValues(
        {{"name", feed.name()},
         {"tenant", feed.tenant().empty() ? "(global)" : feed.tenant()},
         {"url", feed.url()},
         {"format", feed.format()},
         {"threat", FeedThreat(feed)},
         {"interval", absl::StrCat(feed.interval().seconds(), "s")},
         {"enabled", feed.disabled() ? "no" : "yes"},
         {"entries", absl::StrCat(s.entry_count())},
         {"skipped lines", absl::StrCat(s.skipped_count())},
         {"last attempt",
          Never(s.last_attempt_time(), s.has_last_attempt_time())},
         {"last success",
          Never(s.last_success_time(), s.has_last_success_time())},
         {"last error", s.last_error().empty() ? "-" : s.last_error()},
         {"consecutive failures", absl::StrCat(s.consecutive_failures())},
         {"next run", Never(s.next_run_time(), s.has_next_run_time())}},
        ctx.out);
    ctx.out << "\n";
  }
  return kExitOk;
}

}  // namespace lureguard::cli
