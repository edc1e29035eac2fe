#include "tests/unit/url/conformance_data.h"

#include <fstream>
#include <sstream>

namespace lureguard::url::testing {
namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// SOURCES.md: in column 1, \t \r \n are TAB CR LF, \xHH one raw byte and
// \\ a backslash; everything else is literal.
std::string DecodeEscapes(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[i + 1];
      if (n == 't' || n == 'r' || n == 'n' || n == '\\') {
        out += n == 't' ? '\t' : n == 'r' ? '\r' : n == 'n' ? '\n' : '\\';
        ++i;
        continue;
      }
      if (n == 'x' && i + 3 < s.size() && Hex(s[i + 2]) >= 0 &&
          Hex(s[i + 3]) >= 0) {
        out += static_cast<char>(Hex(s[i + 2]) * 16 + Hex(s[i + 3]));
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace

std::string DataPath(const std::string& relative) {
  return std::string(LUREGUARD_DATA_DIR) + "/" + relative;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::optional<std::vector<VectorRow>> ReadVectorFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<VectorRow> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    VectorRow row;
    row.line = number;
    row.input = DecodeEscapes(line.substr(0, tab));
    row.expected = line.substr(tab + 1);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace lureguard::url::testing
