// The one verdict policy every check goes through (DESIGN.md §7).
//
// Hard rules come first: an allow-list reason makes the verdict ALLOW, a
// block-list reason BLOCK. Otherwise the reasons' weights are combined with
// a noisy-OR, score = 1 - prod(1 - w_i), and the score is mapped to an
// action by the thresholds. Certificate reasons (CERT_*) are boosters: they
// count only when some other reason has weight; alone their weight is 0.
//
// Example:
//   Policy policy;  // defaults: WARN >= 0.5, BLOCK >= 0.85
//   Verdict v = policy.Decide(std::move(reasons), absl::Minutes(5));

#ifndef LUREGUARD_SERVER_VERDICT_POLICY_H_
#define LUREGUARD_SERVER_VERDICT_POLICY_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

struct Policy {
  double warn_threshold = 0.5;
  double block_threshold = 0.85;
  // Longest time a caller may cache a verdict; list changes reach callers
  // at most this late.
  absl::Duration max_cache_ttl = absl::Minutes(5);

  // InvalidArgument naming the field when a threshold is outside [0, 1],
  // warn is above block, or the TTL is negative.
  absl::Status Validate() const;

  // Combines `reasons` into a verdict. `cache_ttl_bound` caps the cache TTL
  // further (e.g. the time until a matched entry expires). Reasons are
  // sorted strongest first. The verdict id is left empty.
  Verdict Decide(std::vector<Reason> reasons,
                 absl::Duration cache_ttl_bound) const;
};

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_POLICY_H_
