#include "server/lists/feed_fetcher.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace lureguard::lists {
namespace {

// The canonical code for an HTTP error status.
absl::StatusCode CodeForHttpStatus(int status) {
  if (status == 404 || status == 410) return absl::StatusCode::kNotFound;
  if (status == 401 || status == 403) {
    return absl::StatusCode::kPermissionDenied;
  }
  if (status == 429 || status >= 500) return absl::StatusCode::kUnavailable;
  return absl::StatusCode::kFailedPrecondition;
}

}  // namespace

absl::Duration BackoffDelay(const FeedSchedule& schedule,
                            int consecutive_failures, double unit) {
  absl::Duration delay = schedule.initial_backoff;
  for (int i = 1; i < consecutive_failures && delay < schedule.max_backoff;
       ++i) {
    delay *= 2;
  }
  delay = std::min(delay, schedule.max_backoff);
  const double jitter = std::clamp(schedule.jitter, 0.0, 1.0);
  return delay - absl::Milliseconds(std::floor(
                     absl::ToDoubleMilliseconds(delay) * jitter * unit));
}

FeedRefresher::FeedRefresher(HttpFetcher& fetcher, const Clock& clock,
                             FeedRefreshOptions options, uint64_t seed)
    : fetcher_(fetcher),
      clock_(clock),
      options_(std::move(options)),
      random_(seed) {}

double FeedRefresher::NextUnit() {
  absl::MutexLock lock(&mu_);
  // The top 53 bits as a double in [0, 1).
  return static_cast<double>(random_() >> 11) * 0x1.0p-53;
}

FeedRefreshResult FeedRefresher::Refresh(const FeedDefinition& feed) {
  FeedRefreshResult result;
  result.start_time = clock_.Now();
  result.etag = feed.etag;
  result.last_modified = feed.last_modified;
  const std::string prefix = absl::StrCat("feed '", feed.name, "': ");

  // Moves `result` out: a feed's entries may be millions of strings.
  auto finish = [&](absl::Status status) -> FeedRefreshResult {
    result.elapsed = clock_.Now() - result.start_time;
    if (status.ok()) {
      result.consecutive_failures = 0;
      result.next_refresh_time =
          result.start_time + (feed.interval > absl::ZeroDuration()
                                   ? feed.interval
                                   : options_.schedule.interval);
      return std::move(result);
    }
    result.outcome = FeedRefreshOutcome::kFailed;
    result.status =
        absl::Status(status.code(), absl::StrCat(prefix, status.message()));
    result.import = ImportResult();
    result.etag = feed.etag;
    result.last_modified = feed.last_modified;
    result.consecutive_failures = std::max(feed.consecutive_failures, 0) + 1;
    result.next_refresh_time =
        result.start_time + BackoffDelay(options_.schedule,
                                         result.consecutive_failures,
                                         NextUnit());
    return std::move(result);
  };

  if (!ImportParser::IsKnownFormat(feed.format.empty() ? "auto"
                                                       : feed.format)) {
    return finish(absl::InvalidArgumentError(
        absl::StrCat("unknown format '", feed.format, "'")));
  }
  HttpRequest request;
  request.url = feed.url;
  request.etag = feed.etag;
  request.last_modified = feed.last_modified;
  request.connect_timeout = options_.connect_timeout;
  request.total_timeout = options_.total_timeout;
  request.max_body_bytes = options_.max_body_bytes;
  absl::StatusOr<HttpResponse> response = fetcher_.Fetch(request);
  if (!response.ok()) return finish(response.status());
  result.http_status = response->status_code;
  result.body_bytes = static_cast<int64_t>(response->body.size());

  if (response->not_modified) {
    result.outcome = FeedRefreshOutcome::kNotModified;
    if (!response->etag.empty()) result.etag = response->etag;
    if (!response->last_modified.empty()) {
      result.last_modified = response->last_modified;
    }
    return finish(absl::OkStatus());
  }
  if (response->status_code < 200 || response->status_code > 299) {
    return finish(absl::Status(
        CodeForHttpStatus(response->status_code),
        absl::StrCat(
            "HTTP ", response->status_code, " from ",
            response->final_url.empty() ? feed.url : response->final_url)));
  }

  ImportParser parser(feed.format, /*skip_invalid=*/true);
  if (absl::Status s = parser.AddChunk(response->body); !s.ok()) {
    return finish(s);
  }
  absl::StatusOr<ImportResult> parsed = std::move(parser).Finish();
  if (!parsed.ok()) return finish(parsed.status());
  if (parsed->entries.empty() && parsed->skipped_count > 0) {
    return finish(absl::InvalidArgumentError(absl::StrCat(
        "no valid ", parsed->format, " entry in ", parsed->skipped_count,
        " lines (", parsed->skipped_examples.front(), ")")));
  }
  if (parsed->entries.empty() && !feed.allow_empty) {
    return finish(absl::InvalidArgumentError(absl::StrCat(
        "the response from ", feed.url, " has no entries (", result.body_bytes,
        " bytes); an empty feed needs allow_empty")));
  }
  result.outcome = FeedRefreshOutcome::kUpdated;
  result.import = *std::move(parsed);
  result.etag = response->etag;
  result.last_modified = response->last_modified;
  return finish(absl::OkStatus());
}

}  // namespace lureguard::lists
