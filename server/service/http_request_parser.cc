#include "server/service/http_request_parser.h"

// Boost 1.74's basic_parser::parse_chunk_header asserts n >= 5 when a
// final chunk's trailer is still arriving, yet n == 4 is valid there (a
// client sending "0\r\n", then "\r", then "\n"); the code after the
// assert handles it (Beast PR #2861, merged 2024, fixed the assert). Our
// fuzzer delivers bytes one at a time and would stop on it, so asserts are
// off in this file, as in every release build. Beast's parser is
// instantiated only here.
#define BOOST_DISABLE_ASSERTS

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"

namespace lureguard::service {

namespace http = boost::beast::http;

struct HttpRequestParser::Impl {
  http::request_parser<http::string_body> parser;
};

HttpRequestParser::HttpRequestParser(const HttpLimits& limits)
    : limits_(limits), impl_(std::make_unique<Impl>()) {
  impl_->parser.header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(limits.max_header_bytes, UINT32_MAX)));
  impl_->parser.body_limit(limits.max_body_bytes);
  // Parse the body as it arrives, in the same calls as the header.
  impl_->parser.eager(true);
}

HttpRequestParser::~HttpRequestParser() = default;

bool HttpRequestParser::header_done() const {
  return impl_->parser.is_header_done();
}

bool HttpRequestParser::done() const {
  return !failed() && impl_->parser.is_done();
}

void HttpRequestParser::Fail(int status, std::string message) {
  error_status_ = status;
  error_message_ = std::move(message);
}

size_t HttpRequestParser::Feed(absl::string_view data) {
  size_t consumed = 0;
  while (!failed() && !impl_->parser.is_done() && consumed < data.size()) {
    boost::beast::error_code error;
    const size_t used =
        impl_->parser.put(boost::asio::const_buffer(data.data() + consumed,
                                                    data.size() - consumed),
                          error);
    consumed += used;
    if (impl_->parser.is_header_done() && !fields_counted_) {
      fields_counted_ = true;
      const auto& header = impl_->parser.get();
      const size_t fields =
          static_cast<size_t>(std::distance(header.begin(), header.end()));
      if (fields > limits_.max_header_count) {
        Fail(431, absl::StrCat("the request has ", fields,
                               " header fields; the limit is ",
                               limits_.max_header_count));
        break;
      }
    }
    if (error == http::error::need_more) {
      // Beast must next see these bytes again followed by newer ones:
      // parsing the same bytes twice breaks its chunk-header bookkeeping
      // (basic_parser asserts n >= 5 in Boost 1.74; found by the fuzzer).
      break;
    }
    if (error == http::error::header_limit) {
      Fail(431, absl::StrCat("the request header is over ",
                             limits_.max_header_bytes, " bytes"));
    } else if (error == http::error::body_limit) {
      Fail(413, absl::StrCat("the request body is over ",
                             limits_.max_body_bytes, " bytes"));
    } else if (error) {
      Fail(400, absl::StrCat("malformed request: ", error.message()));
    } else if (used == 0) {
      break;
    }
  }
  return consumed;
}

HttpRequest HttpRequestParser::Take(std::string remote_address) {
  http::request<http::string_body> message = impl_->parser.release();
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  SplitTarget(request.target, request.path, request.query);
  for (const auto& field : message) {
    request.headers.Add(
        absl::string_view(field.name_string().data(),
                          field.name_string().size()),
        absl::string_view(field.value().data(), field.value().size()));
  }
  request.body = std::move(message.body());
  request.remote_address = std::move(remote_address);
  request.version = message.version() == 10 ? 10 : 11;
  request.keep_alive = message.keep_alive();
  return request;
}

}  // namespace lureguard::service
