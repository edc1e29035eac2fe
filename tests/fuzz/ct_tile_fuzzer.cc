// Fuzz target for the Static CT data-tile and checkpoint parsers. Input:
// one byte W (the tile width, 0 meaning 256), then the tile; the whole
// input is also parsed as a checkpoint.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/certs/ct_leaf.h"
#include "server/certs/ct_tiles.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const int width = data[0] == 0 ? 256 : data[0];
  const int64_t first = 256 * 7;
  absl::StatusOr<std::vector<lureguard::certs::CtEntry>> entries =
      lureguard::certs::ParseDataTile(input.substr(1), first, width);
  if (entries.ok()) {
    Check(entries->size() == static_cast<size_t>(width), "width leaves");
    for (size_t i = 0; i < entries->size(); ++i) {
      const lureguard::certs::CtEntry& e = (*entries)[i];
      Check(e.index == first + static_cast<int64_t>(i), "indexes in order");
      for (const auto& fp : e.chain_fingerprints) {
        Check(fp.size() == 32, "fingerprints are SHA-256");
      }
      (void)lureguard::certs::SummarizeEntry(e);
    }
  } else {
    Check(!entries.status().message().empty(), "errors say why");
  }
  absl::StatusOr<lureguard::certs::Checkpoint> checkpoint =
      lureguard::certs::ParseCheckpoint(input.substr(1));
  if (checkpoint.ok()) {
    Check(checkpoint->tree_size >= 0, "sizes are not negative");
    Check(checkpoint->root_hash.size() == 32, "root hashes are SHA-256");
    Check(
        !lureguard::certs::DataTilePath(checkpoint->tree_size / 256, 0).empty(),
        "every size has a tile path");
  }
  return 0;
}
