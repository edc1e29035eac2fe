// A temporary directory for fuzz targets that keep a store on disk: their
// world lives until the process ends (libFuzzer never returns), so the
// directory is removed at exit rather than by a destructor.

#ifndef LUREGUARD_TESTS_FUZZ_FUZZ_TEMP_DIR_H_
#define LUREGUARD_TESTS_FUZZ_FUZZ_TEMP_DIR_H_

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace lureguard::fuzz {

// Creates a new directory "<temp>/<prefix>.XXXXXX", removed with what it
// holds when the process exits; aborts when it cannot be made.
inline std::string TempDirRemovedAtExit(const std::string& prefix) {
  std::string path =
      (std::filesystem::temp_directory_path() / (prefix + ".XXXXXX")).string();
  if (mkdtemp(path.data()) == nullptr) std::abort();
  // Every directory made, in the order made; the list lives until exit.
  static auto* const made = new std::vector<std::string>();
  if (made->empty()) {
    std::atexit([] {
      std::error_code ignored;
      for (const std::string& dir : *made) {
        std::filesystem::remove_all(dir, ignored);
      }
    });
  }
  made->push_back(path);
  return path;
}

}  // namespace lureguard::fuzz

#endif  // LUREGUARD_TESTS_FUZZ_FUZZ_TEMP_DIR_H_
