#include "client/duration.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace lureguard::cli {
namespace {

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid duration \"", text, "\": ", why));
}

}  // namespace

absl::StatusOr<absl::Duration> ParseCliDuration(absl::string_view text) {
  if (text.empty()) return Invalid(text, "empty");
  if (text == "0") return absl::ZeroDuration();
  if (text[0] == '-') {
    return Invalid(text, "negative durations are not accepted");
  }
  absl::Duration total = absl::ZeroDuration();
  absl::string_view rest = text;
  if (rest[0] == '+') rest.remove_prefix(1);
  if (rest.empty()) return Invalid(text, "missing number");
  while (!rest.empty()) {
    size_t n = 0;
    while (n < rest.size() &&
           (absl::ascii_isdigit(static_cast<unsigned char>(rest[n])) ||
            rest[n] == '.')) {
      ++n;
    }
    if (n == 0) {
      return Invalid(text, absl::StrCat("expected a number at \"", rest, "\""));
    }
    absl::string_view number = rest.substr(0, n);
    size_t u = n;
    while (u < rest.size() &&
           absl::ascii_isalpha(static_cast<unsigned char>(rest[u]))) {
      ++u;
    }
    absl::string_view unit = rest.substr(n, u - n);
    if (unit.empty()) {
      return Invalid(text, absl::StrCat("missing unit after \"", number,
                                        "\" (want ns, us, ms, s, m, h or d)"));
    }
    absl::Duration term;
    if (unit == "d") {
      // absl::ParseDuration stops at hours; a day is 24 of them here (TTLs
      // do not care about daylight saving).
      if (!absl::ParseDuration(absl::StrCat(number, "h"), &term)) {
        return Invalid(text, absl::StrCat("bad number \"", number, "\""));
      }
      term *= 24;
    } else if (unit == "ns" || unit == "us" || unit == "ms" || unit == "s" ||
               unit == "m" || unit == "h") {
      if (!absl::ParseDuration(absl::StrCat(number, unit), &term)) {
        return Invalid(text, absl::StrCat("bad number \"", number, "\""));
      }
    } else {
      return Invalid(text, absl::StrCat("unknown unit \"", unit,
                                        "\" (want ns, us, ms, s, m, h or d)"));
    }
    total += term;
    if (total == absl::InfiniteDuration()) return Invalid(text, "too large");
    rest.remove_prefix(u);
  }
  return total;
}

std::string FormatCliDuration(absl::Duration d) {
  if (d < absl::ZeroDuration()) return absl::StrCat("-", FormatCliDuration(-d));
  if (d == absl::InfiniteDuration()) return "inf";
  if (d < absl::Minutes(1)) return absl::FormatDuration(d);
  const int64_t total_seconds = absl::ToInt64Seconds(d);
  const int64_t days = total_seconds / 86400;
  const int64_t hours = total_seconds % 86400 / 3600;
  const int64_t minutes = total_seconds % 3600 / 60;
  const int64_t seconds = total_seconds % 60;
  std::string out;
  if (days > 0) absl::StrAppend(&out, days, "d");
  if (hours > 0) absl::StrAppend(&out, hours, "h");
  if (minutes > 0) absl::StrAppend(&out, minutes, "m");
  if (seconds > 0) absl::StrAppend(&out, seconds, "s");
  return out;
}

}  // namespace lureguard::cli
