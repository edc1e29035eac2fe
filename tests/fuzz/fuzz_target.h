// The entry point every fuzz target defines and libFuzzer (or the ctest
// replay in replay_main.cc) calls, declared once so that its definitions
// are checked against one signature (-Wmissing-declarations).

#ifndef LUREGUARD_TESTS_FUZZ_FUZZ_TARGET_H_
#define LUREGUARD_TESTS_FUZZ_FUZZ_TARGET_H_

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#endif  // LUREGUARD_TESTS_FUZZ_FUZZ_TARGET_H_
