#include "server/common/file_contents.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace lureguard {

absl::StatusOr<std::string> ReadNonEmptyFile(absl::string_view field,
                                             const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  if (file) contents << file.rdbuf();
  if (!file || contents.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": cannot read '", path, "'"));
  }
  return contents.str();
}

}  // namespace lureguard
