#include "server/service/request_log.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/common/log.h"

namespace lureguard::service {
namespace {

bool IsIdCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
}

}  // namespace

void RequestLog::Write(const RequestRecord& record) const {
  if (!enabled_ || !LogEnabled(LogLevel::kInfo)) return;
  const std::string latency_us =
      absl::StrCat(absl::ToInt64Microseconds(record.latency));
  if (record.action.empty()) {
    LogInfo("request", {{"method", record.method},
                        {"request_id", record.request_id},
                        {"status", record.status},
                        {"latency_us", latency_us}});
  } else {
    LogInfo("request", {{"method", record.method},
                        {"request_id", record.request_id},
                        {"status", record.status},
                        {"latency_us", latency_us},
                        {"action", record.action}});
  }
}

std::string RequestId(std::optional<absl::string_view> sent) {
  if (sent.has_value() && !sent->empty() && sent->size() <= 64) {
    bool clean = true;
    for (char c : *sent) clean = clean && IsIdCharacter(c);
    if (clean) return std::string(*sent);
  }
  // absl::BitGen is not thread-safe; one per thread costs nothing per call.
  thread_local absl::BitGen bits;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(bits));
}

}  // namespace lureguard::service
