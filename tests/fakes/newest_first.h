// The paging the in-memory stores share: the audit log and the clicks are
// both read newest first, below an id, filtered, one page at a time, as
// SQLite's `WHERE id < ? ... ORDER BY id DESC LIMIT page_size + 1` reads
// them.

#ifndef LUREGUARD_TESTS_FAKES_NEWEST_FIRST_H_
#define LUREGUARD_TESTS_FAKES_NEWEST_FIRST_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace lureguard {

// Appends to `page` up to `page_size` rows of `rows` (by id), newest first,
// whose id is below `before_id` when that is positive and which `keep`
// accepts. Returns whether more such rows remain.
template <typename Row, typename Keep>
bool NewestFirst(const std::map<int64_t, Row>& rows, int64_t before_id,
                 int page_size, Keep keep, std::vector<Row>& page) {
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (before_id > 0 && it->first >= before_id) continue;
    if (!keep(it->second)) continue;
    if (page.size() == static_cast<size_t>(page_size)) return true;
    page.push_back(it->second);
  }
  return false;
}

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_NEWEST_FIRST_H_
