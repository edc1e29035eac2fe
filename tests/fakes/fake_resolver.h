// A Resolver that answers from a table a test fills in, instead of DNS, and
// records what was looked up. Tests point attacker-style names
// (`paypa1-login.com`) at their loopback servers with it, or make a name
// fail to resolve.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization (TLS probes resolve on executor threads).
//
// Example:
//   FakeResolver resolver({{"public.test", {"93.184.216.34"}}});
//   resolver.Fail("down.test", absl::UnavailableError("SERVFAIL"));
//   resolver.AnswerOtherHosts({"127.0.0.1"});  // everything else: loopback
//   ResolveTarget("shop.test", resolver, policy, "probe");
//   // resolver.lookups() == {"shop.test"}

#ifndef LUREGUARD_TESTS_FAKES_FAKE_RESOLVER_H_
#define LUREGUARD_TESTS_FAKES_FAKE_RESOLVER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/common/ip_range.h"
#include "server/common/target_guard.h"

namespace lureguard {

// Scripted name resolution. A host with no answer and no default fails with
// Unavailable "cannot resolve '<host>'", as SystemResolver() does.
class FakeResolver final : public Resolver {
 public:
  FakeResolver() = default;
  // `table` maps host names to address texts ("192.0.2.1", "::1").
  explicit FakeResolver(std::map<std::string, std::vector<std::string>> table);

  // `host` resolves to `addresses` (texts; may be empty: a name with no
  // addresses). An address that does not parse fails the lookup with
  // Internal naming it, so a typo in a test shows up in its result.
  void Answer(const std::string& host, std::vector<std::string> addresses);
  // Looking `host` up returns `error`.
  void Fail(const std::string& host, absl::Status error);
  // Hosts not answered above resolve to `addresses`.
  void AnswerOtherHosts(std::vector<std::string> addresses);

  // The hosts looked up so far, in order.
  std::vector<std::string> lookups() const;

  absl::StatusOr<std::vector<IpAddress>> Resolve(
      const std::string& host) const override;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, absl::StatusOr<std::vector<std::string>>> answers_
      ABSL_GUARDED_BY(mu_);
  std::optional<std::vector<std::string>> other_hosts_ ABSL_GUARDED_BY(mu_);
  mutable std::vector<std::string> lookups_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_FAKE_RESOLVER_H_
