// One HTTP(S) server bound to one address, built for hostile clients: the
// HTTP front and the metrics endpoint each run one.
//
// Event-driven on Boost.Asio and Boost.Beast's parser: `io_threads`
// threads read, parse, time out and write every connection, so a client
// that holds a connection open costs a socket and a few kilobytes, never a
// thread. Deadlines cover a whole phase, not each read: the TLS handshake
// and the first request's header must arrive within `header_timeout` of
// the accept, a later header within `header_timeout` of its first byte, a
// body within `body_timeout` of its header, and an answer must be taken
// within `write_timeout`; between requests a connection may stay idle
// `idle_timeout`. Sizes and connections are capped (HttpLimits;
// HttpConnectionTable says who is refused or shed at the limits).
//
// Handlers may block briefly (a click or a beacon writes to the store), so
// they run on a separate pool of `handler_threads` (a BoundedExecutor
// whose queue holds one request per connection at most) and never stall
// the I/O threads; the answer is posted back to its connection. Each
// connection reads its next request only after answering the last, so
// HTTP/1.1 pipelined requests are answered in order; `Connection: close`
// and HTTP/1.0's default are honoured.
//
// Every request is counted in the metrics by route and status and gets
// its request log line and X-Request-Id (HttpDispatcher). TLS comes from
// the same `ServerConfig.tls` fields as gRPC. Plaintext on an address
// other than loopback is refused unless `allow_plaintext`.
//
// Thread safety: handlers run concurrently; BeginStop and Stop may be
// called from any thread.
//
// Example:
//   HttpRouter router;
//   router.Get("/healthz", ...);
//   absl::StatusOr<std::unique_ptr<HttpListener>> listener =
//       HttpListener::Start(options, std::move(router));
//   LogInfo("http listening", {{"address", (*listener)->address()}});
//   (*listener)->Stop(absl::Now() + grace);

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_LISTENER_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_LISTENER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lureguard/v1/config.pb.h"
#include "server/service/http_connection_stats.h"
#include "server/service/http_dispatcher.h"
#include "server/service/http_limits.h"
#include "server/service/http_router.h"
#include "server/service/metrics.h"
#include "server/service/request_log.h"

namespace lureguard::service {

class HttpListenerCore;  // the event loop and its connections (.cc only)

// How one listener binds and serves.
struct HttpListenerOptions {
  std::string field = "http_listen";  // names the address in errors
  std::string listen;                 // HOST:PORT; port 0 picks one
  v1::TlsConfig tls;                  // cert_file empty: plaintext
  bool allow_plaintext = false;
  HttpLimits limits;
  ServerMetrics* metrics = nullptr;      // may be null
  const RequestLog* log = nullptr;       // may be null
  HttpConnectionStats* stats = nullptr;  // may be null
};

class HttpListener {
 public:
  // Binds and starts serving `router`'s routes. FailedPrecondition for
  // unusable TLS files or refused plaintext, Unavailable when the address
  // cannot be bound; messages name the field. Raises the process's
  // open-file soft limit to its hard limit when it is below what
  // `limits.max_connections` needs.
  static absl::StatusOr<std::unique_ptr<HttpListener>> Start(
      const HttpListenerOptions& options, HttpRouter router);

  ~HttpListener();  // Stop(now)

  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // The address bound, HOST:PORT with the port resolved.
  const std::string& address() const { return address_; }
  bool tls() const { return tls_; }

  // Closes the listening socket and every connection waiting for a
  // request (idle, or a header or body still arriving); a request being
  // handled is answered and its connection then closed. Returns at once.
  // Idempotent.
  void BeginStop();

  // BeginStop, then waits until `deadline` for the requests being handled,
  // closes every connection left (a request still being handled loses its
  // connection, unanswered) and stops the threads. A handler still running
  // is waited for, as its owner may free what it uses once Stop returns;
  // handlers never wait on a client, only briefly on the store.
  // Idempotent.
  void Stop(absl::Time deadline);

 private:
  HttpListener(std::unique_ptr<HttpListenerCore> core, std::string address,
               bool tls);

  std::unique_ptr<HttpListenerCore> core_;
  const std::string address_;
  const bool tls_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_LISTENER_H_
