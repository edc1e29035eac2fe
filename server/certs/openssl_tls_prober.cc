#include "server/certs/openssl_tls_prober.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard::certs {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Verification errors of one handshake, collected by the verify callback.
struct VerifyRecord {
  std::vector<std::string> errors;
  bool chain_trusted = true;
  bool hostname_matches = true;
};

// Records each error and lets verification go on, so one probe describes
// every problem of the chain instead of stopping at the first.
int RecordVerifyError(int ok, X509_STORE_CTX* store) {
  if (ok == 1) return 1;
  SSL* ssl = static_cast<SSL*>(
      X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* record = static_cast<VerifyRecord*>(SSL_get_app_data(ssl));
  const int error = X509_STORE_CTX_get_error(store);
  const int depth = X509_STORE_CTX_get_error_depth(store);
  const std::string text =
      absl::StrCat("depth ", depth, ": ", X509_verify_cert_error_string(error));
  bool seen = false;
  for (const std::string& e : record->errors) seen |= e == text;
  if (!seen) record->errors.push_back(text);
  switch (error) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      record->hostname_matches = false;
      break;
    // Dates are facts of their own (expired, new); they do not make the
    // issuer untrusted.
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      break;
    default:
      record->chain_trusted = false;
  }
  return 1;
}

int Remaining(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - SteadyClock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on `fd` until the deadline; false when it passed.
bool WaitFor(int fd, short events, SteadyClock::time_point deadline) {
  for (;;) {
    const int timeout = Remaining(deadline);
    if (timeout == 0) return false;
    pollfd pfd = {fd, events, 0};
    const int rc = poll(&pfd, 1, timeout);
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;  // let the next call report the error
  }
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Connects to `address:port` without blocking past the deadline.
absl::Status Connect(const IpAddress& address, int port,
                     SteadyClock::time_point deadline, Fd& out,
                     const std::string& name) {
  sockaddr_storage storage = {};
  socklen_t length = 0;
  if (address.is_v6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    std::memcpy(&in6->sin6_addr, address.bytes.data(), 16);
    length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    std::memcpy(&in4->sin_addr, address.bytes.data(), 4);
    length = sizeof(sockaddr_in);
  }
  out.fd =
      socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (out.fd < 0) {
    return absl::ResourceExhaustedError(
        absl::StrCat("probe ", name, ": socket(): ", std::strerror(errno)));
  }
  const int one = 1;
  setsockopt(out.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(out.fd, reinterpret_cast<sockaddr*>(&storage), length) == 0) {
    return absl::OkStatus();
  }
  if (errno != EINPROGRESS) {
    return absl::UnavailableError(absl::StrCat("probe ", name, ": connect to ",
                                               IpAddressText(address), ": ",
                                               std::strerror(errno)));
  }
  if (!WaitFor(out.fd, POLLOUT, deadline)) {
    return absl::DeadlineExceededError(
        absl::StrCat("probe ", name, ": connect to ", IpAddressText(address),
                     " did not finish in time"));
  }
  int error = 0;
  socklen_t error_length = sizeof(error);
  getsockopt(out.fd, SOL_SOCKET, SO_ERROR, &error, &error_length);
  if (error != 0) {
    return absl::UnavailableError(absl::StrCat("probe ", name, ": connect to ",
                                               IpAddressText(address), ": ",
                                               std::strerror(error)));
  }
  return absl::OkStatus();
}

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "connection closed";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

}  // namespace

std::string ProbeTarget::ToString() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<std::unique_ptr<OpenSslTlsProber>> OpenSslTlsProber::Create(
    OpenSslTlsProberOptions options) {
  // OpenSSL writes with write(2): a probed server that closes early (as
  // hostile ones will) must be an error, not a SIGPIPE killing the process.
  // gRPC ignores SIGPIPE too; this holds for programs without it.
  signal(SIGPIPE, SIG_IGN);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return absl::InternalError("SSL_CTX_new failed");
  if (options.use_system_store) SSL_CTX_set_default_verify_paths(ctx);
  if (!options.extra_ca_file.empty() &&
      SSL_CTX_load_verify_locations(ctx, options.extra_ca_file.c_str(),
                                    nullptr) != 1) {
    const std::string why = OpenSslError();
    SSL_CTX_free(ctx);
    return absl::InvalidArgumentError(
        absl::StrCat("certs.extra_ca_file: '", options.extra_ca_file,
                     "' cannot be loaded as PEM certificates: ", why));
  }
  SSL_CTX_set_max_cert_list(ctx, options.max_cert_list_bytes);
  SSL_CTX_set_verify_depth(ctx, options.max_verify_depth);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, RecordVerifyError);
  // A probe reads certificates only; no session is ever resumed.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  return std::unique_ptr<OpenSslTlsProber>(
      new OpenSslTlsProber(std::move(options), ctx));
}

OpenSslTlsProber::OpenSslTlsProber(OpenSslTlsProberOptions options, void* ctx)
    : options_(std::move(options)), ctx_(ctx) {}

OpenSslTlsProber::~OpenSslTlsProber() {
  SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

absl::StatusOr<CertProbe> OpenSslTlsProber::Probe(const ProbeTarget& target) {
  const std::string name = target.ToString();
  if (target.host.empty() || target.port <= 0 || target.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("probe target '", name,
                     "': needs a host and a port in "
                     "1-65535"));
  }
  const SteadyClock::time_point start = SteadyClock::now();
  const Resolver& resolver =
      options_.resolver != nullptr ? *options_.resolver : SystemResolver();
  ASSIGN_OR_RETURN(
      std::vector<IpAddress> addresses,
      ResolveTarget(target.host, resolver, options_.target_policy, "probe"));
  const SteadyClock::time_point deadline =
      SteadyClock::now() + absl::ToChronoMilliseconds(options_.deadline);

  // Addresses in resolver order; the first that accepts is used.
  Fd fd;
  absl::Status connected = absl::UnavailableError("no address");
  const IpAddress* used = nullptr;
  for (const IpAddress& address : addresses) {
    fd = Fd();
    connected = Connect(address, target.port, deadline, fd, name);
    if (connected.ok()) {
      used = &address;
      break;
    }
    if (absl::IsDeadlineExceeded(connected)) return connected;
  }
  if (!connected.ok()) return connected;

  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
  if (ssl == nullptr) return absl::ResourceExhaustedError("SSL_new failed");
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl_owner(ssl, &SSL_free);
  VerifyRecord record;
  SSL_set_app_data(ssl, &record);
  SSL_set_fd(ssl, fd.fd);
  const bool is_ip = ParseIpAddress(target.host).has_value();
  if (is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), target.host.c_str());
  } else {
    // SNI is for host names only (RFC 6066 §3).
    SSL_set_tlsext_host_name(ssl, target.host.c_str());
    SSL_set1_host(ssl, target.host.c_str());
  }
  for (;;) {
    const int rc = SSL_connect(ssl);
    if (rc == 1) break;
    const int error = SSL_get_error(ssl, rc);
    short events = 0;
    if (error == SSL_ERROR_WANT_READ) {
      events = POLLIN;
    } else if (error == SSL_ERROR_WANT_WRITE) {
      events = POLLOUT;
    } else {
      return absl::UnavailableError(
          absl::StrCat("probe ", name, ": TLS handshake with ",
                       IpAddressText(*used), " failed: ", OpenSslError()));
    }
    if (!WaitFor(fd.fd, events, deadline)) {
      ERR_clear_error();
      return absl::DeadlineExceededError(absl::StrCat(
          "probe ", name, ": TLS handshake with ", IpAddressText(*used),
          " did not finish within ", absl::FormatDuration(options_.deadline)));
    }
  }

  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (leaf == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("probe ", name, ": the server sent no certificate"));
  }
  absl::StatusOr<CertFeatures> features = ExtractCertFeatures(leaf);
  if (!features.ok()) {
    return absl::Status(
        features.status().code(),
        absl::StrCat("probe ", name, ": ", features.status().message()));
  }
  CertProbe probe;
  probe.target = target;
  probe.address = IpAddressText(*used);
  probe.leaf = *std::move(features);
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  probe.chain_length = chain != nullptr ? sk_X509_num(chain) : 1;
  probe.chain_trusted = record.chain_trusted;
  probe.verify_errors = std::move(record.errors);
  probe.hostname_matches = record.hostname_matches;
  probe.tls_version = SSL_get_version(ssl);
  const Clock& clock =
      options_.clock != nullptr ? *options_.clock : SystemClock();
  probe.probed_at = clock.Now();
  probe.latency = absl::FromChrono(SteadyClock::now() - start);
  SSL_set_app_data(ssl, nullptr);
  return probe;
}

}  // namespace lureguard::certs
