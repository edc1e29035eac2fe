// Driving CheckUrl over real gRPC from a load program: the URL mix, the
// call context, closed-loop capacity, and reading addresses from the
// server's JSON log lines. Shared by soak.cc and replicas_load.cc.

#ifndef LUREGUARD_TESTS_BENCH_CHECK_URL_LOAD_H_
#define LUREGUARD_TESTS_BENCH_CHECK_URL_LOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace lureguard::bench {

// "127.0.0.1:PORT" → PORT.
int PortOf(const std::string& address);

// The n-th URL CheckUrl is asked about: a mix a gateway sees — mostly
// clean and distinct, some listed by soak.cc's feed, some lookalikes of
// default brands.
std::string UrlFor(uint64_t n);

// Writes a ServerConfig for load runs into `dir` and returns its path:
// the per-key rate limit off (it would cap the load below what the server
// does) and no request log (a line per call would fill the reading
// process's memory).
std::string WriteLoadConfig(const std::string& dir);

// A context with `token` as the bearer key and a 10 s deadline.
std::unique_ptr<grpc::ClientContext> Context(const std::string& token);

// Closed-loop CheckUrl from `threads` threads for `duration`, thread t on a
// channel of its own to addresses[t % addresses.size()]: calls answered
// OK per second, all addresses together.
double MeasureCapacity(const std::vector<std::string>& addresses,
                       const std::string& token, int threads,
                       absl::Duration duration);

}  // namespace lureguard::bench

#endif  // LUREGUARD_TESTS_BENCH_CHECK_URL_LOAD_H_
