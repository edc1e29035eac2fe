// The verdict engine state the request-path benchmarks measure against:
// what a server on defaults has after an admin imported a large list.

#ifndef LUREGUARD_TESTS_BENCH_BENCH_ENGINE_H_
#define LUREGUARD_TESTS_BENCH_BENCH_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "server/store/store.h"
#include "server/verdict/engine.h"

namespace lureguard::bench {

// A snapshot with 100 000 block-listed domains (`blocked-N.test`), the
// entries in `extra`, and the default brands.
std::shared_ptr<verdict::EngineSnapshot> BenchSnapshot(
    std::vector<store::ListEntryRecord> extra = {});

// BenchSnapshot with the host of every tenth of `urls` block-listed too,
// so that one check in ten of them ends on a list match.
std::shared_ptr<verdict::EngineSnapshot> BenchSnapshotBlockingATenth(
    const std::vector<std::string>& urls);

}  // namespace lureguard::bench

#endif  // LUREGUARD_TESTS_BENCH_BENCH_ENGINE_H_
