#include "server/lists/internal/string_pool.h"

namespace lureguard::lists::internal {

uint32_t StringPool::Intern(absl::string_view text) {
  if (text.empty()) return 0;
  // Most calls find the string: look it up without building a key.
  if (auto it = ids_.find(text); it != ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(ends_.size());
  ids_.emplace(std::string(text), id);
  bytes_.append(text.data(), text.size());
  ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  return id;
}

void StringPool::Freeze() {
  ids_ = decltype(ids_)();  // `= {}` would keep the capacity
  bytes_.shrink_to_fit();
  ends_.shrink_to_fit();
}

}  // namespace lureguard::lists::internal
