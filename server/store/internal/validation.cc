#include "server/store/internal/validation.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/common/status_macros.h"
#include "server/common/utf8.h"

namespace lureguard::store::internal {
namespace {

// Field limits. Values are hosts, CIDRs or canonical URLs: browsers and
// proxies commonly cap URLs at 8 KiB. Reasons are one sentence.
constexpr size_t kMaxValueBytes = 8192;
constexpr size_t kMaxReasonBytes = 1024;
constexpr size_t kMaxSourceBytes = 128;

bool HasControlCharacter(absl::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

// Sources are identifiers ("feed:openphish"), as tenants are
// (common/tenant.h): printable ASCII without spaces keeps them safe in logs,
// metrics labels and the CLI.
bool IsIdentifier(absl::string_view s) {
  for (const char c : s) {
    if (c <= 0x20 || c >= 0x7F) return false;
  }
  return true;
}

// Opaque ids (keyed hashes, verdict ids): short printable ASCII.
absl::Status ValidateOpaqueId(absl::string_view field, absl::string_view id) {
  if (id.size() > 64 || !std::all_of(id.begin(), id.end(), [](char c) {
        return c > ' ' && c < 0x7f;
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be at most 64 printable ASCII characters"));
  }
  return absl::OkStatus();
}

}  // namespace

// A value as it may appear in an error message: escaped, and cut short so
// that an 8 KiB URL does not flood a log line.
std::string Quote(absl::string_view value) {
  constexpr size_t kMaxShown = 64;
  std::string shown = absl::CHexEscape(value.substr(0, kMaxShown));
  if (value.size() > kMaxShown) absl::StrAppend(&shown, "...");
  return absl::StrCat("\"", shown, "\"");
}

bool IsValidList(ListType list) {
  return list == ListType::kBlock || list == ListType::kAllow;
}

bool IsValidKind(EntryKind kind) {
  const int k = static_cast<int>(kind);
  return k >= static_cast<int>(EntryKind::kHost) &&
         k <= static_cast<int>(EntryKind::kIpRange);
}

bool IsValidThreat(ThreatType threat) {
  return threat == ThreatType::kPhishing || threat == ThreatType::kMalware ||
         threat == ThreatType::kUnwanted;
}

absl::Status ValidateList(ListType list) {
  if (IsValidList(list)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "list: ", static_cast<int>(list), " is not a list type (1 or 2)"));
}

absl::Status ValidateKind(EntryKind kind) {
  if (IsValidKind(kind)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "kind: ", static_cast<int>(kind), " is not an entry kind (1 to 5)"));
}

absl::Status ValidateValue(absl::string_view value) {
  if (value.empty()) {
    return absl::InvalidArgumentError("value: must not be empty");
  }
  if (value.size() > kMaxValueBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("value: ", Quote(value), " is ", value.size(),
                     " bytes long; the limit is ", kMaxValueBytes));
  }
  if (HasControlCharacter(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("value: ", Quote(value), " contains a control character"));
  }
  if (!IsValidUtf8(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("value: ", Quote(value), " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

absl::Status ValidateSource(absl::string_view field, absl::string_view source) {
  if (source.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be empty"));
  }
  if (source.size() > kMaxSourceBytes || !IsIdentifier(source)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", Quote(source), " must be 1 to ", kMaxSourceBytes,
        " printable ASCII characters without spaces"));
  }
  return absl::OkStatus();
}

absl::Status ValidateClick(const ClickRecord& click) {
  if (click.url.empty() || click.url.size() > kMaxValueBytes ||
      !IsValidUtf8(click.url)) {
    return absl::InvalidArgumentError(
        absl::StrCat("url: must be 1 to ", kMaxValueBytes, " bytes of UTF-8"));
  }
  RETURN_IF_ERROR(ValidateTenant(click.tenant));
  RETURN_IF_ERROR(ValidateOpaqueId("recipient_id", click.recipient_id));
  RETURN_IF_ERROR(ValidateOpaqueId("verdict_id", click.verdict_id));
  if (click.time == absl::InfinitePast() ||
      click.time == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("time: must be finite");
  }
  return absl::OkStatus();
}

absl::Status ValidateRecordKey(std::string_view collection,
                               std::string_view tenant, std::string_view name) {
  RETURN_IF_ERROR(ValidateSource("collection", AsAbsl(collection)));
  RETURN_IF_ERROR(ValidateTenant(AsAbsl(tenant)));
  if (name.empty() || name.size() > kMaxSourceBytes ||
      !IsValidUtf8(AsAbsl(name)) || HasControlCharacter(AsAbsl(name))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: ", Quote(AsAbsl(name)), " must be 1 to ", kMaxSourceBytes,
        " bytes of UTF-8 without control characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEntry(const ListEntryRecord& entry) {
  RETURN_IF_ERROR(ValidateList(entry.list));
  RETURN_IF_ERROR(ValidateKind(entry.kind));
  if (!IsValidThreat(entry.threat)) {
    return absl::InvalidArgumentError(
        absl::StrCat("threat: ", static_cast<int>(entry.threat),
                     " is not a threat type (1, 2 or 4)"));
  }
  RETURN_IF_ERROR(ValidateValue(entry.value));
  if (entry.reason.size() > kMaxReasonBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reason: ", Quote(entry.reason), " is ", entry.reason.size(),
        " bytes long; the limit is ", kMaxReasonBytes));
  }
  if (!IsValidUtf8(entry.reason)) {
    return absl::InvalidArgumentError(
        absl::StrCat("reason: ", Quote(entry.reason), " is not valid UTF-8"));
  }
  RETURN_IF_ERROR(ValidateSource("source", entry.source));
  RETURN_IF_ERROR(ValidateTenant(entry.tenant));
  if (entry.create_time == absl::InfiniteFuture() ||
      entry.create_time == absl::InfinitePast()) {
    return absl::InvalidArgumentError(
        absl::StrCat("create_time: ", absl::FormatTime(entry.create_time),
                     " is not a finite time"));
  }
  if (entry.expire_time == absl::InfinitePast()) {
    return absl::InvalidArgumentError(
        "expire_time: must be a finite time or InfiniteFuture (never)");
  }
  return absl::OkStatus();
}

absl::Status ValidateAlert(const AlertRecord& alert) {
  const std::pair<const char*, const std::string*> texts[] = {
      {"dedup_key", &alert.dedup_key},
      {"name", &alert.name},
      {"brand", &alert.brand},
      {"technique", &alert.technique},
      {"official_domain", &alert.official_domain},
      {"evidence", &alert.evidence},
      {"issuer", &alert.issuer},
      {"serial", &alert.serial},
      {"cert_sha256", &alert.cert_sha256},
      {"log_name", &alert.log_name}};
  for (const auto& [field, value] : texts) {
    if (value->size() > kMaxReasonBytes || !IsValidUtf8(*value)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", Quote(*value), " must be at most ",
                       kMaxReasonBytes, " bytes of UTF-8"));
    }
  }
  if (alert.dedup_key.empty() || alert.name.empty()) {
    return absl::InvalidArgumentError("dedup_key and name: must not be empty");
  }
  if (!(alert.weight >= 0 && alert.weight <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("weight: ", alert.weight, " is outside [0, 1]"));
  }
  return absl::OkStatus();
}

absl::Status RecordGone(const StoredRecord& record) {
  return absl::NotFoundError(
      absl::StrCat("record ", record.collection, "/", record.tenant, "/",
                   record.name, ": deleted meanwhile; not re-created"));
}

absl::Status RecordChanged(const StoredRecord& record, int64_t stored_version) {
  return absl::AbortedError(absl::StrCat(
      "record ", record.collection, "/", record.tenant, "/", record.name,
      ": written meanwhile (version ", stored_version, ", this write expected ",
      record.version, "); not overwritten"));
}

bool IsFinite(absl::Time time) {
  return time != absl::InfinitePast() && time != absl::InfiniteFuture();
}

absl::Status ValidateBeaconHost(absl::string_view host) {
  // A DNS name is at most 253 characters; canonical hosts are ASCII.
  if (host.empty() || host.size() > 253 || !IsIdentifier(host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "host: ", Quote(host), " must be 1 to 253 printable ASCII characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidatePageSize(int page_size) {
  if (page_size <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", page_size, " must be positive"));
  }
  return absl::OkStatus();
}

absl::Status ValidateClickWindow(absl::Duration window) {
  if (window <= absl::ZeroDuration() || window == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("window: ", absl::FormatDuration(window),
                     " must be positive and finite"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCutoff(absl::Time cutoff) {
  if (!IsFinite(cutoff)) {
    return absl::InvalidArgumentError("cutoff: must be finite");
  }
  return absl::OkStatus();
}

absl::Status ValidateBeaconFlag(const BeaconFlagRecord& flag) {
  RETURN_IF_ERROR(ValidateTenant(flag.tenant));
  RETURN_IF_ERROR(ValidateBeaconHost(flag.host));
  for (auto [field, value] :
       {std::pair<absl::string_view, absl::string_view>{"brand", flag.brand},
        {"technique", flag.technique}}) {
    if (value.size() > kMaxSourceBytes || !IsValidUtf8(value) ||
        HasControlCharacter(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", Quote(value), " must be at most ",
                       kMaxSourceBytes, " bytes of UTF-8"));
    }
  }
  for (auto [field, time] :
       {std::pair<absl::string_view, absl::Time>{"first_seen", flag.first_seen},
        {"last_seen", flag.last_seen},
        {"expire_time", flag.expire_time}}) {
    if (!IsFinite(time)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must be finite"));
    }
  }
  return absl::OkStatus();
}

}  // namespace lureguard::store::internal
