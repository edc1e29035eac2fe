// Reads the members of a ZIP attachment (through libzip, from memory) so
// that HTML and SVG files packed into a ZIP are inspected like any other
// attachment. Bounded against ZIP bombs: every member is read through a
// cap on its uncompressed bytes, whatever its header claims, and the
// number of members and total bytes read are capped too.
//
// Thread safety: pure function; each call owns its libzip handles.
//
// Example:
//   absl::StatusOr<ZipContents> zip = ReadZip(bytes, {}, IsMarkupName);
//   for (const ZipMember& m : zip->members) Inspect(m.name, m.data);

#ifndef LUREGUARD_SERVER_MAIL_ZIP_ARCHIVE_H_
#define LUREGUARD_SERVER_MAIL_ZIP_ARCHIVE_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace lureguard::mail {

// Bounds on the work one archive may cost.
struct ZipLimits {
  size_t max_members = 1000;           // entries looked at
  size_t max_member_bytes = 4u << 20;  // uncompressed bytes read per member
  size_t max_total_bytes = 16u << 20;  // uncompressed bytes read in total
};

// One member read.
struct ZipMember {
  // The path inside the archive, as stored (as UTF-8: libzip converts
  // CP437 names that are not UTF-8 already).
  std::string name;
  std::string data;        // uncompressed, at most max_member_bytes
  bool truncated = false;  // the member is longer than what was read
};

// What ReadZip found in one archive.
struct ZipContents {
  std::vector<ZipMember> members;  // archive order, only those `wanted`
  size_t member_count = 0;         // entries in the archive
  // Members that could not be read: encrypted (no password), an unknown
  // compression method, or a corrupt stream; "name: why". A member whose
  // stream failed after some bytes (a bad CRC) is listed here and also in
  // `members`, with what was read and `truncated` set. Encrypted and
  // unknown-method members are listed whatever `wanted` says (the central
  // directory tells without reading them); stream errors only for members
  // that were read.
  std::vector<std::string> unreadable;
  bool truncated = false;  // a limit stopped the reading
};

// The members of the ZIP archive `bytes` whose names `wanted` accepts
// (all when null). InvalidArgument when `bytes` is not a ZIP archive
// libzip can open ("not a ZIP archive: ...").
absl::StatusOr<ZipContents> ReadZip(
    std::string_view bytes, const ZipLimits& limits,
    const std::function<bool(std::string_view name)>& wanted);

}  // namespace lureguard::mail

#endif  // LUREGUARD_SERVER_MAIL_ZIP_ARCHIVE_H_
