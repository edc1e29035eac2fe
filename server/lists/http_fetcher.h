// Fetching a feed over HTTP(S), behind a narrow interface so the feed
// refresher is tested against fakes and production uses libcurl
// (curl_http_fetcher.h).
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   HttpRequest request;
//   request.url = "https://openphish.com/feed.txt";
//   request.etag = last_etag;  // sent as If-None-Match
//   absl::StatusOr<HttpResponse> response = fetcher.Fetch(request);
//   if (response.ok() && response->not_modified) { /* keep what we have */ }

#ifndef LUREGUARD_SERVER_LISTS_HTTP_FETCHER_H_
#define LUREGUARD_SERVER_LISTS_HTTP_FETCHER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lureguard::lists {

// One GET (or HEAD).
struct HttpRequest {
  std::string url;  // http:// or https://
  // Validators from the last successful fetch, sent as If-None-Match and
  // If-Modified-Since when not empty.
  std::string etag;
  std::string last_modified;
  absl::Duration connect_timeout = absl::Seconds(10);
  // For the whole fetch, redirects and body included.
  absl::Duration total_timeout = absl::Seconds(60);
  // Largest body accepted, counted after gzip decoding. 64 MiB holds the
  // largest public phishing feeds (PhishTank's JSON is about 40 MiB).
  int64_t max_body_bytes = int64_t{64} << 20;
  // HEAD instead of GET: where a request leads, not what it holds.
  bool head = false;
  // Follow redirects (up to the fetcher's own limit). When false, a
  // redirect is the response: its status, with `location` set.
  bool follow_redirects = true;
};

// The final response, after redirects.
struct HttpResponse {
  int status_code = 0;        // 200, 304, 404, ...
  bool not_modified = false;  // 304: the validators still match
  std::string etag;           // ETag and Last-Modified of this response
  std::string last_modified;
  std::string content_type;
  std::string final_url;  // after redirects
  // The URLs redirected from, in order: request.url first, final_url not
  // included. Empty when the first answer was final.
  std::vector<std::string> redirected_from;
  // Where a redirect not followed points (request.follow_redirects false),
  // absolute; empty for any other answer.
  std::string location;
  std::string body;  // decoded (gzip undone)
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;

  // Performs the GET. Any HTTP status is a response (the caller decides
  // what a 404 means); errors are transport failures, each with the URL:
  // InvalidArgument (bad URL or scheme), PermissionDenied (a target the
  // SSRF guard refuses), DeadlineExceeded (timeouts), ResourceExhausted
  // (body over max_body_bytes), Unavailable (DNS, connect, TLS, reset).
  virtual absl::StatusOr<HttpResponse> Fetch(const HttpRequest& request) = 0;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_HTTP_FETCHER_H_
