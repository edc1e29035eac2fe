#include "server/service/http_listener.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/resource.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/common/bounded_executor.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/service/http_connection_table.h"
#include "server/service/http_request_parser.h"
#include "server/service/listen_address.h"

namespace lureguard::service {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using Timeout = HttpConnectionStats::Timeout;

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

// Every connection may hold a descriptor, plus the store, gRPC and logs:
// lift the soft limit to the hard one when it is lower than that.
void RaiseOpenFileLimit(size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 1024;
  if (limit.rlim_cur >= wanted || limit.rlim_cur == limit.rlim_max) return;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    LogInfo("open-file limit raised", {{"from", absl::StrCat(before)},
                                       {"to", absl::StrCat(limit.rlim_cur)}});
  }
  if (limit.rlim_cur < wanted) {
    LogWarning("open-file limit is below what max_connections needs",
               {{"limit", absl::StrCat(limit.rlim_cur)},
                {"max_connections", absl::StrCat(max_connections)}});
  }
}

SteadyClock::duration ToSteady(absl::Duration duration) {
  return std::chrono::duration_cast<SteadyClock::duration>(
      absl::ToChronoNanoseconds(duration));
}

// How long an answered connection that is closing keeps reading (and
// dropping) what the client still sends, so that closing with unread
// bytes does not reset the connection before the client has read the
// answer (nginx's lingering_close).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kReadChunk = 8192;

}  // namespace

// A connection as its listener sees it: closed from other threads through
// its strand.
class HttpConnectionBase
    : public std::enable_shared_from_this<HttpConnectionBase> {
 public:
  virtual ~HttpConnectionBase() = default;
  virtual void Start() = 0;
  // Closes now. Posted to the connection's strand.
  virtual void PostClose() = 0;
  // Closes now unless a request is being handled; then after its answer.
  virtual void PostCloseWhenIdle() = 0;
};

class HttpListenerCore {
 public:
  HttpListenerCore(const HttpListenerOptions& options, HttpRouter router)
      : options_(options),
        dispatcher_(std::move(router), options.metrics, options.log),
        handlers_(options.limits.handler_threads,
                  std::max<size_t>(options.limits.max_connections, 1)),
        table_(options.limits.max_connections,
               options.limits.max_connections_per_ip),
        io_(std::make_unique<asio::io_context>(options.limits.io_threads)) {}

  ~HttpListenerCore() {
    Stop(absl::Now());
    // Handlers still queued on the I/O context own connections, which tell
    // this object when they go: destroy them while it is whole.
    acceptor_.reset();
    retry_timer_.reset();
    io_.reset();
  }

  absl::Status Bind(const HostPort& bind) {
    const bool tls = !options_.tls.cert_file().empty();
    if (tls) {
      tls_context_ =
          std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
      if (absl::Status s =
              SetUpTls(options_.tls, *tls_context_->native_handle());
          !s.ok()) {
        return s;
      }
    }
    const absl::Status unavailable = absl::UnavailableError(
        absl::StrCat(options_.field, ": cannot listen on '", options_.listen,
                     "' (address in use, or not an address of this machine)"));
    beast::error_code error;
    tcp::resolver resolver(*io_);
    auto endpoints = resolver.resolve(bind.host, std::to_string(bind.port),
                                      tcp::resolver::passive, error);
    if (error || endpoints.empty()) return unavailable;
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_ = std::make_unique<tcp::acceptor>(asio::make_strand(*io_));
    acceptor_->open(endpoint.protocol(), error);
    if (!error)
      acceptor_->set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_->bind(endpoint, error);
    if (!error)
      acceptor_->listen(asio::socket_base::max_listen_connections, error);
    if (error) return unavailable;
    port_ = acceptor_->local_endpoint(error).port();
    retry_timer_ =
        std::make_unique<asio::steady_timer>(acceptor_->get_executor());
    return absl::OkStatus();
  }

  int port() const { return port_; }

  void Run() {
    Accept();
    work_.emplace(io_->get_executor());
    for (int i = 0; i < std::max(1, options_.limits.io_threads); ++i) {
      threads_.emplace_back([this] { io_->run(); });
    }
  }

  void BeginStop() {
    std::vector<std::shared_ptr<HttpConnectionBase>> open;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      stopping_ = true;
      for (const auto& [id, weak] : open_) {
        if (auto connection = weak.lock())
          open.push_back(std::move(connection));
      }
    }
    if (acceptor_ == nullptr) return;  // never bound
    asio::post(acceptor_->get_executor(), [this] {
      beast::error_code ignored;
      acceptor_->close(ignored);
      retry_timer_->cancel();
    });
    for (const auto& connection : open) connection->PostCloseWhenIdle();
  }

  void Stop(absl::Time deadline) {
    if (stopped_) return;
    stopped_ = true;
    BeginStop();
    auto all_closed = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return open_.empty();
    };
    std::vector<std::shared_ptr<HttpConnectionBase>> left;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithDeadline(absl::Condition(&all_closed), deadline);
      for (const auto& [id, weak] : open_) {
        if (auto connection = weak.lock())
          left.push_back(std::move(connection));
      }
    }
    for (const auto& connection : left) connection->PostClose();
    left.clear();
    {
      // Closing cancels their I/O at once; what remains waits for a
      // handler to return, which the executor's Stop below waits for.
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&all_closed), absl::Seconds(1));
    }
    handlers_.Stop();
    work_.reset();
    io_->stop();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

  // For connections.
  const HttpLimits& limits() const { return options_.limits; }
  const HttpDispatcher& dispatcher() const { return dispatcher_; }
  BoundedExecutor& handlers() { return handlers_; }
  asio::ssl::context* tls_context() { return tls_context_.get(); }
  HttpConnectionStats* stats() const { return options_.stats; }

  void RequestReceived(uint64_t id) {
    absl::MutexLock lock(&mu_);
    table_.RequestReceived(id);
  }

  void Closed(uint64_t id) {
    absl::MutexLock lock(&mu_);
    // A shed connection left the table (and the gauge) when it was shed.
    const bool counted = table_.Remove(id);
    open_.erase(id);
    if (counted && options_.stats != nullptr) options_.stats->Closed();
  }

 private:
  void Accept() {
    acceptor_->async_accept(
        asio::make_strand(*io_),
        [this](beast::error_code error, tcp::socket socket) {
          OnAccept(error, std::move(socket));
        });
  }

  void OnAccept(beast::error_code error, tcp::socket socket);

  const HttpListenerOptions options_;
  const HttpDispatcher dispatcher_;
  BoundedExecutor handlers_;

  absl::Mutex mu_;
  HttpConnectionTable table_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, std::weak_ptr<HttpConnectionBase>> open_
      ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ = false;  // Stop runs on one thread: the owner's

  std::unique_ptr<asio::io_context> io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      work_;
  std::unique_ptr<asio::ssl::context> tls_context_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> retry_timer_;
  int port_ = 0;
  std::vector<std::thread> threads_;
};

namespace {

// One client connection: reads requests one at a time within the
// deadlines, hands each to the handler pool, writes the answer, and either
// reads the next or closes. Every step runs on the connection's strand.
template <typename Stream>
class HttpConnection final : public HttpConnectionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  HttpConnection(HttpListenerCore& core, uint64_t id, std::string ip,
                 tcp::socket socket)
      : core_(core),
        id_(id),
        ip_(std::move(ip)),
        stream_(MakeStream(std::move(socket), core.tls_context())),
        buffer_(core.limits().max_header_bytes + core.limits().max_body_bytes +
                2 * kReadChunk) {}

  ~HttpConnection() override { core_.Closed(id_); }

  void Start() override {
    asio::post(executor(), [self = Self()] { self->Begin(); });
  }
  void PostClose() override {
    asio::post(executor(), [self = Self()] { self->Close(); });
  }
  void PostCloseWhenIdle() override {
    asio::post(executor(), [self = Self()] {
      self->closing_ = true;
      if (!self->busy_) self->Close();
    });
  }

 private:
  enum class Phase { kHeader, kBody, kIdle };

  static Stream MakeStream(tcp::socket socket, asio::ssl::context* context) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *context);
    } else {
      return Stream(std::move(socket));
    }
  }

  std::shared_ptr<HttpConnection> Self() {
    return std::static_pointer_cast<HttpConnection>(shared_from_this());
  }
  auto executor() { return beast::get_lowest_layer(stream_).get_executor(); }
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  void Begin() {
    if (closed_) return;
    // The first request's header, and the handshake before it, are due
    // within header_timeout of the accept: a client that connects and
    // sends nothing is a slow header.
    phase_ = Phase::kHeader;
    deadline_ = SteadyClock::now() + ToSteady(core_.limits().header_timeout);
    tcp().expires_at(deadline_);
    if constexpr (kTls) {
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = Self()](beast::error_code error) {
                                if (error) {
                                  self->Failed(error);
                                  return;
                                }
                                self->NextRequest();
                              });
    } else {
      NextRequest();
    }
  }

  void NextRequest() {
    if (closing_) {
      Close();
      return;
    }
    parser_.emplace(core_.limits());
    Parse();
  }

  void Parse() {
    if (buffer_.size() > 0) {
      // Feed takes all it can; short of a whole request it needs more.
      const auto data = buffer_.data();
      const size_t used = parser_->Feed(absl::string_view(
          static_cast<const char*>(data.data()), data.size()));
      buffer_.consume(used);
      if (parser_->failed()) {
        Refuse(parser_->error_status(), parser_->error_message());
        return;
      }
      if (parser_->done()) {
        Handle();
        return;
      }
    }
    if (parser_->header_done() && phase_ != Phase::kBody) {
      phase_ = Phase::kBody;
      deadline_ = SteadyClock::now() + ToSteady(core_.limits().body_timeout);
    }
    if (buffer_.size() + kReadChunk > buffer_.max_size()) {
      // Unreachable within the parser's limits; never grow past them.
      Refuse(431, "the request is too large");
      return;
    }
    tcp().expires_at(deadline_);
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = Self()](beast::error_code error, size_t bytes) {
          self->OnRead(error, bytes);
        });
  }

  void OnRead(beast::error_code error, size_t bytes) {
    if (error) {
      Failed(error);
      return;
    }
    buffer_.commit(bytes);
    if (phase_ == Phase::kIdle) {
      // The first byte of a request: its whole header is due from now.
      phase_ = Phase::kHeader;
      deadline_ = SteadyClock::now() + ToSteady(core_.limits().header_timeout);
    }
    Parse();
  }

  void Handle() {
    core_.RequestReceived(id_);
    busy_ = true;
    HttpRequest request = parser_->Take(ip_);
    parser_.reset();
    keep_alive_ = request.keep_alive;
    version_ = request.version;
    head_ = request.method == "HEAD";
    // The handler's time is ours, not the client's.
    tcp().expires_never();
    const bool queued = core_.handlers().TrySubmit(
        [self = Self(), request = std::move(request)] {
          HttpResponse response = self->core_.dispatcher().Serve(request);
          asio::post(self->executor(),
                     [self, response = std::move(response)]() mutable {
                       self->Write(std::move(response));
                     });
        });
    if (!queued) {
      keep_alive_ = false;
      Write(core_.dispatcher().Refused(503, "the server is overloaded"));
    }
  }

  // An answer to a request that cannot be served, and the end of the
  // connection: what follows it on the wire cannot be trusted.
  void Refuse(int status, absl::string_view message) {
    busy_ = true;
    keep_alive_ = false;
    version_ = 11;
    head_ = false;
    parser_.reset();
    Write(core_.dispatcher().Refused(status, message));
  }

  void Write(HttpResponse response) {
    if (closed_) return;
    if (closing_) keep_alive_ = false;
    out_ = SerializeHttpResponse(response, {.keep_alive = keep_alive_,
                                            .version = version_,
                                            .head_request = head_});
    tcp().expires_after(ToSteady(core_.limits().write_timeout));
    asio::async_write(stream_, asio::buffer(out_),
                      [self = Self()](beast::error_code error, size_t) {
                        self->OnWrite(error);
                      });
  }

  void OnWrite(beast::error_code error) {
    busy_ = false;
    if (error) {
      phase_ = Phase::kIdle;
      if (error == beast::error::timeout && core_.stats() != nullptr) {
        core_.stats()->TimedOut(Timeout::kWrite);
      }
      Close();
      return;
    }
    out_.clear();
    if (!keep_alive_ || closing_) {
      Linger();
      return;
    }
    if (buffer_.size() > 0) {
      phase_ = Phase::kHeader;  // pipelined: its first byte is here
      deadline_ = SteadyClock::now() + ToSteady(core_.limits().header_timeout);
    } else {
      phase_ = Phase::kIdle;
      deadline_ = SteadyClock::now() + ToSteady(core_.limits().idle_timeout);
    }
    NextRequest();
  }

  // A read or handshake ended in `error`: a deadline, the client leaving,
  // or our own Close.
  void Failed(beast::error_code error) {
    if (error == beast::error::timeout && core_.stats() != nullptr) {
      core_.stats()->TimedOut(phase_ == Phase::kHeader ? Timeout::kHeader
                              : phase_ == Phase::kBody ? Timeout::kBody
                                                       : Timeout::kIdle);
    }
    Close();
  }

  // After the last answer: no more sending, read and drop until the
  // client closes or kLingerTime passes, then close.
  void Linger() {
    if (closed_) return;
    if (closing_) {
      // Shutting down: the grace is for requests, not for draining.
      Close();
      return;
    }
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp().expires_after(kLingerTime);
    buffer_.clear();
    tcp().async_read_some(buffer_.prepare(kReadChunk),
                          [self = Self()](beast::error_code error, size_t) {
                            if (error) {
                              self->Close();
                              return;
                            }
                            self->Linger();
                          });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().close();
  }

  HttpListenerCore& core_;
  const uint64_t id_;
  const std::string ip_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<HttpRequestParser> parser_;
  std::string out_;
  Phase phase_ = Phase::kHeader;
  SteadyClock::time_point deadline_;
  bool busy_ = false;     // a request is being handled or answered
  bool closing_ = false;  // the listener is stopping
  bool closed_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  int version_ = 11;
};

}  // namespace

void HttpListenerCore::OnAccept(beast::error_code error, tcp::socket socket) {
  if (error == asio::error::operation_aborted) return;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
  }
  if (error) {
    // Out of descriptors or memory: accepting again at once would spin.
    retry_timer_->expires_after(std::chrono::milliseconds(50));
    retry_timer_->async_wait([this](beast::error_code wait_error) {
      if (!wait_error) Accept();
    });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const tcp::endpoint remote = socket.remote_endpoint(ignored);
  const std::string ip = remote.address().to_string();
  std::shared_ptr<HttpConnectionBase> connection;
  std::shared_ptr<HttpConnectionBase> shed;
  HttpConnectionTable::Admission admission;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    const uint64_t id = next_id_++;
    admission = table_.Admit(id, ip);
    if (admission.outcome == HttpConnectionTable::Outcome::kAdmitted) {
      if (tls_context_ != nullptr) {
        connection = std::make_shared<
            HttpConnection<beast::ssl_stream<beast::tcp_stream>>>(
            *this, id, ip, std::move(socket));
      } else {
        connection = std::make_shared<HttpConnection<beast::tcp_stream>>(
            *this, id, ip, std::move(socket));
      }
      open_[id] = connection;
      if (options_.stats != nullptr) options_.stats->Opened();
      if (admission.shed.has_value()) {
        // Counted out now, under the lock, so the gauge never exceeds
        // max_connections while the shed socket's close is on its way.
        if (options_.stats != nullptr) options_.stats->Closed();
        auto it = open_.find(*admission.shed);
        if (it != open_.end()) shed = it->second.lock();
      }
    }
  }
  HttpConnectionStats* stats = options_.stats;
  switch (admission.outcome) {
    case HttpConnectionTable::Outcome::kRefusedPerIp:
      if (stats != nullptr)
        stats->Rejected(HttpConnectionStats::Rejection::kPerIp);
      socket.close(ignored);
      break;
    case HttpConnectionTable::Outcome::kRefusedFull:
      if (stats != nullptr)
        stats->Rejected(HttpConnectionStats::Rejection::kFull);
      socket.close(ignored);
      break;
    case HttpConnectionTable::Outcome::kAdmitted:
      if (admission.shed.has_value() && stats != nullptr) {
        stats->Rejected(HttpConnectionStats::Rejection::kShed);
      }
      if (shed != nullptr) shed->PostClose();
      connection->Start();
      break;
  }
  Accept();
}

absl::StatusOr<std::unique_ptr<HttpListener>> HttpListener::Start(
    const HttpListenerOptions& options, HttpRouter router) {
  ASSIGN_OR_RETURN(HostPort bind,
                   ParseListenAddress(options.field, options.listen));
  const bool tls = !options.tls.cert_file().empty();
  if (!tls && !options.allow_plaintext && !IsLoopbackAddress(options.listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.field, ": '", options.listen,
        "' is not a loopback address; set tls.cert_file, or allow_plaintext "
        "behind a TLS-terminating proxy"));
  }
  RaiseOpenFileLimit(options.limits.max_connections);
  auto core = std::make_unique<HttpListenerCore>(options, std::move(router));
  RETURN_IF_ERROR(core->Bind(bind));
  const std::string host = absl::StrContains(bind.host, ':')
                               ? absl::StrCat("[", bind.host, "]")
                               : bind.host;
  const int port = core->port();
  core->Run();
  return std::unique_ptr<HttpListener>(
      new HttpListener(std::move(core), absl::StrCat(host, ":", port), tls));
}

HttpListener::HttpListener(std::unique_ptr<HttpListenerCore> core,
                           std::string address, bool tls)
    : core_(std::move(core)), address_(std::move(address)), tls_(tls) {}

HttpListener::~HttpListener() = default;

void HttpListener::BeginStop() { core_->BeginStop(); }

void HttpListener::Stop(absl::Time deadline) { core_->Stop(deadline); }

}  // namespace lureguard::service
