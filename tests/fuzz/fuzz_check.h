// The one way fuzz targets report a broken invariant: the input, printable
// and escaped, on stderr, then abort() so libFuzzer (and the ctest replay)
// stop with the input that broke it.

#ifndef LUREGUARD_TESTS_FUZZ_FUZZ_CHECK_H_
#define LUREGUARD_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace lureguard::fuzz {

inline void Check(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "invariant violated: %s\ninput (%zu bytes): ", what,
               input.size());
  for (char c : input) {
    const unsigned char b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f && b != '\\') {
      std::fputc(b, stderr);
    } else {
      std::fprintf(stderr, "\\x%02x", b);
    }
  }
  std::fputc('\n', stderr);
  std::abort();
}

}  // namespace lureguard::fuzz

#endif  // LUREGUARD_TESTS_FUZZ_FUZZ_CHECK_H_
