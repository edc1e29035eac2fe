// HTTP/1.1 the way a hostile or careful client speaks it, byte for byte:
// one TCP connection from a chosen loopback source address (bound before
// connect, so a server's per-address limits see distinct clients), plain
// sends, reads bounded by a deadline, and a reader of Content-Length
// framed answers. For tests and benchmarks of the HTTP front.
//
// Example:
//   RawConnection client("127.0.0.2", port);
//   client.Send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
//   bool closed = false;
//   std::vector<ParsedHttpResponse> answers = ParseHttpResponses(
//       client.Read(absl::Now() + absl::Seconds(5), &closed));

#ifndef LUREGUARD_TESTS_TESTING_RAW_HTTP_CONNECTION_H_
#define LUREGUARD_TESTS_TESTING_RAW_HTTP_CONNECTION_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::testing {

class RawConnection {
 public:
  // Connects from `source` (an IPv4 loopback address) to 127.0.0.1:`port`.
  RawConnection(const std::string& source, int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // False when the connection is gone.
  bool Send(absl::string_view bytes);

  // Reads until the peer closes, `done(bytes so far)` says so, or the
  // deadline. `closed`, when given, tells whether the peer closed.
  std::string Read(
      absl::Time deadline, bool* closed = nullptr,
      const std::function<bool(const std::string&)>& done = nullptr);

 private:
  int fd_ = -1;
};

// One answer read off the wire.
struct ParsedHttpResponse {
  int status = 0;
  std::string request_id;  // X-Request-Id
  std::string body;
};

// The complete Content-Length framed answers at the start of `wire`.
std::vector<ParsedHttpResponse> ParseHttpResponses(absl::string_view wire);

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_RAW_HTTP_CONNECTION_H_
