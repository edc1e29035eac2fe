// An HttpFetcher that answers from a script instead of the network, and
// records every request, for tests of the feed refresher and the feed
// manager: their rules (validators sent, backoff on failure, what a 304
// keeps) without a server.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   FakeHttpFetcher fetcher;
//   fetcher.Push(HttpOk("a.test\n", "\"v1\""));            // the next fetch
//   fetcher.Push(absl::UnavailableError("connection refused"));  // then this
//   fetcher.Serve("https://feed.test/x", HttpOk("b.test\n"));   // every time
//   refresher.Refresh(feed);
//   // fetcher.requests()[0].etag: what the refresher sent

#ifndef LUREGUARD_TESTS_FAKES_FAKE_HTTP_FETCHER_H_
#define LUREGUARD_TESTS_FAKES_FAKE_HTTP_FETCHER_H_

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/lists/http_fetcher.h"

namespace lureguard {

// A 200 response with `body` and, when not empty, an ETag.
lists::HttpResponse HttpOk(std::string body, std::string etag = "");

// Scripted fetches. Each fetch takes, in order of precedence: the oldest
// pushed answer, else the answer served for its URL, else Unavailable
// "no response scripted for <url>".
class FakeHttpFetcher final : public lists::HttpFetcher {
 public:
  // The next fetch not yet answered returns `response` (an HTTP response
  // or a transport error), whatever its URL.
  void Push(absl::StatusOr<lists::HttpResponse> response);
  // Every fetch of exactly `url` returns `response`, once the pushed
  // answers are used up.
  void Serve(const std::string& url,
             absl::StatusOr<lists::HttpResponse> response);
  // Runs inside the next fetch, before it answers: what happens elsewhere
  // (another replica writing the store) while a fetch is in flight.
  void DuringNextFetch(std::function<void()> meanwhile);

  // The requests received so far, in order.
  std::vector<lists::HttpRequest> requests() const;

  absl::StatusOr<lists::HttpResponse> Fetch(
      const lists::HttpRequest& request) override;

 private:
  mutable absl::Mutex mu_;
  std::deque<absl::StatusOr<lists::HttpResponse>> pushed_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::StatusOr<lists::HttpResponse>> served_
      ABSL_GUARDED_BY(mu_);
  std::function<void()> meanwhile_ ABSL_GUARDED_BY(mu_);
  std::vector<lists::HttpRequest> requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_FAKE_HTTP_FETCHER_H_
