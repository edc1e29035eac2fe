// The Static CT API's addressing (c2sp.org/static-ct-api, c2sp.org/tlog-
// tiles): checkpoints and data-tile paths.
//
// Pure functions; safe for concurrent use.
//
// Example:
//   DataTilePath(1234067, 0)   // "tile/data/x001/x234/067"
//   DataTilePath(5, 17)        // "tile/data/005.p/17"
//   absl::StatusOr<Checkpoint> c = ParseCheckpoint(body);  // c->tree_size

#ifndef LUREGUARD_SERVER_CERTS_CT_TILES_H_
#define LUREGUARD_SERVER_CERTS_CT_TILES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::certs {

// The path of data tile `n` below the log's prefix: the index in groups of
// three digits, all but the last prefixed with 'x'. `width` 1 to 255 names
// a partial tile (".p/W"); 0 or 256 the full tile.
std::string DataTilePath(int64_t n, int width);

// The issuer certificate with this SHA-256 fingerprint (32 raw bytes):
// "issuer/<lowercase hex>".
std::string IssuerPath(absl::string_view fingerprint);

// The signed tree head of a tiled log (a signed note, c2sp.org/signed-note
// and c2sp.org/tlog-checkpoint): origin line, decimal tree size, base64
// root hash, optional extension lines, a blank line, signatures.
struct Checkpoint {
  std::string origin;
  int64_t tree_size = 0;
  std::string root_hash;  // 32 raw bytes
};

// Parses the note text. Signatures are not verified: a log's key is not
// part of its configuration yet, and an alert names the log and index so
// anyone can check the entry (README: known limits). InvalidArgument naming
// the line when the body is not a checkpoint.
absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view note);

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_CT_TILES_H_
