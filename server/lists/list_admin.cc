#include "server/lists/list_admin.h"

#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/log.h"
#include "server/common/page_size.h"
#include "server/common/status_macros.h"
#include "server/common/tenant.h"
#include "server/common/utf8.h"
#include "server/lists/entry_value.h"
#include "server/store/audit_scope.h"

namespace lureguard::lists {
namespace {

// Entries an admin writes carry this source; feeds carry "feed:NAME".
constexpr char kAdminSource[] = "admin";

absl::string_view ListName(store::ListType list) {
  return list == store::ListType::kBlock ? "blocklist" : "allowlist";
}

absl::string_view ShortListName(store::ListType list) {
  return list == store::ListType::kBlock ? "block" : "allow";
}

absl::Status CheckReason(absl::string_view reason) {
  if (reason.size() > ListAdmin::kMaxReasonBytes) {
    return absl::InvalidArgumentError(absl::StrCat("reason: is ", reason.size(),
                                                   " bytes; the limit is ",
                                                   ListAdmin::kMaxReasonBytes));
  }
  if (!IsValidUtf8(reason)) {
    return absl::InvalidArgumentError("reason: is not valid UTF-8");
  }
  return absl::OkStatus();
}

// Zero means never; a TTL counts from `now` on this server's clock.
absl::StatusOr<absl::Time> ExpiryFrom(absl::Duration ttl, absl::Time now) {
  if (ttl < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("ttl: is negative");
  }
  if (ttl == absl::ZeroDuration()) return absl::InfiniteFuture();
  return now + ttl;
}

// The tenant and normalized value of an add or a remove, checked in the
// same order for both so that the same bad field gets the same error.
// Normalized as on add, so "HTTP://Evil.com" names "evil.com".
absl::StatusOr<EntryValue> TargetValue(const std::string& tenant,
                                       const std::string& value,
                                       std::optional<store::EntryKind> kind) {
  RETURN_IF_ERROR(ValidateTenant(tenant));
  if (!IsValidUtf8(value)) {
    return absl::InvalidArgumentError("value: is not valid UTF-8");
  }
  absl::StatusOr<EntryValue> normalized = NormalizeEntryValue(value, kind);
  if (!normalized.ok()) return InField("value", normalized.status());
  return normalized;
}

// The audit log's one-line summary of an entry.
std::string EntrySummary(const store::ListEntryRecord& entry) {
  std::string summary =
      absl::StrCat(EntryKindName(entry.kind), " ", entry.value);
  if (!entry.reason.empty()) {
    absl::StrAppend(&summary, " reason=", absl::CEscape(entry.reason));
  }
  if (entry.threat != store::ThreatType::kPhishing) {
    absl::StrAppend(&summary, " threat=", store::ThreatTypeName(entry.threat));
  }
  if (entry.expire_time != absl::InfiniteFuture()) {
    absl::StrAppend(&summary, " expires=",
                    absl::FormatTime(absl::RFC3339_sec, entry.expire_time,
                                     absl::UTCTimeZone()));
  }
  return summary;
}

// The audit log's summary of an import: how many entries, how read.
std::string ImportSummary(size_t count, absl::string_view format,
                          const std::string& reason, store::ThreatType threat) {
  std::string summary =
      absl::StrCat(count, " entries, format ", format,
                   reason.empty() ? "" : " reason=", absl::CEscape(reason));
  if (threat != store::ThreatType::kPhishing) {
    absl::StrAppend(&summary, " threat=", store::ThreatTypeName(threat));
  }
  return summary;
}

// The store records of an import's entries, whose values are moved out.
std::vector<store::ListEntryRecord> ImportRecords(
    const PreparedImport& import, store::ThreatType threat,
    std::vector<EntryValue>& values) {
  std::vector<store::ListEntryRecord> records;
  records.reserve(values.size());
  for (EntryValue& value : values) {
    store::ListEntryRecord& record = records.emplace_back();
    record.list = import.options.list;
    record.kind = value.kind;
    record.threat = threat;
    record.value = std::move(value.value);
    record.reason = import.options.reason;
    record.source = kAdminSource;
    record.tenant = import.options.tenant;
    record.create_time = import.create_time;
    record.expire_time = import.expire_time;
  }
  return records;
}

}  // namespace

ListAdmin::ListAdmin(store::ListEntryStore& store, const Clock& clock,
                     int64_t max_import_entries)
    : store_(store), clock_(clock), max_import_entries_(max_import_entries) {}

absl::StatusOr<store::ListEntryRecord> ListAdmin::Add(
    const auth::Caller& caller, const NewListEntry& entry) {
  RETURN_IF_ERROR(CheckReason(entry.reason));
  ASSIGN_OR_RETURN(EntryValue value,
                   TargetValue(entry.tenant, entry.value, entry.kind));
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(absl::Time expiry, ExpiryFrom(entry.ttl, now));

  store::ListEntryRecord record;
  record.list = entry.list;
  record.kind = value.kind;
  record.value = std::move(value.value);
  record.reason = entry.reason;
  record.source = kAdminSource;
  record.tenant = entry.tenant;
  record.threat = entry.threat.value_or(store::ThreatType::kPhishing);
  record.create_time = now;
  record.expire_time = expiry;
  store::AuditScope audit(
      auth::AuditRecordOf(caller, "CreateListEntry",
                          absl::StrCat(ListName(entry.list), ":", record.value),
                          record.tenant, now));
  audit.record().after = EntrySummary(record);
  ASSIGN_OR_RETURN(store::ListEntryRecord stored, store_.UpsertEntry(record));
  LogInfo("list entry added", {{"list", ShortListName(entry.list)},
                               {"kind", EntryKindName(record.kind)},
                               {"id", absl::StrCat(stored.id)}});
  return stored;
}

absl::StatusOr<int64_t> ListAdmin::Remove(const auth::Caller& caller,
                                          const ListEntryKey& key) {
  ASSIGN_OR_RETURN(EntryValue value,
                   TargetValue(key.tenant, key.value, key.kind));
  const std::optional<store::EntryKind> kind =
      key.kind ? std::optional(value.kind) : std::nullopt;
  store::AuditScope audit(
      auth::AuditRecordOf(caller, "DeleteListEntry",
                          absl::StrCat(ListName(key.list), ":", value.value),
                          key.tenant, clock_.Now()));
  audit.record().before =
      kind ? absl::StrCat(EntryKindName(*kind), " ", value.value)
           : absl::StrCat("any kind ", value.value);
  ASSIGN_OR_RETURN(int64_t deleted,
                   store_.DeleteEntries(key.list, key.tenant, value.value, kind,
                                        kAdminSource));
  if (deleted == 0) {
    return absl::NotFoundError(
        absl::StrCat("value: no admin entry '", value.value, "' in the ",
                     ShortListName(key.list), " list",
                     key.tenant.empty() ? "" : " of tenant ", key.tenant));
  }
  return deleted;
}

absl::StatusOr<store::ListEntryPage> ListAdmin::List(store::ListType list,
                                                     const std::string& tenant,
                                                     int64_t after_id,
                                                     int page_size) const {
  RETURN_IF_ERROR(ValidateTenant(tenant));
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(page_size));
  return store_.ListEntries(list, tenant, after_id, size);
}

absl::StatusOr<PreparedImport> ListAdmin::PrepareImport(
    const ListImportOptions& options) const {
  RETURN_IF_ERROR(ValidateTenant(options.tenant));
  RETURN_IF_ERROR(CheckReason(options.reason));
  if (!options.format.empty()) {
    RETURN_IF_ERROR(ImportParser::CheckFormat(options.format));
  }
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(absl::Time expiry, ExpiryFrom(options.ttl, now));
  return PreparedImport{options, now, expiry};
}

absl::StatusOr<int64_t> ListAdmin::Import(
    const auth::Caller& caller, const PreparedImport& import,
    ImportResult& parsed, const std::function<bool()>& still_wanted) {
  if (static_cast<int64_t>(parsed.entries.size()) > max_import_entries_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "content: ", parsed.entries.size(),
        " entries exceed the import limit of ", max_import_entries_));
  }
  const store::ThreatType threat =
      import.options.threat.value_or(DefaultThreatType(parsed.format));
  std::vector<store::ListEntryRecord> records =
      ImportRecords(import, threat, parsed.entries);
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "ImportListEntries", std::string(ListName(import.options.list)),
      import.options.tenant, clock_.Now()));
  audit.record().after = ImportSummary(records.size(), parsed.format,
                                       import.options.reason, threat);
  absl::StatusOr<int64_t> written =
      store_.ImportEntries(records, std::nullopt, still_wanted);
  // Written or not, the entries are done with: free them before the
  // caller waits for the rebuild, which needs as much again (issue #19).
  std::vector<store::ListEntryRecord>().swap(records);
  std::vector<EntryValue>().swap(parsed.entries);
  if (!written.ok() && absl::IsCancelled(written.status())) {
    LogInfo("list import abandoned",
            {{"why", std::string(written.status().message())}});
  }
  return written;
}

}  // namespace lureguard::lists
