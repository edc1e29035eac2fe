// What every Store implementation refuses, and how it says so: the checks
// on list entries, records, alerts and clicks that store.h promises, shared
// so that SQLite and PostgreSQL refuse exactly the same inputs with exactly
// the same InvalidArgument messages ("value: must not be empty").

#ifndef LUREGUARD_SERVER_STORE_INTERNAL_VALIDATION_H_
#define LUREGUARD_SERVER_STORE_INTERNAL_VALIDATION_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/common/tenant.h"
#include "server/store/store.h"

namespace lureguard::store::internal {

// A value as it may appear in an error message: escaped, and cut short so
// that an 8 KiB URL does not flood a log line.
std::string Quote(absl::string_view value);

// Debian's Abseil is built with its own string_view type; the Store
// interface uses the standard one.
inline absl::string_view AsAbsl(std::string_view s) {
  return {s.data(), s.size()};
}

// Whether a stored number is an enumerator this version knows (rows read
// back are checked, so that a newer writer's values surface as DataLoss).
bool IsValidList(ListType list);
bool IsValidKind(EntryKind kind);
bool IsValidThreat(ThreatType threat);

// InvalidArgument naming the field and the reason, or OK.
absl::Status ValidateList(ListType list);
absl::Status ValidateKind(EntryKind kind);
absl::Status ValidateValue(absl::string_view value);
// `field` names the argument in the message ("source", "replace_source").
absl::Status ValidateSource(absl::string_view field, absl::string_view source);
// The tenant rule every layer shares (common/tenant.h).
using ::lureguard::ValidateTenant;
absl::Status ValidateEntry(const ListEntryRecord& entry);
absl::Status ValidateRecordKey(std::string_view collection,
                               std::string_view tenant, std::string_view name);
absl::Status ValidateAlert(const AlertRecord& alert);
absl::Status ValidateClick(const ClickRecord& click);
// The arguments of ClickStore's list, dedup window and sweep, checked
// alike by every implementation.
absl::Status ValidatePageSize(int page_size);
absl::Status ValidateClickWindow(absl::Duration window);
absl::Status ValidateCutoff(absl::Time cutoff);
// Beacon flags: tenant, a canonical host, finite times.
bool IsFinite(absl::Time time);
absl::Status ValidateBeaconHost(absl::string_view host);
absl::Status ValidateBeaconFlag(const BeaconFlagRecord& flag);

// NotFound for a conditional write whose record was deleted meanwhile:
// "record feed/acme/phish: deleted meanwhile; not re-created".
absl::Status RecordGone(const StoredRecord& record);

// Aborted for a conditional write whose record another write replaced
// first: "record feed//phish: written meanwhile (version 4, this write
// expected 3); not overwritten".
absl::Status RecordChanged(const StoredRecord& record, int64_t stored_version);

}  // namespace lureguard::store::internal

#endif  // LUREGUARD_SERVER_STORE_INTERNAL_VALIDATION_H_
