// What the load programs read about a process they started: its resident
// memory and CPU time from /proc, and which core it may run on.
//
// Example:
//   PinProcess(server.pid(), 0);           // every thread, now and later
//   const double cpu = CpuSeconds(server.pid());
//   ... load ...
//   std::printf("%.2f CPU s, %lld KiB\n", CpuSeconds(server.pid()) - cpu,
//               ResidentKiB(server.pid()));

#ifndef LUREGUARD_TESTS_TESTING_PROCESS_STATS_H_
#define LUREGUARD_TESTS_TESTING_PROCESS_STATS_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/status.h"

namespace lureguard::testing {

// VmRSS of process `pid` in KiB; -1 when it cannot be read.
int64_t ResidentKiB(pid_t pid);

// VmHWM (peak resident set) of process `pid` in KiB; -1 when unreadable.
int64_t PeakResidentKiB(pid_t pid);

// User + system CPU time of every thread of process `pid` so far, in
// seconds; -1 when it cannot be read.
double CpuSeconds(pid_t pid);

// Restricts every thread of process `pid` (this one too: getpid()) to
// core `cpu`. Threads they create later inherit it.
absl::Status PinProcess(pid_t pid, int cpu);

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_PROCESS_STATS_H_
