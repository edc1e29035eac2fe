#include "server/common/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lureguard {
namespace {

std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// The batching writer behind Log (see log.h): lines wait in `pending_`
// until the writer thread, a warning or a full batch writes them. One per
// process and never destroyed, as its thread outlives static destructors.
class LineWriter {
 public:
  static LineWriter& Get() {
    static LineWriter* const writer = new LineWriter();
    return *writer;
  }

  // Queues `line`; with `now`, writes it and everything queued before it.
  void Append(absl::string_view line, bool now) {
    absl::MutexLock lock(&mu_);
    pending_.append(line.data(), line.size());
    if (now || pending_.size() >= kMaxBatchBytes) {
      WriteLocked();
    } else if (!writer_started_) {
      writer_started_ = true;
      std::thread([this] { Run(); }).detach();
      std::atexit([] { Get().Flush(); });
    }
  }

  void Flush() {
    absl::MutexLock lock(&mu_);
    WriteLocked();
  }

 private:
  // A batch this large is written at once rather than waited for.
  static constexpr size_t kMaxBatchBytes = 64 * 1024;

  LineWriter() = default;

  void Run() {
    for (;;) {
      mu_.LockWhen(absl::Condition(this, &LineWriter::HasPending));
      mu_.Unlock();
      absl::SleepFor(kLogBatchDelay);
      Flush();
    }
  }

  bool HasPending() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !pending_.empty();
  }

  // Under `mu_`, so that batches and warnings reach stderr in Log's order.
  void WriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (pending_.empty()) return;
    std::fwrite(pending_.data(), 1, pending_.size(), stderr);
    pending_.clear();
  }

  absl::Mutex mu_;
  std::string pending_ ABSL_GUARDED_BY(mu_);
  bool writer_started_ ABSL_GUARDED_BY(mu_) = false;
};

// JSON string escaping (RFC 8259): quotes, backslashes and control bytes.
// Bytes >= 0x80 pass through; log fields are expected to be UTF-8.
void AppendJsonString(std::string& out, absl::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::optional<LogLevel> ParseLogLevel(absl::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn" || name == "warning") return LogLevel::kWarning;
  if (name == "error") return LogLevel::kError;
  return std::nullopt;
}

void SetLogLevel(LogLevel level) { min_level = static_cast<int>(level); }

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= min_level.load(std::memory_order_relaxed);
}

void Log(LogLevel level, absl::string_view message,
         std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  std::string line = "{\"time\":";
  AppendJsonString(line, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                          absl::UTCTimeZone()));
  line += ",\"level\":";
  AppendJsonString(line, LevelName(level));
  line += ",\"message\":";
  AppendJsonString(line, message);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(line, key);
    line.push_back(':');
    AppendJsonString(line, value);
  }
  line += "}\n";
  LineWriter::Get().Append(line, level >= LogLevel::kWarning);
}

void FlushLogs() { LineWriter::Get().Flush(); }

}  // namespace lureguard
