// One HTTP(S) server on cpp-httplib (Debian's libcpp-httplib-dev), bound to
// one address and serving on its own threads: the HTTP front and the
// metrics endpoint each run one.
//
// Every request is counted in the metrics by route and status and gets its
// request log line; its id (the caller's X-Request-Id when well formed, a
// new one otherwise) comes back in the X-Request-Id response header.
//
// TLS comes from the same `ServerConfig.tls` fields as gRPC. Plaintext on
// an address other than loopback is refused unless `allow_plaintext`.
//
// Thread safety: handlers run concurrently on the listener's threads;
// Stop may be called from any thread.
//
// Example:
//   absl::StatusOr<std::unique_ptr<HttpListener>> listener =
//       HttpListener::Start(options, [](httplib::Server& server) {
//         server.Get("/healthz", ...);
//       });
//   LogInfo("http listening", {{"address", (*listener)->address()}});

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_LISTENER_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_LISTENER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "lureguard/v1/config.pb.h"
#include "server/service/metrics.h"
#include "server/service/request_log.h"

namespace lureguard::service {

// Response header naming the verdict action; the request log reads it.
inline constexpr char kActionHeader[] = "X-Lureguard-Action";

struct HttpListenerOptions {
  std::string field = "http_listen";  // names the address in errors
  std::string listen;                 // HOST:PORT; port 0 picks one
  v1::TlsConfig tls;                  // cert_file empty: plaintext
  bool allow_plaintext = false;
  int threads = 8;
  absl::Duration read_timeout = absl::Seconds(5);
  ServerMetrics* metrics = nullptr;  // may be null
  const RequestLog* log = nullptr;   // may be null
  // Requests whose path is PREFIX or starts with PREFIX/ go to the handler,
  // whatever their method (gateways forward the original method and path).
  // Matched before the routes, without a regular expression.
  std::vector<std::pair<std::string, httplib::Server::Handler>> prefix_routes;
};

class HttpListener {
 public:
  // Binds, installs the routes and starts serving. FailedPrecondition for
  // unusable TLS files or refused plaintext, Unavailable when the address
  // cannot be bound; messages name the field.
  static absl::StatusOr<std::unique_ptr<HttpListener>> Start(
      const HttpListenerOptions& options,
      const std::function<void(httplib::Server&)>& install_routes);

  ~HttpListener();  // stops

  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // The address bound, HOST:PORT with the port resolved.
  const std::string& address() const { return address_; }
  bool tls() const { return tls_; }

  // Stops accepting and waits for requests in progress. Idempotent.
  void Stop();

 private:
  HttpListener(std::unique_ptr<httplib::Server> server, std::string address,
               bool tls);

  std::unique_ptr<httplib::Server> server_;
  const std::string address_;
  const bool tls_;
  std::atomic<bool> loop_done_{false};
  std::thread thread_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_LISTENER_H_
