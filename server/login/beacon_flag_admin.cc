#include "server/login/beacon_flag_admin.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/page_size.h"
#include "server/common/status_macros.h"
#include "server/store/audit_scope.h"

namespace lureguard::login {
namespace {

// The audit line of a flag: what the admin cleared.
std::string FlagSummary(const store::BeaconFlagRecord& flag) {
  return absl::StrCat(flag.brand, " ", flag.technique, " hits=", flag.hits,
                      " last_seen=", absl::FormatTime(flag.last_seen));
}

}  // namespace

BeaconFlagAdmin::BeaconFlagAdmin(const Clock& clock) : clock_(clock) {}

void BeaconFlagAdmin::Attach(BeaconFlags* flags) { flags_.store(flags); }

absl::StatusOr<BeaconFlags*> BeaconFlagAdmin::Flags() const {
  BeaconFlags* flags = flags_.load();
  if (flags == nullptr) {
    return absl::UnavailableError("the login engine is not started");
  }
  return flags;
}

absl::StatusOr<BeaconFlagPage> BeaconFlagAdmin::List(
    const std::optional<std::string>& tenant, int64_t offset,
    int page_size) const {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(BeaconFlags * flags, Flags());
  std::vector<store::BeaconFlagRecord> listed = flags->List(tenant);
  const size_t begin = std::min(
      listed.size(), static_cast<size_t>(std::max<int64_t>(0, offset)));
  const size_t end = std::min(listed.size(), begin + size);
  BeaconFlagPage page;
  page.flags.assign(std::make_move_iterator(listed.begin() + begin),
                    std::make_move_iterator(listed.begin() + end));
  if (end < listed.size()) page.next_offset = static_cast<int64_t>(end);
  return page;
}

absl::Status BeaconFlagAdmin::Remove(const auth::Caller& caller,
                                     const std::string& tenant,
                                     const std::string& host) {
  if (host.empty()) return absl::InvalidArgumentError("host: is empty");
  ASSIGN_OR_RETURN(BeaconFlags * flags, Flags());
  const std::string canonical = absl::AsciiStrToLower(host);
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "DeleteBeaconFlag", absl::StrCat("beacon:", canonical), tenant,
      clock_.Now()));
  if (std::optional<store::BeaconFlagRecord> flag =
          flags->Find(tenant, canonical)) {
    audit.record().before = FlagSummary(*flag);
  }
  ASSIGN_OR_RETURN(const bool removed, flags->Remove(tenant, canonical));
  if (!removed) {
    return absl::NotFoundError(absl::StrCat(
        "host: tenant '", tenant, "' has no beacon flag on '", canonical, "'"));
  }
  LogInfo("beacon flag cleared", {{"tenant", tenant},
                                  {"host", canonical},
                                  {"by", caller.principal.key_name}});
  return absl::OkStatus();
}

}  // namespace lureguard::login
