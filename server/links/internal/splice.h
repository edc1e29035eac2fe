// Byte-exact rewriting: a document is copied with a few byte ranges
// replaced, so everything between them stays exactly as it was.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_SPLICE_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_SPLICE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lureguard::links::internal {

// Replace `length` bytes at `offset` with `replacement`.
struct Splice {
  size_t offset = 0;
  size_t length = 0;
  std::string replacement;
};

// `text` with every splice applied.
// REQUIRES: splices sorted by offset, not overlapping, inside `text`.
std::string ApplySplices(std::string_view text,
                         const std::vector<Splice>& splices);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_SPLICE_H_
