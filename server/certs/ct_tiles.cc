#include "server/certs/ct_tiles.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace lureguard::certs {

std::string DataTilePath(int64_t n, int width) {
  std::vector<std::string> groups;
  do {
    groups.insert(groups.begin(), absl::StrFormat("%03d", n % 1000));
    n /= 1000;
  } while (n > 0);
  std::string path = "tile/data/";
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) path += "/";
    if (i + 1 < groups.size()) path += "x";
    path += groups[i];
  }
  if (width > 0 && width < 256) absl::StrAppend(&path, ".p/", width);
  return path;
}

std::string IssuerPath(absl::string_view fingerprint) {
  return absl::StrCat("issuer/", absl::BytesToHexString(fingerprint));
}

absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view note) {
  const size_t blank = note.find("\n\n");
  if (blank == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "checkpoint: no blank line between the body and the signatures");
  }
  std::vector<absl::string_view> lines =
      absl::StrSplit(note.substr(0, blank), '\n');
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: the body has ", lines.size(),
                     " lines; origin, tree size and root hash are required"));
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin.empty()) {
    return absl::InvalidArgumentError(
        "checkpoint: line 1: the origin is empty");
  }
  const absl::string_view size = lines[1];
  if (size.empty() || size.size() > 19 || (size.size() > 1 && size[0] == '0') ||
      !std::all_of(size.begin(), size.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(size, &checkpoint.tree_size)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint: line 2: '", absl::CHexEscape(size.substr(0, 40)),
        "' is not a decimal tree size"));
  }
  if (!absl::Base64Unescape(lines[2], &checkpoint.root_hash) ||
      checkpoint.root_hash.size() != 32) {
    return absl::InvalidArgumentError(
        "checkpoint: line 3: the root hash is not 32 bytes of base64");
  }
  return checkpoint;
}

}  // namespace lureguard::certs
