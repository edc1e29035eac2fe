#include "server/common/status_macros.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace lureguard {
namespace {

absl::Status Step(bool ok, int& calls) {
  ++calls;
  return ok ? absl::OkStatus() : absl::NotFoundError("step failed");
}

absl::Status TwoSteps(bool first_ok, bool second_ok, int& calls) {
  RETURN_IF_ERROR(Step(first_ok, calls));
  RETURN_IF_ERROR(Step(second_ok, calls));
  return absl::OkStatus();
}

TEST(StatusMacros, ReturnIfErrorReturnsTheFirstFailureUnchanged) {
  int calls = 0;
  EXPECT_TRUE(TwoSteps(true, true, calls).ok());
  EXPECT_EQ(calls, 2);

  calls = 0;
  EXPECT_EQ(TwoSteps(false, true, calls), absl::NotFoundError("step failed"));
  EXPECT_EQ(calls, 1);  // the second step never ran

  calls = 0;
  EXPECT_EQ(TwoSteps(true, false, calls), absl::NotFoundError("step failed"));
  EXPECT_EQ(calls, 2);
}

absl::StatusOr<std::unique_ptr<std::string>> Make(bool ok, int& calls) {
  ++calls;
  if (!ok) return absl::InvalidArgumentError("value: bad");
  return std::make_unique<std::string>("made");
}

absl::StatusOr<std::string> Use(bool ok, int& calls) {
  // A move-only value: the macro moves it out rather than copying.
  ASSIGN_OR_RETURN(std::unique_ptr<std::string> made, Make(ok, calls));
  std::string assigned;
  ASSIGN_OR_RETURN(assigned, absl::StatusOr<std::string>("again"));
  return *made + " " + assigned;
}

TEST(StatusMacros, AssignOrReturnDeclaresOrAssignsTheValue) {
  int calls = 0;
  absl::StatusOr<std::string> used = Use(true, calls);
  ASSERT_TRUE(used.ok()) << used.status();
  EXPECT_EQ(*used, "made again");
  EXPECT_EQ(calls, 1);  // evaluated once

  calls = 0;
  EXPECT_EQ(Use(false, calls).status(),
            absl::InvalidArgumentError("value: bad"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace lureguard
