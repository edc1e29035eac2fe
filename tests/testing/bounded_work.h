// The wall-clock bound of a test that checks a hostile input is cut, not
// processed in full ("a 10 MB literal", "2,000 self-doublings").
//
// ctest must not fail on a slow machine: CI runs these under ASan and UBSan
// on two loaded cores, where a linear pass over a 10 MB input has taken over
// 3 s. The bound is loose for that, and still far below what the paths
// these tests guard against take on the same inputs (a quadratic pass over
// 10 MB, an unbounded doubling: hours, or never).
//
// Example:
//   const auto start = std::chrono::steady_clock::now();
//   const ScriptScan scan = ScanScript(huge, ScriptScanLimits{});
//   EXPECT_LT(std::chrono::steady_clock::now() - start, kBoundedWorkTime);

#ifndef LUREGUARD_TESTS_TESTING_BOUNDED_WORK_H_
#define LUREGUARD_TESTS_TESTING_BOUNDED_WORK_H_

#include <chrono>

namespace lureguard::testing {

inline constexpr std::chrono::seconds kBoundedWorkTime{30};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_BOUNDED_WORK_H_
