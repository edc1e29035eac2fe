// The HTTP listener's book of open connections, deciding who may connect:
// at most `max_per_ip` connections from one client address (the next one
// is refused), and at most `max_connections` in all. At the global limit
// the table sheds the oldest connection that has not yet sent a complete
// request (an idle new connection or a slow header: what an attacker
// holds open), so clients that finish their requests keep being served;
// only when every connection has sent one is the newcomer refused.
//
// Pure bookkeeping over ids; the listener closes what it is told to.
//
// Thread safety: none; the listener guards it with its mutex.
//
// Example:
//   HttpConnectionTable table(/*max_connections=*/2, /*max_per_ip=*/1);
//   HttpConnectionTable::Admission a = table.Admit(1, "192.0.2.1");
//   // a.outcome == kAdmitted; later table.RequestReceived(1);
//   table.Remove(1);

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_CONNECTION_TABLE_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_CONNECTION_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace lureguard::service {

class HttpConnectionTable {
 public:
  enum class Outcome {
    kAdmitted,
    kRefusedPerIp,  // the client address has max_per_ip connections
    kRefusedFull,   // the limit is reached and nobody can be shed
  };
  struct Admission {
    Outcome outcome = Outcome::kAdmitted;
    // Admitted by shedding this connection (already removed from the
    // table): the caller must close it.
    std::optional<uint64_t> shed;
  };

  HttpConnectionTable(size_t max_connections, size_t max_per_ip);

  // Records connection `id` from `ip`. REQUIRES: ids grow with time (the
  // oldest connection has the smallest id) and are not in the table.
  Admission Admit(uint64_t id, const std::string& ip);

  // Connection `id` has sent a complete request: it is no longer sheddable.
  void RequestReceived(uint64_t id);

  // Forgets connection `id` (closed). Returns false for an id the table
  // no longer holds (unknown, or already shed).
  bool Remove(uint64_t id);

  size_t size() const { return connections_.size(); }
  size_t ConnectionsFrom(const std::string& ip) const;

 private:
  struct Connection {
    std::string ip;
    bool sent_request = false;
  };

  void Forget(uint64_t id, const Connection& connection);

  const size_t max_connections_;
  const size_t max_per_ip_;
  absl::flat_hash_map<uint64_t, Connection> connections_;
  absl::flat_hash_map<std::string, size_t> per_ip_;
  std::set<uint64_t> waiting_;  // no complete request yet, oldest first
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_CONNECTION_TABLE_H_
