#include "client/host_port.h"

#include "absl/strings/numbers.h"

namespace lureguard::cli {

bool SplitHostPort(const std::string& text, std::string& host, int& port) {
  port = 0;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) return false;
    host = text.substr(0, close + 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return false;
      port_text = text.substr(close + 2);
    }
  } else if (const size_t colon = text.find(':');
             colon != std::string::npos &&
             text.find(':', colon + 1) == std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  } else {
    host = text;  // a bare name, or an IPv6 address without a port
  }
  if (port_text.empty()) return text.back() != ':';
  return absl::SimpleAtoi(port_text, &port) && port >= 1 && port <= 65535;
}

}  // namespace lureguard::cli
