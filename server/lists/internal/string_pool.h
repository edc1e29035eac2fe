// Interned strings packed into one buffer, addressed by dense 32-bit ids.
// The list snapshot keeps a tenant, source or reason once for the millions
// of entries that share it, and the parent domain of a host once for all
// of its listed subdomains; an id costs one to four bytes per entry where
// a std::string costs 32 plus its heap block. Private to server/lists/.
//
// Layout: `bytes_` holds every string back to back and `ends_[id]` where
// string `id` ends, so a string is two array reads away and the pool has
// no per-string allocation. Id 0 is always the empty string.
//
// Thread safety: Intern() and Freeze() need exclusive access; after
// Freeze(), const methods are safe for concurrent use.
//
// Example:
//   StringPool pool;
//   uint32_t id = pool.Intern("feed:openphish");  // same id on every call
//   pool.Freeze();
//   pool.Get(id);  // "feed:openphish"

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_STRING_POOL_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_STRING_POOL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace lureguard::lists::internal {

class StringPool {
 public:
  StringPool() : ends_{0} {}

  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;

  // Returns the id of `text`, adding it on first sight. The id of "" is 0.
  // REQUIRES: not frozen; the pool's total size stays below 4 GiB.
  uint32_t Intern(absl::string_view text);

  // Drops the index Intern() needs and trims spare capacity; the pool
  // becomes read-only.
  void Freeze();

  // The string with id `id`, valid while the pool lives and is not moved.
  // REQUIRES: `id` was returned by Intern().
  absl::string_view Get(uint32_t id) const {
    const uint32_t begin = id == 0 ? 0 : ends_[id - 1];
    return absl::string_view(bytes_.data() + begin, ends_[id] - begin);
  }

  // Strings held, counting "", and their total length.
  size_t size() const { return ends_.size(); }
  size_t bytes() const { return bytes_.size(); }

 private:
  std::string bytes_;
  std::vector<uint32_t> ends_;  // ends_[0] == 0: the empty string
  absl::flat_hash_map<std::string, uint32_t> ids_;  // until Freeze()
};

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_STRING_POOL_H_
