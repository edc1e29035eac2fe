#include "server/certs/alert_hosts.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace lureguard::certs {

AlertedHosts AlertedHosts::Build(std::vector<store::AlertRecord> alerts) {
  AlertedHosts hosts;
  hosts.alerts_ = std::move(alerts);
  for (size_t i = 0; i < hosts.alerts_.size(); ++i) {
    auto [it, inserted] = hosts.by_name_.try_emplace(hosts.alerts_[i].name, i);
    if (!inserted && hosts.alerts_[it->second].id < hosts.alerts_[i].id) {
      it->second = i;
    }
  }
  return hosts;
}

const store::AlertRecord* AlertedHosts::Find(absl::string_view host) const {
  if (by_name_.empty()) return nullptr;
  auto it = by_name_.find(host);
  if (it != by_name_.end()) return &alerts_[it->second];
  const size_t dot = host.find('.');
  if (dot == absl::string_view::npos || dot == 0) return nullptr;
  it = by_name_.find(absl::StrCat("*", host.substr(dot)));
  return it == by_name_.end() ? nullptr : &alerts_[it->second];
}

}  // namespace lureguard::certs
