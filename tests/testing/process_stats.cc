#include "tests/testing/process_stats.h"

#include <errno.h>
#include <sched.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace lureguard::testing {
namespace {

// The value in KiB of a "Name:   123 kB" line of /proc/PID/status.
int64_t StatusKiB(pid_t pid, const std::string& name) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  const std::string prefix = name + ":";
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::string value = line.substr(prefix.size());
    if (absl::EndsWith(value, "kB")) value.resize(value.size() - 2);
    int64_t kib = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(value), &kib)) return kib;
  }
  return -1;
}

}  // namespace

int64_t ResidentKiB(pid_t pid) { return StatusKiB(pid, "VmRSS"); }

int64_t PeakResidentKiB(pid_t pid) { return StatusKiB(pid, "VmHWM"); }

double CpuSeconds(pid_t pid) {
  std::ifstream stat_file(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(stat_file)),
                   std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses: fields are counted
  // from the last ')'. utime and stime are fields 14 and 15.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  int64_t ticks = 0;
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    int64_t n = 0;
    if (index >= 14 && absl::SimpleAtoi(field, &n)) ticks += n;
  }
  return static_cast<double>(ticks) / sysconf(_SC_CLK_TCK);
}

absl::Status PinProcess(pid_t pid, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  std::error_code error;
  const std::string tasks = absl::StrCat("/proc/", pid, "/task");
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    pid_t tid = 0;
    if (!absl::SimpleAtoi(task.path().filename().string(), &tid)) continue;
    // A thread that ended since the listing is no error.
    if (sched_setaffinity(tid, sizeof(set), &set) != 0 && errno != ESRCH) {
      return absl::InternalError(
          absl::StrCat("cannot pin thread ", tid, " to core ", cpu));
    }
  }
  if (error) {
    return absl::NotFoundError(absl::StrCat("cannot list ", tasks));
  }
  return absl::OkStatus();
}

}  // namespace lureguard::testing
