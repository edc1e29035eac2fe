// Reading and checking lureguard-milter's configuration
// (lureguard.v1.MilterConfig, proto/lureguard/v1/milter_config.proto).
//
// Every error names the field and the value at fault, e.g.
// "max_in_flight: 0 is outside [1, 4096]".
//
// Thread safety: free functions without shared state.
//
// Example:
//   absl::StatusOr<v1::MilterConfig> config = ParseMilterConfig(text);
//   ApplyMilterDefaults(*config);
//   absl::Status valid = ValidateMilterConfig(*config);

#ifndef LUREGUARD_CLIENT_MILTER_CONFIG_H_
#define LUREGUARD_CLIENT_MILTER_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lureguard/v1/milter_config.pb.h"

namespace lureguard::milter {

inline constexpr char kDefaultMilterSocket[] = "inet:10025@127.0.0.1";
inline constexpr char kDefaultServer[] = "127.0.0.1:50051";
// The server's own mail.max_message_bytes default: a larger message would
// be refused by it anyway.
inline constexpr int64_t kDefaultMaxMessageBytes = int64_t{25} << 20;
inline constexpr int64_t kMaxMaxMessageBytes = int64_t{64} << 20;
inline constexpr int kDefaultMaxInFlight = 32;
inline constexpr int kMaxMaxInFlight = 4096;
// Postfix waits 300 s for a milter's answer (milter_content_timeout); a
// message verdict takes milliseconds, so 10 s leaves room for a busy
// server without holding the SMTP session for minutes.
inline constexpr absl::Duration kDefaultDeadline = absl::Seconds(10);
inline constexpr absl::Duration kMaxDeadline = absl::Seconds(300);

// Parses textproto `text`; InvalidArgument with the line and column of the
// first error.
absl::StatusOr<v1::MilterConfig> ParseMilterConfig(absl::string_view text);

// Reads and parses the file at `path`; NotFound when it cannot be read.
absl::StatusOr<v1::MilterConfig> LoadMilterConfigFile(const std::string& path);

// Fills every unset field with its default. Idempotent.
void ApplyMilterDefaults(v1::MilterConfig& config);

// Checks a config with defaults applied. InvalidArgument naming the field.
absl::Status ValidateMilterConfig(const v1::MilterConfig& config);

// `config.deadline` as an absl::Duration.
absl::Duration DeadlineOf(const v1::MilterConfig& config);

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_CONFIG_H_
