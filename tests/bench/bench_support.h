// What the benchmark programs measure besides Google Benchmark's mean
// time: resident memory, CPU time, and per-call latency percentiles (the
// targets in DESIGN.md are p50/p99, which a mean hides).

#ifndef LUREGUARD_TESTS_BENCH_BENCH_SUPPORT_H_
#define LUREGUARD_TESTS_BENCH_BENCH_SUPPORT_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace lureguard::bench {

// The process's resident set now (/proc/self/statm), in bytes.
int64_t ResidentBytes();
// Its peak resident set so far (VmHWM), in bytes.
int64_t PeakResidentBytes();
// User + system CPU time of every thread of the process.
double ProcessCpuSeconds();
// User + system CPU time of the calling thread.
double ThreadCpuSeconds();
// User + system CPU time of another process, every thread (from
// /proc/PID/stat); -1 when it cannot be read.
double ProcessCpuSeconds(int pid);

// Latency samples of single calls, reported as percentiles.
class LatencySamples {
 public:
  void Add(std::chrono::steady_clock::duration d) {
    sorted_ = false;
    samples_ns_.push_back(std::chrono::duration<double, std::nano>(d).count());
  }
  void Clear() {
    samples_ns_.clear();
    sorted_ = false;
  }
  size_t size() const { return samples_ns_.size(); }

  // The q-quantile (0 <= q <= 1) in nanoseconds; 0 without samples.
  double QuantileNs(double q);

  // Sets counters `<prefix>p50_<unit>` and `<prefix>p99_<unit>`, with unit
  // "ns" or "us".
  void Report(benchmark::State& state, const std::string& prefix = "",
              const std::string& unit = "us");

 private:
  std::vector<double> samples_ns_;
  bool sorted_ = false;
};

// Times one call of `f` into `samples` and returns what it returned.
template <typename F>
auto Timed(LatencySamples& samples, F&& f) {
  const auto start = std::chrono::steady_clock::now();
  auto result = f();
  samples.Add(std::chrono::steady_clock::now() - start);
  return result;
}

}  // namespace lureguard::bench

#endif  // LUREGUARD_TESTS_BENCH_BENCH_SUPPORT_H_
