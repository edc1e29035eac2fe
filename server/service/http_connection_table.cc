#include "server/service/http_connection_table.h"

namespace lureguard::service {

HttpConnectionTable::HttpConnectionTable(size_t max_connections,
                                         size_t max_per_ip)
    : max_connections_(max_connections), max_per_ip_(max_per_ip) {}

HttpConnectionTable::Admission HttpConnectionTable::Admit(
    uint64_t id, const std::string& ip) {
  Admission admission;
  if (ConnectionsFrom(ip) >= max_per_ip_) {
    admission.outcome = Outcome::kRefusedPerIp;
    return admission;
  }
  if (connections_.size() >= max_connections_) {
    if (waiting_.empty()) {
      admission.outcome = Outcome::kRefusedFull;
      return admission;
    }
    const uint64_t oldest = *waiting_.begin();
    auto it = connections_.find(oldest);
    Forget(oldest, it->second);
    connections_.erase(it);
    admission.shed = oldest;
  }
  connections_[id] = Connection{ip, false};
  ++per_ip_[ip];
  waiting_.insert(id);
  return admission;
}

void HttpConnectionTable::RequestReceived(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.sent_request) return;
  it->second.sent_request = true;
  waiting_.erase(id);
}

bool HttpConnectionTable::Remove(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  Forget(id, it->second);
  connections_.erase(it);
  return true;
}

size_t HttpConnectionTable::ConnectionsFrom(const std::string& ip) const {
  auto it = per_ip_.find(ip);
  return it == per_ip_.end() ? 0 : it->second;
}

void HttpConnectionTable::Forget(uint64_t id, const Connection& connection) {
  waiting_.erase(id);
  auto ip = per_ip_.find(connection.ip);
  if (ip != per_ip_.end() && --ip->second == 0) per_ip_.erase(ip);
}

}  // namespace lureguard::service
