#include "server/store/store.h"

namespace lureguard::store {

absl::Status Store::ScanEntries(absl::Time now, EntryVisitor& visitor) {
  return ForEachEntry(now, [&visitor](const ListEntryRecord& entry) {
    visitor.Visit(ViewOf(entry));
  });
}

}  // namespace lureguard::store
