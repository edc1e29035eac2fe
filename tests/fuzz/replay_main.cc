// A main() for fuzz targets in ordinary (non-libFuzzer) builds: runs
// LLVMFuzzerTestOneInput over every input given, so ctest replays each
// target's corpus on every build with the normal compiler.
//
// Arguments: directories (every regular file in them, recursively, is one
// input), files (one input each), and "lines:FILE" (every line of FILE is
// one input, for line-oriented data sets). A "lines:" file that does not
// exist is skipped with a note (shared data is optional); any other missing
// path is an error.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "tests/fuzz/fuzz_target.h"

namespace {

void RunOne(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()),
                         input.size());
}

bool ReadWhole(const std::filesystem::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in),
              std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("lines:", 0) == 0) {
      std::ifstream in(arg.substr(6), std::ios::binary);
      if (!in) {
        std::cerr << "replay: skipping absent " << arg.substr(6) << "\n";
        continue;
      }
      std::string line;
      while (std::getline(in, line)) {
        RunOne(line);
        ++inputs;
      }
      continue;
    }
    std::error_code error;
    const std::filesystem::path path(arg);
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry :
           std::filesystem::recursive_directory_iterator(path, error)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        std::string input;
        if (!ReadWhole(file, &input)) {
          std::cerr << "replay: cannot read " << file << "\n";
          return 1;
        }
        RunOne(input);
        ++inputs;
      }
    } else {
      std::string input;
      if (!ReadWhole(path, &input)) {
        std::cerr << "replay: cannot read " << arg << "\n";
        return 1;
      }
      RunOne(input);
      ++inputs;
    }
  }
  std::cout << "replay: " << inputs << " inputs, no crash\n";
  return 0;
}
