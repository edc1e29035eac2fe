#include "tests/testing/raw_http_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace lureguard::testing {

RawConnection::RawConnection(const std::string& source, int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::Send(absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string RawConnection::Read(
    absl::Time deadline, bool* closed,
    const std::function<bool(const std::string&)>& done) {
  std::string data;
  if (closed != nullptr) *closed = false;
  while (true) {
    if (done != nullptr && done(data)) return data;
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return data;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1) <=
        0) {
      continue;
    }
    char buffer[16384];
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      if (closed != nullptr) *closed = true;
      return data;
    }
    data.append(buffer, static_cast<size_t>(n));
  }
}

std::vector<ParsedHttpResponse> ParseHttpResponses(absl::string_view wire) {
  std::vector<ParsedHttpResponse> responses;
  while (true) {
    const size_t end = wire.find("\r\n\r\n");
    if (end == absl::string_view::npos) break;
    ParsedHttpResponse response;
    size_t length = 0;
    std::vector<absl::string_view> lines =
        absl::StrSplit(wire.substr(0, end), "\r\n");
    if (lines.empty() || lines[0].size() < 12) break;
    if (!absl::SimpleAtoi(lines[0].substr(9, 3), &response.status)) break;
    for (absl::string_view line : lines) {
      if (absl::StartsWithIgnoreCase(line, "Content-Length: ")) {
        absl::SimpleAtoi(line.substr(16), &length);
      }
      if (absl::StartsWithIgnoreCase(line, "X-Request-Id: ")) {
        response.request_id = std::string(line.substr(14));
      }
    }
    if (wire.size() < end + 4 + length) break;
    response.body = std::string(wire.substr(end + 4, length));
    responses.push_back(std::move(response));
    wire.remove_prefix(end + 4 + length);
  }
  return responses;
}

}  // namespace lureguard::testing
