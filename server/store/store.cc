#include "server/store/store.h"

namespace lureguard::store {

absl::Status Store::ScanEntries(absl::Time now, EntryVisitor& visitor) {
  return ForEachEntry(now, [&visitor](const ListEntryRecord& entry) {
    ListEntryView view;
    view.id = entry.id;
    view.list = entry.list;
    view.kind = entry.kind;
    view.value = entry.value;
    view.reason = entry.reason;
    view.source = entry.source;
    view.tenant = entry.tenant;
    view.create_time = entry.create_time;
    view.expire_time = entry.expire_time;
    visitor.Visit(view);
  });
}

}  // namespace lureguard::store
