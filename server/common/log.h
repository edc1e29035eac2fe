// Structured logging: one JSON object per line on stderr.
//
// Lines carry a time, a level, a message and string fields. Callers must
// never pass secrets (passwords, API keys) or raw usernames; URLs only at
// debug level.
//
// Info and debug lines (a request line per call) are written in batches:
// the first line after a write wakes a writer thread, which waits
// kLogBatchDelay for more and writes them all with one write(2). A write to
// a pipe or journald's socket wakes its reader, and one per call took a
// tenth of a CheckUrl's server CPU (perf, issue #19). Warnings and errors are
// written before Log returns, after the lines logged before them, so what
// explains a failure is out before the process can die of it; FlushLogs
// (also run at exit) writes the rest. A crash loses the info lines of
// about the last kLogBatchDelay.
//
// Thread safety: safe for concurrent use; lines are written whole, in the
// order Log was called.
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
#include "absl/time/time.h"

namespace lureguard {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

using LogField = std::pair<absl::string_view, absl::string_view>;

// "debug", "info", "warn" (or "warning"), "error"; nullopt otherwise.
std::optional<LogLevel> ParseLogLevel(absl::string_view name);

// Lines below `level` are dropped. Default: kInfo.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

// How long the writer thread waits for more lines before writing a batch.
inline constexpr absl::Duration kLogBatchDelay = absl::Milliseconds(2);

// Writes every line logged so far and returns once they are written.
void FlushLogs();

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
