#include "server/lists/feed_manager.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/log.h"
#include "server/common/record_fields.h"
#include "server/common/resource_name.h"
#include "server/common/status_macros.h"
#include "server/lists/entry_value.h"
#include "server/lists/import_parser.h"
#include "server/url/url.h"

namespace lureguard::lists {
namespace {

constexpr char kCollection[] = "feed";
// How long the background thread sleeps when no feed is due sooner, so a
// feed changed by another process sharing the store is picked up.
constexpr absl::Duration kIdlePoll = absl::Minutes(1);
// The store lease that makes one replica the feed refresher, and how soon
// the others try to take it over.
constexpr char kFeedLease[] = "feed-refresh";
constexpr absl::Duration kLeaseRetry = absl::Seconds(1);

}  // namespace

absl::Status FeedManager::ValidateConfig(const FeedConfig& config) const {
  RETURN_IF_ERROR(ValidateResourceName(config.name));
  absl::StatusOr<url::ParsedUrl> parsed = url::ParseUrl(config.url);
  if (!parsed.ok() || config.url.find("://") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "url: '", config.url, "' is not an absolute http or https URL"));
  }
  RETURN_IF_ERROR(ImportParser::CheckFormat(config.format));
  if (config.interval < min_interval_ || config.interval > kMaxInterval) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interval: ", absl::FormatDuration(config.interval), " is outside [",
        absl::FormatDuration(min_interval_), ", 168h]"));
  }
  if (config.list != store::ListType::kBlock &&
      config.list != store::ListType::kAllow) {
    return absl::InvalidArgumentError("list: must be the block or allow list");
  }
  if (config.threat.has_value() &&
      *config.threat != store::ThreatType::kPhishing &&
      *config.threat != store::ThreatType::kMalware &&
      *config.threat != store::ThreatType::kUnwanted) {
    return absl::InvalidArgumentError(
        absl::StrCat("threat: ", static_cast<int>(*config.threat),
                     " is not phishing, malware or unwanted"));
  }
  return absl::OkStatus();
}

namespace {

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

}  // namespace

std::string EncodeFeedState(const FeedState& s) {
  RecordFieldWriter out;
  out.Text("name", s.config.name);
  out.Text("tenant", s.config.tenant);
  out.Text("url", s.config.url);
  out.Text("format", s.config.format);
  out.Number("interval_s", absl::ToInt64Seconds(s.config.interval));
  out.Number("enabled", s.config.enabled ? 1 : 0);
  out.Number("list", static_cast<int>(s.config.list));
  if (s.config.threat.has_value()) {
    out.Number("threat", static_cast<int>(*s.config.threat));
  }
  out.Number("create_us", Micros(s.create_time));
  out.Number("last_attempt_us", Micros(s.last_attempt_time));
  out.Number("last_success_us", Micros(s.last_success_time));
  out.Text("last_error", s.last_error);
  out.Number("entry_count", s.entry_count);
  out.Number("skipped_count", s.skipped_count);
  out.Number("consecutive_failures", s.consecutive_failures);
  out.Number("next_run_us", Micros(s.next_run_time));
  out.Text("etag", s.etag);
  out.Text("last_modified", s.last_modified);
  return std::move(out).Finish();
}

absl::StatusOr<FeedState> DecodeFeedState(absl::string_view payload) {
  FeedState s;
  absl::Status read = ForEachRecordField(
      payload, "feed record",
      [&s](absl::string_view key, const RecordField& field) {
        const std::string& value = field.text;
        const int64_t n = field.number;
        if (key == "name") {
          s.config.name = value;
        } else if (key == "tenant") {
          s.config.tenant = value;
        } else if (key == "url") {
          s.config.url = value;
        } else if (key == "format") {
          s.config.format = value;
        } else if (key == "last_error") {
          s.last_error = value;
        } else if (key == "etag") {
          s.etag = value;
        } else if (key == "last_modified") {
          s.last_modified = value;
        } else if (!field.is_number) {
          return;  // a text field of a newer version
        } else if (key == "interval_s") {
          s.config.interval = absl::Seconds(n);
        } else if (key == "enabled") {
          s.config.enabled = n != 0;
        } else if (key == "list") {
          s.config.list = static_cast<store::ListType>(n);
        } else if (key == "threat") {
          s.config.threat = static_cast<store::ThreatType>(n);
        } else if (key == "create_us") {
          s.create_time = absl::FromUnixMicros(n);
        } else if (key == "last_attempt_us") {
          s.last_attempt_time = absl::FromUnixMicros(n);
        } else if (key == "last_success_us") {
          s.last_success_time = absl::FromUnixMicros(n);
        } else if (key == "entry_count") {
          s.entry_count = n;
        } else if (key == "skipped_count") {
          s.skipped_count = n;
        } else if (key == "consecutive_failures") {
          s.consecutive_failures = static_cast<int>(n);
        } else if (key == "next_run_us") {
          s.next_run_time = absl::FromUnixMicros(n);
        }
      });
  if (!read.ok()) return read;
  if (s.config.name.empty()) {
    return absl::DataLossError("feed record: no name");
  }
  return s;
}

FeedManager::FeedManager(store::Store& store, FeedRefresher& refresher,
                         const Clock& clock, absl::Duration min_interval)
    : store_(store),
      refresher_(refresher),
      clock_(clock),
      min_interval_(min_interval) {}

FeedManager::~FeedManager() { Stop(); }

void FeedManager::Start() {
  thread_ = std::thread([this] { Run(); });
}

void FeedManager::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

store::StoredRecord FeedManager::Record(const FeedState& state) const {
  store::StoredRecord record;
  record.collection = kCollection;
  record.tenant = state.config.tenant;
  record.name = state.config.name;
  record.payload = EncodeFeedState(state);
  record.update_time = clock_.Now();
  record.version = state.record_version;
  return record;
}

absl::StatusOr<FeedState> FeedManager::Load(absl::string_view name,
                                            absl::string_view tenant) {
  ASSIGN_OR_RETURN(
      std::optional<store::StoredRecord> record,
      store_.GetRecord(kCollection, std::string(tenant), std::string(name)));
  if (!record.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "name: no feed '", name, "'",
        tenant.empty() ? "" : absl::StrCat(" of tenant ", tenant)));
  }
  absl::StatusOr<FeedState> state = DecodeFeedState(record->payload);
  if (state.ok()) state->record_version = record->version;
  return state;
}

absl::StatusOr<FeedState> FeedManager::Upsert(const FeedConfig& config) {
  RETURN_IF_ERROR(ValidateConfig(config));
  FeedState state;
  absl::StatusOr<FeedState> existing = Load(config.name, config.tenant);
  if (existing.ok()) {
    state = *std::move(existing);
  } else if (absl::IsNotFound(existing.status())) {
    state.create_time = clock_.Now();
  } else {
    return existing.status();
  }
  // A changed URL or format invalidates the validators of the old one.
  if (state.config.url != config.url || state.config.format != config.format) {
    state.etag.clear();
    state.last_modified.clear();
  }
  state.config = config;
  state.next_run_time = clock_.Now();
  state.consecutive_failures = 0;
  // An admin's configuration wins over any refresh in flight: written
  // whatever the version, it makes that refresh's conditional write fail.
  RETURN_IF_ERROR(store_.PutRecord(Record(state), false));
  ++state.record_version;
  absl::MutexLock lock(&mu_);
  wake_ = true;
  return state;
}

absl::Status FeedManager::Remove(absl::string_view name,
                                 absl::string_view tenant) {
  absl::MutexLock refresh_lock(&refresh_mu_);
  ASSIGN_OR_RETURN(FeedState state, Load(name, tenant));
  RETURN_IF_ERROR(store_
                      .DeleteRecord(kCollection, std::string(tenant),
                                    std::string(name), state.source())
                      .status());
  LogInfo("feed removed",
          {{"feed", name}, {"entries", absl::StrCat(state.entry_count)}});
  return absl::OkStatus();
}

absl::StatusOr<std::vector<FeedState>> FeedManager::List() {
  ASSIGN_OR_RETURN(std::vector<store::StoredRecord> records,
                   store_.ListRecords(kCollection));
  std::vector<FeedState> feeds;
  for (const store::StoredRecord& record : records) {
    ASSIGN_OR_RETURN(FeedState state, DecodeFeedState(record.payload));
    state.record_version = record.version;
    feeds.push_back(std::move(state));
  }
  return feeds;
}

absl::StatusOr<FeedState> FeedManager::RefreshNow(absl::string_view name,
                                                  absl::string_view tenant) {
  absl::MutexLock lock(&refresh_mu_);
  ASSIGN_OR_RETURN(FeedState state, Load(name, tenant));
  return Refresh(std::move(state));
}

absl::StatusOr<FeedState> FeedManager::Refresh(FeedState state) {
  FeedDefinition definition;
  definition.name = state.config.name;
  definition.url = state.config.url;
  definition.format = state.config.format;
  definition.etag = state.etag;
  definition.last_modified = state.last_modified;
  definition.consecutive_failures = state.consecutive_failures;
  definition.interval = state.config.interval;
  FeedRefreshResult result = refresher_.Refresh(definition);

  state.last_attempt_time = result.start_time;
  state.etag = result.etag;
  state.last_modified = result.last_modified;
  state.consecutive_failures = result.consecutive_failures;
  state.next_run_time = result.next_refresh_time;
  switch (result.outcome) {
    case FeedRefreshOutcome::kFailed: {
      state.last_error = std::string(result.status.message());
      LogWarning("feed refresh failed; its previous entries stay",
                 {{"feed", state.config.name}, {"error", state.last_error}});
      RETURN_IF_ERROR(store_.UpdateRecord(Record(state)));
      ++state.record_version;
      return state;
    }
    case FeedRefreshOutcome::kNotModified:
      state.last_error.clear();
      state.last_success_time = result.start_time;
      RETURN_IF_ERROR(store_.UpdateRecord(Record(state)));
      ++state.record_version;
      return state;
    case FeedRefreshOutcome::kUpdated:
      break;
  }

  std::vector<store::ListEntryRecord> entries;
  entries.reserve(result.import.entries.size());
  const std::string source = state.source();
  const std::string reason = absl::StrCat("listed by feed ", state.config.name);
  const store::ThreatType threat =
      state.config.threat.value_or(DefaultThreatType(result.import.format));
  for (EntryValue& value : result.import.entries) {
    store::ListEntryRecord& entry = entries.emplace_back();
    entry.list = state.config.list;
    entry.kind = value.kind;
    entry.threat = threat;
    entry.value = std::move(value.value);
    entry.reason = reason;
    entry.source = source;
    entry.tenant = state.config.tenant;
    entry.create_time = result.start_time;
  }
  state.last_error.clear();
  state.last_success_time = result.start_time;
  state.entry_count = static_cast<int64_t>(entries.size());
  state.skipped_count = result.import.skipped_count;
  ASSIGN_OR_RETURN(int64_t written,
                   store_.ReplaceSourceEntries(source, entries, Record(state)));
  ++state.record_version;
  LogInfo("feed refreshed", {{"feed", state.config.name},
                             {"entries", absl::StrCat(written)},
                             {"skipped", absl::StrCat(state.skipped_count)}});
  return state;
}

void FeedManager::Run() {
  while (true) {
    // A feed added through another replica is seen within an idle poll;
    // no longer than the shortest interval, so that a replica taking over
    // from a dead one knows its feeds within an interval of theirs.
    absl::Time next_wake = clock_.Now() + std::min(kIdlePoll, min_interval_);
    absl::StatusOr<std::vector<FeedState>> feeds = List();
    if (!feeds.ok()) {
      LogError("listing feeds failed", {{"error", feeds.status().ToString()}});
    } else {
      for (FeedState& feed : *feeds) {
        {
          absl::MutexLock lock(&mu_);
          if (stopping_) return;
        }
        if (!feed.config.enabled) continue;
        if (feed.next_run_time > clock_.Now()) {
          next_wake = std::min(next_wake, feed.next_run_time);
          continue;
        }
        // Of several replicas sharing the store, the holder of the lease
        // refreshes; the others look again soon, to take over if it dies.
        if (absl::StatusOr<bool> holder = store_.HoldLease(kFeedLease);
            !holder.ok() || !*holder) {
          next_wake = std::min(next_wake, clock_.Now() + kLeaseRetry);
          continue;
        }
        absl::MutexLock refresh_lock(&refresh_mu_);
        // Re-read under the refresh lock: RefreshNow or Remove may have
        // run since the listing.
        absl::StatusOr<FeedState> current =
            Load(feed.config.name, feed.config.tenant);
        if (!current.ok()) continue;
        if (current->next_run_time > clock_.Now()) {
          // Refreshed meanwhile (RefreshNow, or the creating call's first
          // refresh): wake when that refresh says, not an idle poll later.
          next_wake = std::min(next_wake, current->next_run_time);
          continue;
        }
        absl::StatusOr<FeedState> refreshed = Refresh(*std::move(current));
        if (absl::IsAborted(refreshed.status()) ||
            absl::IsNotFound(refreshed.status())) {
          // Another replica or an admin wrote or removed the feed during
          // the fetch: theirs is the newer state, ours is dropped. Look
          // again soon, at the state that won.
          LogInfo("feed refresh discarded: the feed changed meanwhile",
                  {{"feed", feed.config.name},
                   {"error", refreshed.status().ToString()}});
          next_wake = std::min(next_wake, clock_.Now() + kLeaseRetry);
          continue;
        }
        if (!refreshed.ok()) {
          LogError("feed refresh could not be stored",
                   {{"feed", feed.config.name},
                    {"error", refreshed.status().ToString()}});
          continue;
        }
        next_wake = std::min(next_wake, refreshed->next_run_time);
      }
    }
    absl::MutexLock lock(&mu_);
    auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || wake_;
    };
    mu_.AwaitWithTimeout(
        absl::Condition(&woken),
        std::max(absl::ZeroDuration(), next_wake - clock_.Now()));
    if (stopping_) return;
    wake_ = false;
  }
}

}  // namespace lureguard::lists
