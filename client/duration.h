// Durations as admins type them on the command line.
//
// The CLI accepts Go-style durations ("90s", "30m", "1h30m", "250ms") plus a
// day unit ("7d"), because TTLs of list entries are usually counted in days.
// Pure functions; safe for concurrent use.
#ifndef LUREGUARD_CLIENT_DURATION_H_
#define LUREGUARD_CLIENT_DURATION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::cli {

// Parses a non-negative duration: one or more `<number><unit>` terms, where
// the number may have a fraction and the unit is one of ns, us, ms, s, m, h
// or d (24h). A bare "0" is zero. Returns InvalidArgumentError naming the
// text and what was wrong.
//
// Example:
//   ParseCliDuration("1d12h")  // 36 hours
//   ParseCliDuration("90s")    // 90 seconds
//   ParseCliDuration("-5m")    // error: negative durations are not accepted
absl::StatusOr<absl::Duration> ParseCliDuration(absl::string_view text);

// Formats a duration for people, in the same syntax ParseCliDuration reads,
// with whole days split off and sub-second precision dropped above a minute:
// "3d4h5m6s", "42s", "1.5s", "0s".
std::string FormatCliDuration(absl::Duration d);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_DURATION_H_
