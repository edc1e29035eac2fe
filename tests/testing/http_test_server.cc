#include "tests/testing/http_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lureguard::testing {
namespace {

// How long the server waits for a client's request bytes.
constexpr int kReadTimeoutMs = 5000;

absl::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

// Sends all of `data`; false when the client went away.
bool SendAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

uint32_t Crc32(absl::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void AppendLittleEndian(std::string* out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out->push_back(static_cast<char>(value >> (8 * i)));
}

}  // namespace

std::string HttpTestRequest::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

std::string HttpTestServer::Gzip(absl::string_view data) {
  // RFC 1952 header: magic, deflate, no flags, no mtime, no extra flags,
  // OS unknown.
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  // RFC 1951 stored blocks of at most 65535 bytes.
  size_t offset = 0;
  do {
    const size_t length = std::min<size_t>(65535, data.size() - offset);
    const bool last = offset + length == data.size();
    out.push_back(last ? 1 : 0);
    AppendLittleEndian(&out, static_cast<uint32_t>(length), 2);
    AppendLittleEndian(&out, static_cast<uint32_t>(~length & 0xFFFF), 2);
    out.append(data.data() + offset, length);
    offset += length;
  } while (offset < data.size());
  AppendLittleEndian(&out, Crc32(data), 4);
  AppendLittleEndian(&out, static_cast<uint32_t>(data.size()), 4);
  return out;
}

absl::StatusOr<std::unique_ptr<HttpTestServer>> HttpTestServer::Start() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, 16) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::string error = strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("bind 127.0.0.1:0: ", error));
  }
  int wake[2];
  if (pipe2(wake, O_CLOEXEC) != 0) {
    close(fd);
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  std::unique_ptr<HttpTestServer> server(
      new HttpTestServer(fd, wake[0], wake[1], ntohs(address.sin_port)));
  server->thread_ = std::thread([s = server.get()] { s->Serve(); });
  return server;
}

HttpTestServer::HttpTestServer(int listen_fd, int wake_read_fd,
                               int wake_write_fd, int port)
    : listen_fd_(listen_fd),
      wake_read_fd_(wake_read_fd),
      wake_write_fd_(wake_write_fd),
      port_(port) {}

HttpTestServer::~HttpTestServer() {
  stopping_.Notify();
  char byte = 0;
  (void)!write(wake_write_fd_, &byte, 1);
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
  close(wake_read_fd_);
  close(wake_write_fd_);
}

std::string HttpTestServer::Url(absl::string_view path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void HttpTestServer::SetResponse(absl::string_view path,
                                 HttpTestResponse response) {
  absl::MutexLock lock(&mu_);
  responses_[std::string(path)] = std::move(response);
}

void HttpTestServer::SetHandler(absl::string_view path, Handler handler) {
  absl::MutexLock lock(&mu_);
  handlers_[std::string(path)] = std::move(handler);
}

std::vector<HttpTestRequest> HttpTestServer::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

bool HttpTestServer::Sleep(absl::Duration d) {
  return !stopping_.WaitForNotificationWithTimeout(d);
}

void HttpTestServer::Serve() {
  while (!stopping_.HasBeenNotified()) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    HandleConnection(fd);
  }
}

void HttpTestServer::HandleConnection(int fd) {
  // Read the request head; bodies are not expected (GET only).
  std::string head;
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    if (poll(fds, 2, kReadTimeoutMs) <= 0 || fds[1].revents != 0) {
      close(fd);
      return;
    }
    char buffer[4096];
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      close(fd);
      return;
    }
    head.append(buffer, static_cast<size_t>(n));
  }
  HttpTestRequest request;
  std::vector<absl::string_view> lines = absl::StrSplit(
      absl::string_view(head).substr(0, head.find("\r\n\r\n")), "\r\n");
  std::vector<absl::string_view> request_line =
      absl::StrSplit(lines.empty() ? "" : lines[0], ' ');
  if (request_line.size() >= 2) {
    request.method = std::string(request_line[0]);
    request.target = std::string(request_line[1]);
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos) continue;
    request.headers.emplace_back(
        std::string(absl::StripAsciiWhitespace(lines[i].substr(0, colon))),
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1))));
  }
  const std::string path = request.target.substr(0, request.target.find('?'));
  HttpTestResponse response;
  {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
    auto it = responses_.find(path);
    // The longest handler prefix of the path, if any.
    auto handler = handlers_.end();
    for (auto h = handlers_.begin(); h != handlers_.end(); ++h) {
      if (absl::StartsWith(path, h->first) &&
          (handler == handlers_.end() ||
           h->first.size() > handler->first.size())) {
        handler = h;
      }
    }
    if (it != responses_.end()) {
      response = it->second;
    } else if (handler != handlers_.end()) {
      response = handler->second(request);
    } else {
      response.status = 404;
      response.body = "not found\n";
    }
  }

  if (!Sleep(response.delay)) {
    close(fd);
    return;
  }
  std::string out = absl::StrCat("HTTP/1.1 ", response.status, " ",
                                 ReasonPhrase(response.status), "\r\n");
  bool has_length = false;
  for (const auto& [name, value] : response.headers) {
    absl::StrAppend(&out, name, ": ", value, "\r\n");
    has_length |= absl::EqualsIgnoreCase(name, "Content-Length");
  }
  if (!has_length && !response.omit_content_length) {
    absl::StrAppend(&out, "Content-Length: ", response.body.size(), "\r\n");
  }
  absl::StrAppend(&out, "Connection: close\r\n\r\n");
  bool ok = SendAll(fd, out);
  // A HEAD answer has the headers of the GET answer and no body.
  absl::string_view body =
      request.method == "HEAD" ? absl::string_view() : response.body;
  if (response.reset_after_body_bytes) {
    body = body.substr(0, *response.reset_after_body_bytes);
  }
  const size_t step =
      response.chunk_bytes == 0 ? body.size() : response.chunk_bytes;
  for (size_t i = 0; ok && i < body.size(); i += step) {
    if (i > 0 && !Sleep(response.chunk_delay)) break;
    ok = SendAll(fd, body.substr(i, step));
  }
  if (response.reset_after_body_bytes) {
    // SO_LINGER with a zero timeout turns close() into a TCP reset.
    linger reset = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
  } else {
    shutdown(fd, SHUT_WR);
  }
  close(fd);
}

}  // namespace lureguard::testing
