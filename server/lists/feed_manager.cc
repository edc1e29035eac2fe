#include "server/lists/feed_manager.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/log.h"
#include "server/lists/entry_value.h"
#include "server/lists/import_parser.h"
#include "server/url/url.h"

namespace lureguard::lists {
namespace {

constexpr char kCollection[] = "feed";
constexpr size_t kMaxNameLength = 64;
// How long the background thread sleeps when no feed is due sooner, so a
// feed changed by another process sharing the store is picked up.
constexpr absl::Duration kIdlePoll = absl::Minutes(1);

absl::Status ValidateConfig(const FeedConfig& config) {
  if (config.name.empty() || config.name.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: must be 1 to ", kMaxNameLength, " characters"));
  }
  for (size_t i = 0; i < config.name.size(); ++i) {
    const char c = config.name[i];
    const bool ok = absl::ascii_islower(c) || absl::ascii_isdigit(c) ||
                    (i > 0 && (c == '-' || c == '_' || c == '.'));
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "name: '", config.name,
          "' must be lowercase letters, digits, '-', '_' and '.', starting "
          "with a letter or digit"));
    }
  }
  absl::StatusOr<url::ParsedUrl> parsed = url::ParseUrl(config.url);
  if (!parsed.ok() || config.url.find("://") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "url: '", config.url, "' is not an absolute http or https URL"));
  }
  if (!ImportParser::IsKnownFormat(config.format)) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: unknown format '", config.format, "'"));
  }
  if (config.interval < FeedManager::kMinInterval ||
      config.interval > FeedManager::kMaxInterval) {
    return absl::InvalidArgumentError(
        absl::StrCat("interval: ", absl::FormatDuration(config.interval),
                     " is outside [1m, 168h]"));
  }
  if (config.list != store::ListType::kBlock &&
      config.list != store::ListType::kAllow) {
    return absl::InvalidArgumentError("list: must be the block or allow list");
  }
  return absl::OkStatus();
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

}  // namespace

std::string EncodeFeedState(const FeedState& s) {
  std::string out;
  auto field = [&out](absl::string_view key, absl::string_view value) {
    absl::StrAppend(&out, key, "=", absl::CEscape(value), "\n");
  };
  auto number = [&out](absl::string_view key, int64_t value) {
    absl::StrAppend(&out, key, "=", value, "\n");
  };
  field("name", s.config.name);
  field("tenant", s.config.tenant);
  field("url", s.config.url);
  field("format", s.config.format);
  number("interval_s", absl::ToInt64Seconds(s.config.interval));
  number("enabled", s.config.enabled ? 1 : 0);
  number("list", static_cast<int>(s.config.list));
  number("create_us", Micros(s.create_time));
  number("last_attempt_us", Micros(s.last_attempt_time));
  number("last_success_us", Micros(s.last_success_time));
  field("last_error", s.last_error);
  number("entry_count", s.entry_count);
  number("skipped_count", s.skipped_count);
  number("consecutive_failures", s.consecutive_failures);
  number("next_run_us", Micros(s.next_run_time));
  field("etag", s.etag);
  field("last_modified", s.last_modified);
  return out;
}

absl::StatusOr<FeedState> DecodeFeedState(absl::string_view payload) {
  FeedState s;
  for (absl::string_view line : absl::StrSplit(payload, '\n')) {
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::DataLossError(
          absl::StrCat("feed record: line without '=': ", line));
    }
    const absl::string_view key = line.substr(0, eq);
    std::string value;
    if (!absl::CUnescape(line.substr(eq + 1), &value)) {
      return absl::DataLossError(
          absl::StrCat("feed record: bad escape in ", key));
    }
    int64_t n = 0;
    const bool numeric = absl::SimpleAtoi(value, &n);
    if (key == "name")
      s.config.name = value;
    else if (key == "tenant")
      s.config.tenant = value;
    else if (key == "url")
      s.config.url = value;
    else if (key == "format")
      s.config.format = value;
    else if (key == "last_error")
      s.last_error = value;
    else if (key == "etag")
      s.etag = value;
    else if (key == "last_modified")
      s.last_modified = value;
    else if (!numeric) {
      // Unknown text fields come from a newer version; keep going.
      continue;
    } else if (key == "interval_s")
      s.config.interval = absl::Seconds(n);
    else if (key == "enabled")
      s.config.enabled = n != 0;
    else if (key == "list")
      s.config.list = static_cast<store::ListType>(n);
    else if (key == "create_us")
      s.create_time = absl::FromUnixMicros(n);
    else if (key == "last_attempt_us")
      s.last_attempt_time = absl::FromUnixMicros(n);
    else if (key == "last_success_us")
      s.last_success_time = absl::FromUnixMicros(n);
    else if (key == "entry_count")
      s.entry_count = n;
    else if (key == "skipped_count")
      s.skipped_count = n;
    else if (key == "consecutive_failures")
      s.consecutive_failures = static_cast<int>(n);
    else if (key == "next_run_us")
      s.next_run_time = absl::FromUnixMicros(n);
  }
  if (s.config.name.empty()) {
    return absl::DataLossError("feed record: no name");
  }
  return s;
}

FeedManager::FeedManager(store::Store& store, FeedRefresher& refresher,
                         const Clock& clock)
    : store_(store), refresher_(refresher), clock_(clock) {}

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

absl::Status FeedManager::Save(const FeedState& state, bool affects_snapshot) {
  store::StoredRecord record;
  record.collection = kCollection;
  record.tenant = state.config.tenant;
  record.name = state.config.name;
  record.payload = EncodeFeedState(state);
  record.update_time = clock_.Now();
  return store_.PutRecord(record, affects_snapshot);
}

absl::StatusOr<FeedState> FeedManager::Load(absl::string_view name,
                                            absl::string_view tenant) {
  absl::StatusOr<std::optional<store::StoredRecord>> record =
      store_.GetRecord(kCollection, std::string(tenant), std::string(name));
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "name: no feed '", name, "'",
        tenant.empty() ? "" : absl::StrCat(" of tenant ", tenant)));
  }
  return DecodeFeedState((*record)->payload);
}

absl::StatusOr<FeedState> FeedManager::Upsert(const FeedConfig& config) {
  if (absl::Status s = ValidateConfig(config); !s.ok()) return s;
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
  if (absl::Status s = Save(state, /*affects_snapshot=*/false); !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&mu_);
  wake_ = true;
  return state;
}

absl::Status FeedManager::Remove(absl::string_view name,
                                 absl::string_view tenant) {
  absl::MutexLock refresh_lock(&refresh_mu_);
  absl::StatusOr<FeedState> state = Load(name, tenant);
  if (!state.ok()) return state.status();
  absl::StatusOr<bool> removed = store_.DeleteRecord(
      kCollection, std::string(tenant), std::string(name), state->source());
  if (!removed.ok()) return removed.status();
  LogInfo("feed removed",
          {{"feed", name}, {"entries", absl::StrCat(state->entry_count)}});
  return absl::OkStatus();
}

absl::StatusOr<std::vector<FeedState>> FeedManager::List() {
  absl::StatusOr<std::vector<store::StoredRecord>> records =
      store_.ListRecords(kCollection);
  if (!records.ok()) return records.status();
  std::vector<FeedState> feeds;
  for (const store::StoredRecord& record : *records) {
    absl::StatusOr<FeedState> state = DecodeFeedState(record.payload);
    if (!state.ok()) return state.status();
    feeds.push_back(*std::move(state));
  }
  return feeds;
}

absl::StatusOr<FeedState> FeedManager::RefreshNow(absl::string_view name,
                                                  absl::string_view tenant) {
  absl::MutexLock lock(&refresh_mu_);
  absl::StatusOr<FeedState> state = Load(name, tenant);
  if (!state.ok()) return state.status();
  return Refresh(*std::move(state));
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
      if (absl::Status s = Save(state, false); !s.ok()) return s;
      return state;
    }
    case FeedRefreshOutcome::kNotModified:
      state.last_error.clear();
      state.last_success_time = result.start_time;
      if (absl::Status s = Save(state, false); !s.ok()) return s;
      return state;
    case FeedRefreshOutcome::kUpdated:
      break;
  }

  std::vector<store::ListEntryRecord> entries;
  entries.reserve(result.import.entries.size());
  const std::string source = state.source();
  const std::string reason = absl::StrCat("listed by feed ", state.config.name);
  for (EntryValue& value : result.import.entries) {
    store::ListEntryRecord& entry = entries.emplace_back();
    entry.list = state.config.list;
    entry.kind = value.kind;
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
  store::StoredRecord record;
  record.collection = kCollection;
  record.tenant = state.config.tenant;
  record.name = state.config.name;
  record.payload = EncodeFeedState(state);
  record.update_time = clock_.Now();
  absl::StatusOr<int64_t> written =
      store_.ReplaceSourceEntries(source, entries, record);
  if (!written.ok()) return written.status();
  LogInfo("feed refreshed", {{"feed", state.config.name},
                             {"entries", absl::StrCat(*written)},
                             {"skipped", absl::StrCat(state.skipped_count)}});
  return state;
}

void FeedManager::Run() {
  while (true) {
    absl::Time next_wake = clock_.Now() + kIdlePoll;
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
        absl::MutexLock refresh_lock(&refresh_mu_);
        // Re-read under the refresh lock: RefreshNow or Remove may have
        // run since the listing.
        absl::StatusOr<FeedState> current =
            Load(feed.config.name, feed.config.tenant);
        if (!current.ok() || current->next_run_time > clock_.Now()) continue;
        absl::StatusOr<FeedState> refreshed = Refresh(*std::move(current));
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
