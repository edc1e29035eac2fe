// A TLS server for tests of TLS clients (the certificate probe): it listens
// on 127.0.0.1, port 0, and completes a real OpenSSL handshake with the
// certificate chain it was given, one connection at a time, on its own
// thread. A silent server accepts TCP connections and never speaks, and a
// `FullBacklogPort` never even answers a SYN, so clients' deadlines can be
// exercised against real sockets.
//
// Thread safety: the accessors are safe to call while the server runs.
//
// Example:
//   absl::StatusOr<std::unique_ptr<TlsTestServer>> server =
//       TlsTestServer::Start({.cert_chain_pem = leaf.cert_pem,
//                             .key_pem = leaf.key_pem});
//   Probe("127.0.0.1", (*server)->port());
//   EXPECT_EQ((*server)->last_sni(), "shop.test");

#ifndef LUREGUARD_TESTS_TESTING_TLS_TEST_SERVER_H_
#define LUREGUARD_TESTS_TESTING_TLS_TEST_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace lureguard::testing {

struct TlsTestServerOptions {
  // Leaf first, then intermediates, PEM.
  std::string cert_chain_pem;
  std::string key_pem;
  // Accept TCP connections but never send a byte (no handshake).
  bool silent = false;
};

class TlsTestServer {
 public:
  static absl::StatusOr<std::unique_ptr<TlsTestServer>> Start(
      TlsTestServerOptions options);
  ~TlsTestServer();

  int port() const { return port_; }
  // Handshakes completed so far.
  int handshakes() const { return handshakes_.load(); }
  // The server name the last client sent (SNI), "" when none.
  std::string last_sni() const;

 private:
  TlsTestServer() = default;
  void Run();
  static int OnServerName(void* ssl, int* alert, void* arg);

  TlsTestServerOptions options_;
  int listen_fd_ = -1;
  int port_ = 0;
  void* ssl_ctx_ = nullptr;  // SSL_CTX*
  std::atomic<bool> stop_{false};
  std::atomic<int> handshakes_{0};
  mutable absl::Mutex mu_;
  std::string last_sni_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

// A loopback port whose listen queue is full: a SYN to it gets no answer,
// so a connect() hangs until the client gives up. Linux drops SYNs when
// the accept queue of a listener is full; with backlog 0 one established
// connection that is never accepted fills it.
class FullBacklogPort {
 public:
  static absl::StatusOr<std::unique_ptr<FullBacklogPort>> Open();
  ~FullBacklogPort();
  int port() const { return port_; }

 private:
  FullBacklogPort() = default;
  int listen_fd_ = -1;
  int filler_fds_[2] = {-1, -1};
  int port_ = 0;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_TLS_TEST_SERVER_H_
