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
