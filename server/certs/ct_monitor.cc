#include "server/certs/ct_monitor.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/log.h"
#include "server/common/record_fields.h"
#include "server/common/resource_name.h"
#include "server/common/status_macros.h"
#include "server/url/url.h"

namespace lureguard::certs {
namespace {

constexpr char kCollection[] = "ct_log";
// How long an idle worker sleeps when no log is due sooner, so logs added
// by another process sharing the store are picked up.
constexpr absl::Duration kIdlePoll = absl::Minutes(1);
// The store lease that makes one replica the CT poller, and how soon the
// others try to take it over.
constexpr char kCtLease[] = "ct-poll";
constexpr absl::Duration kLeaseRetry = absl::Seconds(1);

absl::Status ValidateConfig(const CtLogConfig& config) {
  RETURN_IF_ERROR(ValidateResourceName(config.name));
  absl::StatusOr<url::ParsedUrl> parsed = url::ParseUrl(config.url);
  if (!parsed.ok() || !(absl::StartsWith(config.url, "http://") ||
                        absl::StartsWith(config.url, "https://"))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "url: '", config.url, "' is not an absolute http or https URL"));
  }
  if (config.api != CtApi::kRfc6962 && config.api != CtApi::kStatic) {
    return absl::InvalidArgumentError("api: must be rfc6962 or static");
  }
  if (config.interval < CtMonitor::kMinInterval ||
      config.interval > CtMonitor::kMaxInterval) {
    return absl::InvalidArgumentError(
        absl::StrCat("interval: ", absl::FormatDuration(config.interval),
                     " is outside [1s, 24h]"));
  }
  return absl::OkStatus();
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

absl::Duration Backoff(const CtMonitorOptions& options, int failures) {
  absl::Duration delay = options.backoff_initial;
  for (int i = 1; i < failures && delay < options.backoff_max; ++i) delay *= 2;
  return std::min(delay, options.backoff_max);
}

}  // namespace

std::string EncodeCtLogState(const CtLogState& s) {
  RecordFieldWriter out;
  out.Text("name", s.config.name);
  out.Text("url", s.config.url);
  out.Number("api", static_cast<int>(s.config.api));
  out.Number("interval_ms", absl::ToInt64Milliseconds(s.config.interval));
  out.Number("create_us", Micros(s.create_time));
  out.Number("cursor", s.cursor);
  out.Number("tree_size", s.tree_size);
  out.Number("last_attempt_us", Micros(s.last_attempt_time));
  out.Number("last_success_us", Micros(s.last_success_time));
  out.Text("last_error", s.last_error);
  out.Number("consecutive_failures", s.consecutive_failures);
  out.Number("next_run_us", Micros(s.next_run_time));
  out.Number("entries_read", s.entries_read);
  out.Number("alert_count", s.alert_count);
  out.Number("malformed_count", s.malformed_count);
  out.Text("last_malformed", s.last_malformed);
  out.Number("entries_per_second_milli",
             static_cast<int64_t>(s.entries_per_second * 1000));
  return std::move(out).Finish();
}

absl::StatusOr<CtLogState> DecodeCtLogState(absl::string_view payload) {
  CtLogState s;
  absl::Status read =
      ForEachRecordField(payload, "ct_log record",
                         [&s](absl::string_view key, const RecordField& field) {
                           const std::string& value = field.text;
                           const int64_t n = field.number;
                           if (key == "name") {
                             s.config.name = value;
                           } else if (key == "url") {
                             s.config.url = value;
                           } else if (key == "last_error") {
                             s.last_error = value;
                           } else if (key == "last_malformed") {
                             s.last_malformed = value;
                           } else if (!field.is_number) {
                             return;  // a text field of a newer version
                           } else if (key == "api") {
                             s.config.api = static_cast<CtApi>(n);
                           } else if (key == "interval_ms") {
                             s.config.interval = absl::Milliseconds(n);
                           } else if (key == "create_us") {
                             s.create_time = absl::FromUnixMicros(n);
                           } else if (key == "cursor") {
                             s.cursor = n;
                           } else if (key == "tree_size") {
                             s.tree_size = n;
                           } else if (key == "last_attempt_us") {
                             s.last_attempt_time = absl::FromUnixMicros(n);
                           } else if (key == "last_success_us") {
                             s.last_success_time = absl::FromUnixMicros(n);
                           } else if (key == "consecutive_failures") {
                             s.consecutive_failures = static_cast<int>(n);
                           } else if (key == "next_run_us") {
                             s.next_run_time = absl::FromUnixMicros(n);
                           } else if (key == "entries_read") {
                             s.entries_read = n;
                           } else if (key == "alert_count") {
                             s.alert_count = n;
                           } else if (key == "malformed_count") {
                             s.malformed_count = n;
                           } else if (key == "entries_per_second_milli") {
                             s.entries_per_second = n / 1000.0;
                           }
                         });
  if (!read.ok()) return read;
  if (s.config.name.empty()) {
    return absl::DataLossError("ct_log record: no name");
  }
  return s;
}

CtMonitor::CtMonitor(store::Store& store, ClientFactory clients,
                     BrandSource brands, const Clock& clock,
                     CtMonitorOptions options, AlertNotifier* notifier)
    : store_(store),
      clients_(std::move(clients)),
      brands_(std::move(brands)),
      clock_(clock),
      options_(options),
      notifier_(notifier) {}

CtMonitor::~CtMonitor() { Stop(); }

void CtMonitor::Start() {
  for (int i = 0; i < std::max(1, options_.concurrency); ++i) {
    threads_.emplace_back([this] { Run(); });
  }
}

void CtMonitor::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

store::StoredRecord CtMonitor::Record(const CtLogState& state) const {
  store::StoredRecord record;
  record.collection = kCollection;
  record.name = state.config.name;
  record.payload = EncodeCtLogState(state);
  record.update_time = clock_.Now();
  record.version = state.record_version;
  return record;
}

absl::StatusOr<CtLogState> CtMonitor::Load(absl::string_view name) {
  ASSIGN_OR_RETURN(std::optional<store::StoredRecord> record,
                   store_.GetRecord(kCollection, "", std::string(name)));
  if (!record.has_value()) {
    return absl::NotFoundError(absl::StrCat("name: no CT log '", name, "'"));
  }
  absl::StatusOr<CtLogState> state = DecodeCtLogState(record->payload);
  if (state.ok()) state->record_version = record->version;
  return state;
}

absl::StatusOr<std::vector<CtLogState>> CtMonitor::List() {
  ASSIGN_OR_RETURN(std::vector<store::StoredRecord> records,
                   store_.ListRecords(kCollection));
  std::vector<CtLogState> logs;
  for (const store::StoredRecord& record : records) {
    ASSIGN_OR_RETURN(CtLogState state, DecodeCtLogState(record.payload));
    state.record_version = record.version;
    logs.push_back(std::move(state));
  }
  return logs;
}

absl::StatusOr<CtLogState> CtMonitor::Add(const CtLogConfig& config,
                                          std::optional<int64_t> start_index) {
  RETURN_IF_ERROR(ValidateConfig(config));
  if (start_index.has_value() && *start_index < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("start_index: ", *start_index, " is negative"));
  }
  {
    absl::MutexLock lock(&mu_);
    auto idle = [this, &config]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !busy_.contains(config.name);
    };
    mu_.Await(absl::Condition(&idle));
    busy_.insert(config.name);
  }
  auto release = [this, &config] {
    absl::MutexLock lock(&mu_);
    busy_.erase(config.name);
    ++wake_generation_;
  };
  CtLogState state;
  absl::StatusOr<CtLogState> existing = Load(config.name);
  if (existing.ok()) {
    state = *std::move(existing);
    // Another log at another URL shares nothing with the old cursor.
    if (state.config.url != config.url || state.config.api != config.api) {
      existing = absl::NotFoundError("replaced");
    }
  } else if (!absl::IsNotFound(existing.status())) {
    release();
    return existing.status();
  }
  if (!existing.ok()) {
    state = CtLogState();
    state.create_time = clock_.Now();
    if (!start_index.has_value()) {
      std::unique_ptr<CtLogClient> client = clients_(config);
      absl::StatusOr<CtTreeHead> head = client->GetTreeHead();
      if (!head.ok()) {
        release();
        return absl::Status(head.status().code(),
                            absl::StrCat("url: cannot read the log's tree "
                                         "head: ",
                                         head.status().message()));
      }
      state.cursor = head->tree_size;
      state.tree_size = head->tree_size;
    }
  }
  if (start_index.has_value()) state.cursor = *start_index;
  state.config = config;
  state.next_run_time = clock_.Now();
  state.consecutive_failures = 0;
  absl::Status saved = store_.PutRecord(Record(state), false);
  release();
  if (!saved.ok()) return saved;
  LogInfo("CT log added", {{"log", config.name},
                           {"api", CtApiName(config.api)},
                           {"cursor", absl::StrCat(state.cursor)}});
  return state;
}

absl::Status CtMonitor::Remove(absl::string_view name) {
  const std::string key(name);
  {
    absl::MutexLock lock(&mu_);
    auto idle = [this, &key]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !busy_.contains(key);
    };
    mu_.Await(absl::Condition(&idle));
    busy_.insert(key);
  }
  absl::StatusOr<bool> removed =
      store_.DeleteRecord(kCollection, "", key, std::nullopt);
  {
    absl::MutexLock lock(&mu_);
    busy_.erase(key);
  }
  if (!removed.ok()) return removed.status();
  if (!*removed) {
    return absl::NotFoundError(absl::StrCat("name: no CT log '", name, "'"));
  }
  LogInfo("CT log removed", {{"log", name}});
  return absl::OkStatus();
}

absl::StatusOr<CtLogState> CtMonitor::PollNow(absl::string_view name) {
  const std::string key(name);
  {
    absl::MutexLock lock(&mu_);
    auto idle = [this, &key]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !busy_.contains(key);
    };
    mu_.Await(absl::Condition(&idle));
    busy_.insert(key);
  }
  absl::StatusOr<CtLogState> state = PollClaimed(key);
  absl::MutexLock lock(&mu_);
  busy_.erase(key);
  return state;
}

absl::StatusOr<CtLogState> CtMonitor::PollClaimed(absl::string_view name) {
  ASSIGN_OR_RETURN(CtLogState loaded, Load(name));
  CtLogState state = std::move(loaded);
  const absl::Time start = clock_.Now();
  state.last_attempt_time = start;
  absl::Status polled = Poll(state);
  const absl::Time now = clock_.Now();
  if (polled.ok()) {
    state.last_error.clear();
    state.consecutive_failures = 0;
    state.last_success_time = start;
    // Behind the head (a capped poll): continue at once.
    state.next_run_time =
        state.cursor < state.tree_size ? now : now + state.config.interval;
  } else {
    state.last_error = std::string(polled.message());
    ++state.consecutive_failures;
    state.next_run_time = now + Backoff(options_, state.consecutive_failures);
    LogWarning("CT log poll failed; retrying with backoff",
               {{"log", state.config.name},
                {"error", state.last_error},
                {"cursor", absl::StrCat(state.cursor)},
                {"retry_in", absl::FormatDuration(state.next_run_time - now)}});
  }
  // Conditional, as the cursor writes of Poll: a log deleted through
  // another replica during the poll stays deleted.
  ASSIGN_OR_RETURN(std::vector<store::AlertRecord> saved,
                   store_.AddAlerts({}, Record(state)));
  ++state.record_version;
  return state;
}

absl::Status CtMonitor::Poll(CtLogState& state) {
  std::unique_ptr<CtLogClient> client = clients_(state.config);
  ASSIGN_OR_RETURN(CtTreeHead head, client->GetTreeHead());
  if (head.tree_size < state.cursor) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the tree shrank: the log now has ", head.tree_size, " entries, but ",
        state.cursor,
        " were already read; the cursor stays until the log recovers"));
  }
  state.tree_size = head.tree_size;
  std::shared_ptr<const lookalike::BrandIndex> brands = brands_();
  const int64_t end =
      std::min(state.tree_size, state.cursor + options_.max_entries_per_poll);
  const absl::Time start = clock_.Now();
  int64_t read = 0;
  while (state.cursor < end) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) break;
    }
    ASSIGN_OR_RETURN(CtBatch batch,
                     client->GetEntries(state.cursor, end, state.tree_size));
    if (batch.next_index <= state.cursor) {
      return absl::InternalError(
          absl::StrCat("a read from ", state.cursor, " made no progress"));
    }
    CtLogState next = state;
    std::vector<store::AlertRecord> alerts;
    for (const std::string& why : batch.malformed) {
      ++next.malformed_count;
      next.last_malformed = why;
      LogWarning("CT entry skipped: it does not parse",
                 {{"log", state.config.name}, {"error", why}});
    }
    for (const CtEntry& entry : batch.entries) {
      if (brands == nullptr) break;
      std::vector<store::AlertRecord> found =
          AlertsFor(entry, *brands, *client, next);
      alerts.insert(alerts.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
    }
    next.cursor = batch.next_index;
    next.entries_read += batch.next_index - state.cursor;
    read += batch.next_index - state.cursor;
    ASSIGN_OR_RETURN(std::vector<store::AlertRecord> added,
                     store_.AddAlerts(alerts, Record(next)));
    ++next.record_version;
    next.alert_count += static_cast<int64_t>(added.size());
    state = std::move(next);
    for (const store::AlertRecord& alert : added) {
      LogWarning("CT alert: a certificate names a brand lookalike",
                 {{"alert", absl::StrCat(alert.id)},
                  {"name", alert.name},
                  {"brand", alert.brand},
                  {"technique", alert.technique},
                  {"log", alert.log_name},
                  {"index", absl::StrCat(alert.log_index)}});
    }
    if (!added.empty() && notifier_ != nullptr) {
      notifier_->Notify(added.back().id);
    }
  }
  const double seconds = absl::ToDoubleSeconds(clock_.Now() - start);
  if (read > 0 && seconds > 0) state.entries_per_second = read / seconds;
  return absl::OkStatus();
}

std::vector<store::AlertRecord> CtMonitor::AlertsFor(
    const CtEntry& entry, const lookalike::BrandIndex& brands,
    CtLogClient& client, CtLogState& state) {
  std::vector<store::AlertRecord> alerts;
  absl::StatusOr<CertificateSummary> cert = SummarizeEntry(entry);
  if (!cert.ok()) {
    ++state.malformed_count;
    state.last_malformed =
        absl::StrCat("entry ", entry.index, ": ", cert.status().message());
    LogWarning("CT entry skipped: its certificate does not parse",
               {{"log", state.config.name}, {"error", state.last_malformed}});
    return alerts;
  }
  std::string issuer;  // looked up once, only for an entry that alerts
  for (const std::string& name : cert->names) {
    const absl::string_view host = absl::StartsWith(name, "*.")
                                       ? absl::string_view(name).substr(2)
                                       : absl::string_view(name);
    std::vector<lookalike::LookalikeMatch> matches = brands.MatchHost(host, "");
    if (matches.empty() || matches.front().weight < options_.min_alert_weight) {
      continue;
    }
    const lookalike::LookalikeMatch& match = matches.front();
    if (issuer.empty()) {
      // The issuing CA's own subject (chain or issuer/ fetch) when it can
      // be had; the name the certificate gives otherwise.
      issuer = cert->issuer;
      absl::StatusOr<std::string> der = client.GetIssuer(entry);
      if (der.ok()) {
        absl::StatusOr<CertificateSummary> ca =
            SummarizeCertificate(*der, false);
        if (ca.ok() && !ca->subject.empty()) issuer = ca->subject;
      }
    }
    store::AlertRecord& alert = alerts.emplace_back();
    // The leaf's issuer name and serial are shared by a precertificate and
    // its final certificate (RFC 6962 §3.1): one alert for both.
    alert.dedup_key =
        Sha256Hex(absl::StrCat(cert->issuer, "\n", cert->serial, "\n", name));
    alert.name = name;
    alert.brand = match.brand;
    alert.technique = match.technique_name;
    alert.official_domain = match.official_domain;
    alert.weight = match.weight;
    alert.evidence = match.evidence;
    alert.issuer = issuer;
    alert.serial = cert->serial;
    alert.cert_sha256 = cert->sha256;
    alert.precertificate = entry.type == CtEntryType::kPrecert;
    alert.not_before = cert->not_before;
    alert.not_after = cert->not_after;
    alert.log_name = state.config.name;
    alert.log_index = entry.index;
    alert.create_time = clock_.Now();
  }
  return alerts;
}

void CtMonitor::Run() {
  while (true) {
    int64_t generation;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      generation = wake_generation_;
    }
    absl::Time next_wake = clock_.Now() + kIdlePoll;
    bool polled = false;
    absl::StatusOr<std::vector<CtLogState>> logs = List();
    if (!logs.ok()) {
      LogError("listing CT logs failed", {{"error", logs.status().ToString()}});
    } else {
      for (const CtLogState& log : *logs) {
        if (log.next_run_time > clock_.Now()) {
          next_wake = std::min(next_wake, log.next_run_time);
          continue;
        }
        // Of several replicas sharing the store, the holder of the lease
        // polls; the others look again soon, to take over if it dies.
        if (absl::StatusOr<bool> holder = store_.HoldLease(kCtLease);
            !holder.ok() || !*holder) {
          next_wake = std::min(next_wake, clock_.Now() + kLeaseRetry);
          continue;
        }
        {
          absl::MutexLock lock(&mu_);
          if (stopping_) return;
          if (busy_.contains(log.config.name)) continue;
          busy_.insert(log.config.name);
        }
        absl::StatusOr<CtLogState> current = Load(log.config.name);
        if (current.ok() && current->next_run_time <= clock_.Now()) {
          absl::StatusOr<CtLogState> state = PollClaimed(log.config.name);
          if (!state.ok()) {
            LogError("CT log status could not be stored",
                     {{"log", log.config.name},
                      {"error", state.status().ToString()}});
          }
          polled = true;
        }
        absl::MutexLock lock(&mu_);
        busy_.erase(log.config.name);
        if (polled) break;  // list again: other workers may have moved on
      }
    }
    if (polled) continue;
    absl::MutexLock lock(&mu_);
    auto woken = [this, generation]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || wake_generation_ != generation;
    };
    mu_.AwaitWithTimeout(
        absl::Condition(&woken),
        std::max(absl::ZeroDuration(), next_wake - clock_.Now()));
  }
}

}  // namespace lureguard::certs
