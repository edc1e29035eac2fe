#include "tests/testing/tls_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lureguard::testing {
namespace {

absl::StatusOr<int> ListenLoopback(int backlog, int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, backlog) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return absl::InternalError("cannot listen on 127.0.0.1");
  }
  *port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TlsTestServer>> TlsTestServer::Start(
    TlsTestServerOptions options) {
  // A client that closes right after its handshake makes the server's
  // session-ticket write fail; that must not kill the test binary.
  signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<TlsTestServer> server(new TlsTestServer());
  server->options_ = std::move(options);
  if (!server->options_.silent) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    server->ssl_ctx_ = ctx;
    BIO* chain = BIO_new_mem_buf(server->options_.cert_chain_pem.data(),
                                 server->options_.cert_chain_pem.size());
    X509* leaf = PEM_read_bio_X509(chain, nullptr, nullptr, nullptr);
    bool ok = leaf != nullptr && SSL_CTX_use_certificate(ctx, leaf) == 1;
    X509_free(leaf);
    while (ok) {
      X509* extra = PEM_read_bio_X509(chain, nullptr, nullptr, nullptr);
      if (extra == nullptr) break;
      SSL_CTX_add0_chain_cert(ctx, extra);
    }
    ERR_clear_error();  // the end of the PEM stream
    BIO_free(chain);
    BIO* key_bio = BIO_new_mem_buf(server->options_.key_pem.data(),
                                   server->options_.key_pem.size());
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    BIO_free(key_bio);
    ok = ok && key != nullptr && SSL_CTX_use_PrivateKey(ctx, key) == 1;
    EVP_PKEY_free(key);
    if (!ok) return absl::InvalidArgumentError("bad test certificate or key");
    SSL_CTX_set_tlsext_servername_callback(
        ctx, reinterpret_cast<int (*)(SSL*, int*, void*)>(OnServerName));
    SSL_CTX_set_tlsext_servername_arg(ctx, server.get());
  }
  absl::StatusOr<int> fd = ListenLoopback(16, &server->port_);
  if (!fd.ok()) return fd.status();
  server->listen_fd_ = *fd;
  server->thread_ = std::thread([s = server.get()] { s->Run(); });
  return server;
}

TlsTestServer::~TlsTestServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

// Runs while the server reads the ClientHello, before the client can see
// the handshake finish, so a test reading last_sni() after its handshake
// never races this.
int TlsTestServer::OnServerName(void* ssl, int*, void* arg) {
  auto* server = static_cast<TlsTestServer*>(arg);
  const char* name =
      SSL_get_servername(static_cast<SSL*>(ssl), TLSEXT_NAMETYPE_host_name);
  absl::MutexLock lock(&server->mu_);
  server->last_sni_ = name != nullptr ? name : "";
  return SSL_TLSEXT_ERR_OK;
}

std::string TlsTestServer::last_sni() const {
  absl::MutexLock lock(&mu_);
  return last_sni_;
}

void TlsTestServer::Run() {
  std::vector<int> held;  // silent mode keeps connections open, mute
  while (!stop_) {
    pollfd pfd = {listen_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 20) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (options_.silent) {
      held.push_back(fd);
      continue;
    }
    // A blocking handshake with a receive timeout, so a client that never
    // speaks cannot wedge the server.
    timeval timeout = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    SSL_CTX* ctx = static_cast<SSL_CTX*>(ssl_ctx_);
    {
      absl::MutexLock lock(&mu_);
      last_sni_.clear();
    }
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      ++handshakes_;
      SSL_shutdown(ssl);
    }
    ERR_clear_error();
    SSL_free(ssl);
    close(fd);
  }
  for (int fd : held) close(fd);
}

absl::StatusOr<std::unique_ptr<FullBacklogPort>> FullBacklogPort::Open() {
  std::unique_ptr<FullBacklogPort> port(new FullBacklogPort());
  absl::StatusOr<int> fd = ListenLoopback(0, &port->port_);
  if (!fd.ok()) return fd.status();
  port->listen_fd_ = *fd;
  // Backlog 0 still queues one connection on Linux; the second may also
  // complete before the queue counts as full. Two fillers cover both.
  for (int& filler : port->filler_fds_) {
    const int c =
        socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port->port_);
    connect(c, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    filler = c;
  }
  // Let the kernel finish the fillers' handshakes.
  usleep(50 * 1000);
  return port;
}

FullBacklogPort::~FullBacklogPort() {
  for (int fd : filler_fds_) {
    if (fd >= 0) close(fd);
  }
  if (listen_fd_ >= 0) close(listen_fd_);
}

}  // namespace lureguard::testing
