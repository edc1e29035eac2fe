// Turns the bytes a client sends into HttpRequests, one at a time, within
// the limits: header bytes and field count (431), body bytes (413), and
// HTTP/1.0 or HTTP/1.1 syntax (400). The parser is Boost.Beast's; bytes come
// from the caller, so the same code runs on a socket and on a fuzzer's buffer.
//
// A parser reads one request. Bytes past its end (a pipelined request)
// are left unconsumed for the next parser.
//
// Thread safety: none; one parser belongs to one connection.
//
// Example:
//   HttpRequestParser parser(limits);
//   size_t used = parser.Feed(bytes);   // call again with what is left
//   if (parser.done()) { HttpRequest request = parser.Take("127.0.0.1"); }
//   if (parser.failed()) { Answer(parser.error_status()); }

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_REQUEST_PARSER_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_REQUEST_PARSER_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "server/service/http_limits.h"
#include "server/service/http_request.h"

namespace lureguard::service {

class HttpRequestParser {
 public:
  explicit HttpRequestParser(const HttpLimits& limits);
  ~HttpRequestParser();

  HttpRequestParser(const HttpRequestParser&) = delete;
  HttpRequestParser& operator=(const HttpRequestParser&) = delete;

  // Parses from the start of `data` and returns the bytes consumed. Bytes
  // that are not consumed (an incomplete element, or a next request) must
  // be passed again on the next call, followed by newer ones: when
  // neither done() nor failed(), the parser needs more bytes than it was
  // given, and must not be called again before more arrive. Stops
  // consuming once done() or failed().
  size_t Feed(absl::string_view data);

  // The whole header has been read.
  bool header_done() const;
  // The whole request has been read; Take it.
  bool done() const;
  // The request broke a limit or HTTP's syntax; answer error_status() and
  // close the connection.
  bool failed() const { return error_status_ != 0; }
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

  // REQUIRES: done(). The request, once.
  HttpRequest Take(std::string remote_address);

 private:
  struct Impl;

  void Fail(int status, std::string message);

  const HttpLimits limits_;
  std::unique_ptr<Impl> impl_;
  int error_status_ = 0;
  std::string error_message_;
  bool fields_counted_ = false;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_REQUEST_PARSER_H_
