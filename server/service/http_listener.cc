#include "server/service/http_listener.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/service/listen_address.h"

namespace lureguard::service {
namespace {

HttpRoute RouteOf(const std::string& path) {
  if (path == "/healthz") return HttpRoute::kHealthz;
  if (path == "/authz" || absl::StartsWith(path, "/authz/")) {
    return HttpRoute::kAuthz;
  }
  if (path == "/metrics") return HttpRoute::kMetrics;
  return HttpRoute::kOther;
}

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  ERR_clear_error();
  return buffer;
}

// Configures `ctx` from `tls`; the error names the field and the file.
absl::Status SetUpTls(const v1::TlsConfig& tls, SSL_CTX& ctx) {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(&ctx, tls.cert_file().c_str()) != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("tls.cert_file: '", tls.cert_file(),
                     "' cannot be used: ", OpenSslError()));
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, tls.key_file().c_str(),
                                  SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(&ctx) != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("tls.key_file: '", tls.key_file(),
                     "' cannot be used with tls.cert_file: ", OpenSslError()));
  }
  if (!tls.client_ca_file().empty()) {
    if (SSL_CTX_load_verify_locations(&ctx, tls.client_ca_file().c_str(),
                                      nullptr) != 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("tls.client_ca_file: '", tls.client_ca_file(),
                       "' cannot be used: ", OpenSslError()));
    }
    SSL_CTX_set_client_CA_list(
        &ctx, SSL_load_client_CA_file(tls.client_ca_file().c_str()));
    int mode = SSL_VERIFY_PEER;
    if (tls.require_client_cert()) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(&ctx, mode, nullptr);
  }
  return absl::OkStatus();
}

// When the request on this thread started; httplib runs the pre-routing
// handler, the route and the logger of one request on one thread.
thread_local absl::Time request_start = absl::InfinitePast();

}  // namespace

absl::StatusOr<std::unique_ptr<HttpListener>> HttpListener::Start(
    const HttpListenerOptions& options,
    const std::function<void(httplib::Server&)>& install_routes) {
  absl::StatusOr<HostPort> bind =
      ParseListenAddress(options.field, options.listen);
  if (!bind.ok()) return bind.status();
  const bool tls = !options.tls.cert_file().empty();
  if (!tls && !options.allow_plaintext && !IsLoopbackAddress(options.listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.field, ": '", options.listen,
        "' is not a loopback address; set tls.cert_file, or allow_plaintext "
        "behind a TLS-terminating proxy"));
  }

  std::unique_ptr<httplib::Server> server;
  if (tls) {
    absl::Status tls_status;
    server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
      tls_status = SetUpTls(options.tls, ctx);
      return tls_status.ok();
    });
    if (!tls_status.ok()) return tls_status;
    if (!server->is_valid()) {
      return absl::InternalError("the TLS context cannot be created");
    }
  } else {
    server = std::make_unique<httplib::Server>();
  }

  const int threads = options.threads;
  server->new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  server->set_read_timeout(absl::ToChronoSeconds(options.read_timeout));
  server->set_write_timeout(std::chrono::seconds(5));
  server->set_payload_max_length(64 << 10);  // requests carry no body here
  // Small responses on keep-alive connections: without this, Nagle and
  // delayed ACKs add 40 ms to each (measured with authz_load).
  server->set_tcp_nodelay(true);

  server->set_pre_routing_handler(
      [prefix_routes = options.prefix_routes](const httplib::Request& request,
                                              httplib::Response& response) {
        request_start = absl::Now();
        std::optional<absl::string_view> sent;
        if (request.has_header("X-Request-Id")) {
          sent = request.get_header_value("X-Request-Id");
        }
        response.set_header("X-Request-Id", RequestId(sent));
        for (const auto& [prefix, handler] : prefix_routes) {
          if (request.path == prefix ||
              absl::StartsWith(request.path, prefix + "/")) {
            handler(request, response);
            return httplib::Server::HandlerResponse::Handled;
          }
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  ServerMetrics* metrics = options.metrics;
  const RequestLog* log = options.log;
  server->set_logger([metrics, log](const httplib::Request& request,
                                    const httplib::Response& response) {
    const absl::Duration latency = request_start == absl::InfinitePast()
                                       ? absl::ZeroDuration()
                                       : absl::Now() - request_start;
    request_start = absl::InfinitePast();
    const HttpRoute route = RouteOf(request.path);
    if (metrics != nullptr)
      metrics->RecordHttp(route, response.status, latency);
    if (log == nullptr) return;
    std::string id = response.get_header_value("X-Request-Id");
    if (id.empty()) id = RequestId(std::nullopt);
    // The route, never the path: /authz/<original path> carries a URL.
    const std::string method =
        absl::StrCat(request.method, " ", HttpRouteLabel(route));
    const std::string status = absl::StrCat(response.status);
    log->Write({.method = method,
                .request_id = id,
                .status = status,
                .latency = latency,
                .action = response.get_header_value(kActionHeader)});
  });
  install_routes(*server);

  int port = bind->port;
  if (port == 0) {
    port = server->bind_to_any_port(bind->host);
  } else if (!server->bind_to_port(bind->host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat(options.field, ": cannot listen on '", options.listen,
                     "' (address in use, or not an address of this machine)"));
  }
  const std::string host = absl::StrContains(bind->host, ':')
                               ? absl::StrCat("[", bind->host, "]")
                               : bind->host;
  return std::unique_ptr<HttpListener>(
      new HttpListener(std::move(server), absl::StrCat(host, ":", port), tls));
}

HttpListener::HttpListener(std::unique_ptr<httplib::Server> server,
                           std::string address, bool tls)
    : server_(std::move(server)), address_(std::move(address)), tls_(tls) {
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    loop_done_ = true;
  });
  // httplib's stop() does nothing before the loop runs; wait for it so that
  // a Stop right after Start cannot leave the thread serving forever.
  while (!server_->is_running() && !loop_done_)
    absl::SleepFor(absl::Milliseconds(1));
}

HttpListener::~HttpListener() { Stop(); }

void HttpListener::Stop() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace lureguard::service
