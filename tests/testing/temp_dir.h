// A temporary directory that lives as long as the object, for hermetic
// tests.

#ifndef LUREGUARD_TESTS_TESTING_TEMP_DIR_H_
#define LUREGUARD_TESTS_TESTING_TEMP_DIR_H_

#include <string>

namespace lureguard::testing {

class TempDir {
 public:
  // Creates a fresh directory under $TEST_TMPDIR or /tmp; aborts the test
  // binary if it cannot (no test can run without it).
  TempDir();
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_TEMP_DIR_H_
