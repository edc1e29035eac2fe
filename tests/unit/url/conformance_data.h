// Loading of the shared URL conformance files (../shared/data/url/, see its
// SOURCES.md) for the table-driven tests. They are read in place at run
// time, never copied into the repository (their licences differ).

#ifndef LUREGUARD_TESTS_UNIT_URL_CONFORMANCE_DATA_H_
#define LUREGUARD_TESTS_UNIT_URL_CONFORMANCE_DATA_H_

#include <optional>
#include <string>
#include <vector>

namespace lureguard::url::testing {

// One "input<TAB>expected" row of a Safe Browsing vector file.
struct VectorRow {
  int line = 0;
  std::string input;     // with the file's \t \r \n \xHH escapes decoded
  std::string expected;  // verbatim; "<error>" means must reject
};

// Full path of a file under LUREGUARD_DATA_DIR.
std::string DataPath(const std::string& relative);

// Reads a TSV vector file; nullopt when it does not exist.
std::optional<std::vector<VectorRow>> ReadVectorFile(const std::string& path);

// Reads a whole file; nullopt when it does not exist.
std::optional<std::string> ReadFile(const std::string& path);

}  // namespace lureguard::url::testing

#endif  // LUREGUARD_TESTS_UNIT_URL_CONFORMANCE_DATA_H_
