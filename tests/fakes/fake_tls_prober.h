// A TlsProber that answers from a script, for tests of the probe cache and
// the verdict engine. Probes can be held at a gate so a test sees them
// pending, then released.

#ifndef LUREGUARD_TESTS_FAKES_FAKE_TLS_PROBER_H_
#define LUREGUARD_TESTS_FAKES_FAKE_TLS_PROBER_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/certs/tls_prober.h"

namespace lureguard {

// Thread-safe scripted prober.
class FakeTlsProber final : public certs::TlsProber {
 public:
  // What probing `target` ("host:port") returns; Unavailable when unset.
  void Set(const std::string& target, absl::StatusOr<certs::CertProbe> r) {
    absl::MutexLock lock(&mu_);
    results_.insert_or_assign(target, std::move(r));
  }
  // While held, probes wait (on the executor's thread) until Release().
  void Hold() {
    absl::MutexLock lock(&mu_);
    held_ = true;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    held_ = false;
  }
  // Probes started so far (including held ones).
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  absl::StatusOr<certs::CertProbe> Probe(
      const certs::ProbeTarget& target) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    auto released = [this]()
                        ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !held_; };
    mu_.Await(absl::Condition(&released));
    auto it = results_.find(target.ToString());
    if (it == results_.end()) {
      return absl::UnavailableError("no scripted probe for " +
                                    target.ToString());
    }
    absl::StatusOr<certs::CertProbe> result = it->second;
    if (result.ok()) result->target = target;
    return result;
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, absl::StatusOr<certs::CertProbe>> results_
      ABSL_GUARDED_BY(mu_);
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_FAKE_TLS_PROBER_H_
