// Reads the server's JSON log lines in tests and load programs, e.g. the
// address a server bound from its "listening" line.

#ifndef LUREGUARD_TESTS_TESTING_LOG_FIELD_H_
#define LUREGUARD_TESTS_TESTING_LOG_FIELD_H_

#include <string>

namespace lureguard::testing {

// The value of string field `key` in a JSON log line
// ({"...","listen":"127.0.0.1:PORT"} → "127.0.0.1:PORT"); "" without one.
inline std::string LogField(const std::string& line, const std::string& key) {
  const std::string quoted = "\"" + key + "\":\"";
  const size_t start = line.find(quoted);
  if (start == std::string::npos) return "";
  const size_t from = start + quoted.size();
  return line.substr(from, line.find('"', from) - from);
}

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_LOG_FIELD_H_
