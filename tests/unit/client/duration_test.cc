#include "client/duration.h"

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::cli {
namespace {

TEST(ParseCliDuration, AcceptsGoUnitsAndDays) {
  const struct {
    const char* text;
    absl::Duration want;
  } kCases[] = {
      {"90s", absl::Seconds(90)},       {"30m", absl::Minutes(30)},
      {"24h", absl::Hours(24)},         {"7d", absl::Hours(7 * 24)},
      {"1h30m", absl::Minutes(90)},     {"1d12h", absl::Hours(36)},
      {"1.5d", absl::Hours(36)},        {"250ms", absl::Milliseconds(250)},
      {"10us", absl::Microseconds(10)}, {"5ns", absl::Nanoseconds(5)},
      {"0", absl::ZeroDuration()},      {"0s", absl::ZeroDuration()},
      {"+2m", absl::Minutes(2)},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<absl::Duration> d = ParseCliDuration(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.status();
    EXPECT_EQ(*d, c.want) << c.text;
  }
}

TEST(ParseCliDuration, RejectsMalformedTextNamingIt) {
  const struct {
    const char* text;
    const char* message;
  } kCases[] = {
      {"", "invalid duration \"\": empty"},
      {"10",
       "invalid duration \"10\": missing unit after \"10\" (want ns, "
       "us, ms, s, m, h or d)"},
      {"7x",
       "invalid duration \"7x\": unknown unit \"x\" (want ns, us, ms, "
       "s, m, h or d)"},
      {"-5m", "invalid duration \"-5m\": negative durations are not accepted"},
      {"h", "invalid duration \"h\": expected a number at \"h\""},
      {"1h 30m", "invalid duration \"1h 30m\": expected a number at \" 30m\""},
      {"1..5s", "invalid duration \"1..5s\": bad number \"1..5\""},
      {"2week",
       "invalid duration \"2week\": unknown unit \"week\" (want ns, "
       "us, ms, s, m, h or d)"},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<absl::Duration> d = ParseCliDuration(c.text);
    ASSERT_FALSE(d.ok()) << c.text;
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(d.status().message(), c.message);
  }
}

TEST(FormatCliDuration, SplitsDaysAndDropsSubsecondsAboveAMinute) {
  EXPECT_EQ(FormatCliDuration(absl::ZeroDuration()), "0");
  EXPECT_EQ(FormatCliDuration(absl::Seconds(42)), "42s");
  EXPECT_EQ(FormatCliDuration(absl::Milliseconds(1500)), "1.5s");
  EXPECT_EQ(FormatCliDuration(absl::Minutes(90)), "1h30m");
  EXPECT_EQ(FormatCliDuration(absl::Hours(76) + absl::Minutes(5) +
                              absl::Seconds(6) + absl::Milliseconds(7)),
            "3d4h5m6s");
  EXPECT_EQ(FormatCliDuration(absl::Hours(48)), "2d");
}

TEST(FormatCliDuration, RoundTripsThroughTheParser) {
  for (absl::Duration d :
       {absl::Hours(49), absl::Seconds(61), absl::Hours(1)}) {
    absl::StatusOr<absl::Duration> back =
        ParseCliDuration(FormatCliDuration(d));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, d);
  }
}

}  // namespace
}  // namespace lureguard::cli
