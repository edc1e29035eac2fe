// Structured logging: one JSON object per line on stderr.
//
// Lines carry a time, a level, a message and string fields. Callers must
// never pass secrets (passwords, API keys) or raw usernames; URLs only at
// debug level.
//
// Thread safety: safe for concurrent use; each line is written atomically.
//
// Example:
//   LogInfo("server started", {{"listen", "127.0.0.1:50051"}});

#ifndef LUREGUARD_SERVER_COMMON_LOG_H_
#define LUREGUARD_SERVER_COMMON_LOG_H_

#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/string_view.h"

namespace lureguard {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

using LogField = std::pair<absl::string_view, absl::string_view>;

// "debug", "info", "warn" (or "warning"), "error"; nullopt otherwise.
std::optional<LogLevel> ParseLogLevel(absl::string_view name);

// Lines below `level` are dropped. Default: kInfo.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

void Log(LogLevel level, absl::string_view message,
         std::initializer_list<LogField> fields = {});

inline void LogInfo(absl::string_view message,
                    std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, message, fields);
}
inline void LogWarning(absl::string_view message,
                       std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarning, message, fields);
}
inline void LogError(absl::string_view message,
                     std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, message, fields);
}

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_LOG_H_
