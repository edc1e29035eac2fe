#include "tests/fakes/fake_http_fetcher.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace lureguard {

lists::HttpResponse HttpOk(std::string body, std::string etag) {
  lists::HttpResponse response;
  response.status_code = 200;
  response.body = std::move(body);
  response.etag = std::move(etag);
  return response;
}

void FakeHttpFetcher::Push(absl::StatusOr<lists::HttpResponse> response) {
  absl::MutexLock lock(&mu_);
  pushed_.push_back(std::move(response));
}

void FakeHttpFetcher::Serve(const std::string& url,
                            absl::StatusOr<lists::HttpResponse> response) {
  absl::MutexLock lock(&mu_);
  served_.insert_or_assign(url, std::move(response));
}

void FakeHttpFetcher::DuringNextFetch(std::function<void()> meanwhile) {
  absl::MutexLock lock(&mu_);
  meanwhile_ = std::move(meanwhile);
}

std::vector<lists::HttpRequest> FakeHttpFetcher::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

absl::StatusOr<lists::HttpResponse> FakeHttpFetcher::Fetch(
    const lists::HttpRequest& request) {
  std::function<void()> meanwhile;
  {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
    meanwhile = std::exchange(meanwhile_, nullptr);
  }
  // Outside the lock: what runs meanwhile may be anything, even a fetch.
  if (meanwhile) meanwhile();
  absl::MutexLock lock(&mu_);
  if (!pushed_.empty()) {
    absl::StatusOr<lists::HttpResponse> next = std::move(pushed_.front());
    pushed_.pop_front();
    return next;
  }
  auto it = served_.find(request.url);
  if (it != served_.end()) return it->second;
  return absl::UnavailableError(
      absl::StrCat("no response scripted for ", request.url));
}

}  // namespace lureguard
