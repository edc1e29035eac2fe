// The admin side of block and allow lists: adding, removing, listing and
// importing the entries admins manage (source "admin"), with the rules
// those calls share: values normalized as the URL engine sees them
// (entry_value.h), a TTL turned into an expiry on this server's clock,
// limits on reasons and imports, the tenant rule (common/tenant.h), and an
// audit record written in the same store transaction as each change.
//
// It commits to the store and returns; making the change visible to
// checks is the snapshot publisher's job (verdict/), which the gRPC layer
// waits for within the call's deadline. The wait stays there because this
// folder must not depend on verdict/ (verdict/ reads lists), and because
// how long a caller may wait is a property of its call.
//
// Thread safety: safe for concurrent use (the store serializes writes).
//
// Example:
//   ListAdmin lists(*store, SystemClock(), /*max_import_entries=*/1'000'000);
//   absl::StatusOr<store::ListEntryRecord> added = lists.Add(
//       caller, {.list = store::ListType::kBlock, .value = "evil.example",
//                .ttl = absl::Hours(24)});
//   absl::StatusOr<int64_t> removed =
//       lists.Remove(caller, {.value = "evil.example"});

#ifndef LUREGUARD_SERVER_LISTS_LIST_ADMIN_H_
#define LUREGUARD_SERVER_LISTS_LIST_ADMIN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/caller.h"
#include "server/common/clock.h"
#include "server/lists/import_parser.h"
#include "server/store/store.h"

namespace lureguard::lists {

// An entry an admin adds. InvalidArgument errors name these fields.
struct NewListEntry {
  store::ListType list = store::ListType::kBlock;
  std::string tenant;                         // empty: every tenant
  std::string value;                          // as typed; normalized on add
  std::optional<store::EntryKind> kind;       // none: inferred from the value
  std::string reason;                         // up to 1024 bytes of UTF-8
  std::optional<store::ThreatType> threat;    // none: phishing
  absl::Duration ttl = absl::ZeroDuration();  // zero: never expires
};

// The admin entries to remove: the value normalized as on add, of `kind`
// when given, of any kind otherwise (the kind inferred now might differ
// from the one it was added with: "evil.com" added as a host).
struct ListEntryKey {
  store::ListType list = store::ListType::kBlock;
  std::string tenant;
  std::string value;
  std::optional<store::EntryKind> kind;
};

// What an import says of every entry it carries.
struct ListImportOptions {
  store::ListType list = store::ListType::kBlock;
  std::string tenant;
  std::string reason;
  std::string format;                       // empty: "auto"
  std::optional<store::ThreatType> threat;  // none: the format's default
  absl::Duration ttl = absl::ZeroDuration();
};

// An import whose options were checked before its content arrived; its
// entries are created, and expire, as of that moment.
struct PreparedImport {
  ListImportOptions options;
  absl::Time create_time;
  absl::Time expire_time;
};

class ListAdmin {
 public:
  static constexpr size_t kMaxReasonBytes = 1024;

  // `store` and `clock` must outlive the owner. Imports may carry at most
  // `max_import_entries` entries.
  ListAdmin(store::ListEntryStore& store, const Clock& clock,
            int64_t max_import_entries);

  // Adds `entry`, or refreshes the reason, threat and expiry of the same
  // admin entry. Returns the stored entry. InvalidArgument names the field
  // ("ttl: is negative").
  absl::StatusOr<store::ListEntryRecord> Add(const auth::Caller& caller,
                                             const NewListEntry& entry);

  // Removes the admin entries `key` names; returns how many. NotFound when
  // there are none (feed entries are never removed here).
  absl::StatusOr<int64_t> Remove(const auth::Caller& caller,
                                 const ListEntryKey& key);

  // A page of `list` and `tenant` (expired entries included) after entry
  // id `after_id`: `page_size` entries as common/page_size.h resolves it.
  absl::StatusOr<store::ListEntryPage> List(store::ListType list,
                                            const std::string& tenant,
                                            int64_t after_id,
                                            int page_size) const;

  // Checks an import's options before its content is read, so that a bad
  // option fails at once rather than after a large upload.
  absl::StatusOr<PreparedImport> PrepareImport(
      const ListImportOptions& options) const;

  // Writes every entry `parsed` holds in one transaction (all or none),
  // and returns how many were written. The entries are moved out of
  // `parsed` and freed before returning, written or not, so the snapshot
  // rebuild that follows has their memory; the counts stay. When
  // `still_wanted` (may be empty) says no before the commit, nothing is
  // written and the answer is Cancelled.
  absl::StatusOr<int64_t> Import(const auth::Caller& caller,
                                 const PreparedImport& import,
                                 ImportResult& parsed,
                                 const std::function<bool()>& still_wanted);

 private:
  store::ListEntryStore& store_;
  const Clock& clock_;
  const int64_t max_import_entries_;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_LIST_ADMIN_H_
