// The hosts named by recent certificate-transparency alerts, as the verdict
// snapshot holds them: a host seen in a recent alert is flagged at once,
// before any list or feed names it.
//
// Thread safety: immutable after Build; const methods are safe for
// concurrent use by multiple threads without external synchronization.
//
// Example:
//   AlertedHosts hosts = AlertedHosts::Build(recent_alerts);
//   if (const store::AlertRecord* a = hosts.Find("login.paypa1-login.com")) {
//     // a->name == "*.paypa1-login.com"
//   }

#ifndef LUREGUARD_SERVER_CERTS_ALERT_HOSTS_H_
#define LUREGUARD_SERVER_CERTS_ALERT_HOSTS_H_

#include <cstddef>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "server/store/store.h"

namespace lureguard::certs {

class AlertedHosts {
 public:
  // Indexes `alerts` by name; for a name alerted more than once the newest
  // alert (highest id) is kept. A wildcard name "*.x.com" covers the hosts
  // one label below x.com, as in TLS (RFC 6125 §6.4.3).
  static AlertedHosts Build(std::vector<store::AlertRecord> alerts);

  // The alert naming `host` (lowercase, no trailing dot) exactly or through
  // a wildcard; null when none does.
  const store::AlertRecord* Find(absl::string_view host) const;

  size_t size() const { return alerts_.size(); }

 private:
  std::vector<store::AlertRecord> alerts_;
  // name (wildcards kept as "*.x.com") -> index into alerts_
  absl::flat_hash_map<std::string, size_t> by_name_;
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_ALERT_HOSTS_H_
