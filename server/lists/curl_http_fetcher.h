// The production HttpFetcher, on libcurl: HTTP and HTTPS (system CA
// store), gzip, timeouts, a body cap, and an SSRF guard that checks every
// address a URL resolves to, then pins the connection to the checked
// addresses so DNS cannot swap them between the check and the connect.
// Redirects (at most `max_redirects`) are followed here, not by curl, so
// each hop passes the same guard.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization (one curl handle per fetch).
//
// Example:
//   CurlHttpFetcherOptions options;
//   options.allow_private_targets = config.allow_private_targets();
//   CurlHttpFetcher fetcher(options);
//   HttpRequest request;
//   request.url = "http://10.0.0.1/feed.txt";
//   absl::StatusOr<HttpResponse> r = fetcher.Fetch(request);
//   // without allow_private_targets, r.status() is PermissionDenied
//   // "refusing to fetch 10.0.0.1: private address (RFC 1918) (server not
//   // started with --allow_private_targets)"

#ifndef LUREGUARD_SERVER_LISTS_CURL_HTTP_FETCHER_H_
#define LUREGUARD_SERVER_LISTS_CURL_HTTP_FETCHER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/lists/http_fetcher.h"
#include "server/common/ip_range.h"

namespace lureguard::lists {

struct CurlHttpFetcherOptions {
  // --allow_private_targets: loopback and private addresses may be fetched.
  bool allow_private_targets = false;
  int max_redirects = 5;
  std::string user_agent = "lureguard-feed-fetcher/0.1";
  // Resolves a host name to its addresses; getaddrinfo() when empty. Tests
  // inject a fixed map to exercise the guard without DNS.
  std::function<absl::StatusOr<std::vector<IpAddress>>(const std::string&)>
      resolve;
  // Why an address is refused, or nullopt to allow it; consulted only
  // without allow_private_targets. NonPublicAddressReason when empty. Tests
  // allow their loopback server this way while refusing the rest.
  std::function<std::optional<std::string>(const IpAddress&)> refusal_reason;
};

class CurlHttpFetcher final : public HttpFetcher {
 public:
  explicit CurlHttpFetcher(CurlHttpFetcherOptions options = {});

  absl::StatusOr<HttpResponse> Fetch(const HttpRequest& request) override;

 private:
  const CurlHttpFetcherOptions options_;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_CURL_HTTP_FETCHER_H_
