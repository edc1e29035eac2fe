#include "server/links/internal/splice.h"

namespace lureguard::links::internal {

std::string ApplySplices(std::string_view text,
                         const std::vector<Splice>& splices) {
  size_t size = text.size();
  for (const Splice& s : splices) size += s.replacement.size() - s.length;
  std::string out;
  out.reserve(size);
  size_t at = 0;
  for (const Splice& s : splices) {
    out.append(text.substr(at, s.offset - at));
    out.append(s.replacement);
    at = s.offset + s.length;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace lureguard::links::internal
