#include "tests/fakes/fake_resolver.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace lureguard {

FakeResolver::FakeResolver(
    std::map<std::string, std::vector<std::string>> table) {
  for (auto& [host, addresses] : table) Answer(host, std::move(addresses));
}

void FakeResolver::Answer(const std::string& host,
                          std::vector<std::string> addresses) {
  absl::MutexLock lock(&mu_);
  answers_.insert_or_assign(host, std::move(addresses));
}

void FakeResolver::Fail(const std::string& host, absl::Status error) {
  absl::MutexLock lock(&mu_);
  answers_.insert_or_assign(host, std::move(error));
}

void FakeResolver::AnswerOtherHosts(std::vector<std::string> addresses) {
  absl::MutexLock lock(&mu_);
  other_hosts_ = std::move(addresses);
}

std::vector<std::string> FakeResolver::lookups() const {
  absl::MutexLock lock(&mu_);
  return lookups_;
}

absl::StatusOr<std::vector<IpAddress>> FakeResolver::Resolve(
    const std::string& host) const {
  absl::StatusOr<std::vector<std::string>> texts;
  {
    absl::MutexLock lock(&mu_);
    lookups_.push_back(host);
    auto it = answers_.find(host);
    if (it != answers_.end()) {
      texts = it->second;
    } else if (other_hosts_.has_value()) {
      texts = *other_hosts_;
    } else {
      return absl::UnavailableError(
          absl::StrCat("cannot resolve '", host, "'"));
    }
  }
  if (!texts.ok()) return texts.status();
  std::vector<IpAddress> addresses;
  for (const std::string& text : *texts) {
    std::optional<IpAddress> address = ParseIpAddress(text);
    if (!address.has_value()) {
      return absl::InternalError(absl::StrCat(
          "FakeResolver: '", text, "' (for '", host, "') is not an address"));
    }
    addresses.push_back(*address);
  }
  return addresses;
}

}  // namespace lureguard
