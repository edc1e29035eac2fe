// A tiny HTTP/1.1 server for tests of HTTP clients (the feed fetcher): it
// listens on 127.0.0.1, port 0, serves scripted responses by path on one
// thread, one connection at a time, and records every request. Responses
// can be slow, cut off mid-body or gzip-encoded, to exercise a client's
// timeouts, error paths and decoding against a real socket.
//
// Thread safety: all methods are safe to call while the server runs.
//
// Example:
//   absl::StatusOr<std::unique_ptr<HttpTestServer>> server =
//       HttpTestServer::Start();
//   (*server)->SetResponse("/feed.txt", {.body = "evil.test\n"});
//   FetchSomething((*server)->Url("/feed.txt"));
//   EXPECT_EQ((*server)->requests()[0].Header("user-agent"), "...");

#ifndef LUREGUARD_TESTS_TESTING_HTTP_TEST_SERVER_H_
#define LUREGUARD_TESTS_TESTING_HTTP_TEST_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace lureguard::testing {

// What the server answers for one path.
struct HttpTestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Waits this long before sending anything.
  absl::Duration delay = absl::ZeroDuration();
  // Sends the body in pieces of this many bytes, `chunk_delay` apart (a
  // slow body); 0 sends it at once.
  size_t chunk_bytes = 0;
  absl::Duration chunk_delay = absl::ZeroDuration();
  // Resets the connection after this many body bytes (a server dying
  // mid-body); Content-Length still announces the whole body.
  std::optional<size_t> reset_after_body_bytes;
  // Sends no Content-Length: the body ends when the connection closes.
  bool omit_content_length = false;
};

// One request as received.
struct HttpTestRequest {
  std::string method;
  std::string target;  // "/path?query"
  std::vector<std::pair<std::string, std::string>> headers;

  // The first value of header `name` (any case), or "" when absent.
  std::string Header(absl::string_view name) const;
};

class HttpTestServer {
 public:
  // Binds 127.0.0.1:0 and starts serving. Unscripted paths get a 404.
  static absl::StatusOr<std::unique_ptr<HttpTestServer>> Start();
  ~HttpTestServer();  // stops the thread, cutting short any delay

  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + `path`.
  std::string Url(absl::string_view path) const;

  // Scripts the response for `path` (the request target without its query).
  void SetResponse(absl::string_view path, HttpTestResponse response);
  // Answers requests whose path starts with `path_prefix` (any query; the
  // longest prefix wins) by calling `handler`, for answers that depend on
  // the path or query (a CT log's get-entries and tiles). Called on
  // the server thread with the server's lock held: it must not call back
  // into the server. A response scripted with SetResponse wins.
  using Handler = std::function<HttpTestResponse(const HttpTestRequest&)>;
  void SetHandler(absl::string_view path_prefix, Handler handler);

  std::vector<HttpTestRequest> requests() const;

  // `data` as a gzip member of stored (uncompressed) deflate blocks: a
  // valid gzip stream without a zlib dependency in the tests.
  static std::string Gzip(absl::string_view data);

 private:
  HttpTestServer(int listen_fd, int wake_fd_read, int wake_fd_write, int port);
  void Serve();
  void HandleConnection(int fd);
  // Waits for `d` unless the server stops first; false when stopping.
  bool Sleep(absl::Duration d);

  const int listen_fd_;
  const int wake_read_fd_;
  const int wake_write_fd_;
  const int port_;
  absl::Notification stopping_;
  mutable absl::Mutex mu_;
  std::map<std::string, HttpTestResponse, std::less<>> responses_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, Handler, std::less<>> handlers_ ABSL_GUARDED_BY(mu_);
  std::vector<HttpTestRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_HTTP_TEST_SERVER_H_
