#include "server/service/http_response.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lureguard::service {
namespace {

// A header value must not break the framing: a handler that copies a
// value from a request (or a URL into Location) cannot split the answer.
bool SafeFieldText(absl::string_view text) {
  for (const unsigned char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool FramingField(absl::string_view name) {
  return absl::EqualsIgnoreCase(name, "Content-Length") ||
         absl::EqualsIgnoreCase(name, "Transfer-Encoding") ||
         absl::EqualsIgnoreCase(name, "Connection");
}

}  // namespace

void HttpResponse::SetContent(std::string content,
                              absl::string_view content_type) {
  body = std::move(content);
  headers.Set("Content-Type", content_type);
}

absl::string_view HttpReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string SerializeHttpResponse(const HttpResponse& response,
                                  const HttpFraming& framing) {
  const int status =
      response.status >= 100 && response.status <= 999 ? response.status : 500;
  std::string wire =
      absl::StrCat(framing.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ", status,
                   " ", HttpReasonPhrase(status), "\r\n");
  for (const auto& [name, value] : response.headers.fields()) {
    if (FramingField(name) || name.empty() || !SafeFieldText(name) ||
        !SafeFieldText(value)) {
      continue;
    }
    absl::StrAppend(&wire, name, ": ", value, "\r\n");
  }
  absl::StrAppend(&wire, "Content-Length: ", response.body.size(), "\r\n");
  if (!framing.keep_alive) {
    absl::StrAppend(&wire, "Connection: close\r\n");
  } else if (framing.version == 10) {
    absl::StrAppend(&wire, "Connection: keep-alive\r\n");
  }
  absl::StrAppend(&wire, "\r\n");
  if (!framing.head_request) wire.append(response.body);
  return wire;
}

}  // namespace lureguard::service
