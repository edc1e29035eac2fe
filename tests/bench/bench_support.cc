#include "tests/bench/bench_support.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace lureguard::bench {
namespace {

double CpuSeconds(int who) {
  rusage usage;
  getrusage(who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

}  // namespace

int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

int64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      int64_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
  }
  return 0;
}

double ProcessCpuSeconds() { return CpuSeconds(RUSAGE_SELF); }
double ThreadCpuSeconds() { return CpuSeconds(RUSAGE_THREAD); }

double ProcessCpuSeconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return -1;
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime 14, stime 15 (proc(5)).
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  double utime = -1, stime = -1;
  for (int number = 3; fields >> field && number <= 15; ++number) {
    if (number == 14) utime = std::stod(field);
    if (number == 15) stime = std::stod(field);
  }
  if (utime < 0 || stime < 0) return -1;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double LatencySamples::QuantileNs(double q) {
  if (samples_ns_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_ns_.begin(), samples_ns_.end());
    sorted_ = true;
  }
  const size_t at = std::min(samples_ns_.size() - 1,
                             static_cast<size_t>(q * samples_ns_.size()));
  return samples_ns_[at];
}

void LatencySamples::Report(benchmark::State& state, const std::string& prefix,
                            const std::string& unit) {
  if (samples_ns_.empty()) return;
  const double scale = unit == "us" ? 1e-3 : 1.0;
  state.counters[prefix + "p50_" + unit] = QuantileNs(0.50) * scale;
  state.counters[prefix + "p99_" + unit] = QuantileNs(0.99) * scale;
}

}  // namespace lureguard::bench
