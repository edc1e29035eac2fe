// The verdict engine state the request-path benchmarks measure against:
// what a server on defaults has after an admin imported a large list.

#ifndef LUREGUARD_TESTS_BENCH_BENCH_ENGINE_H_
#define LUREGUARD_TESTS_BENCH_BENCH_ENGINE_H_

#include <memory>
#include <vector>

#include "server/store/store.h"
#include "server/verdict/engine.h"

namespace lureguard::bench {

// A snapshot with 100 000 block-listed domains (`blocked-N.test`), the
// entries in `extra`, and the default brands.
std::shared_ptr<verdict::EngineSnapshot> BenchSnapshot(
    std::vector<store::ListEntryRecord> extra = {});

}  // namespace lureguard::bench

#endif  // LUREGUARD_TESTS_BENCH_BENCH_ENGINE_H_
