// The admin side of beacon flags: what an admin's list and clear of the
// hosts the login beacon flagged do beyond BeaconFlags' own work. Listing
// pages through the flags by offset under the common page-size rule;
// clearing takes the host in any case (flags are kept under lowercase
// hosts) and writes one audit record, with what the flag was, in the
// transaction of the delete, for an auth::Caller.
//
// The login engine, which owns the flags, starts after the admin service
// is built: until Attach, every call is Unavailable.
//
// Thread safety: safe for concurrent use (BeaconFlags is).
//
// Example:
//   BeaconFlagAdmin admin(SystemClock());
//   admin.Attach(&engine.beacon_flags());
//   absl::StatusOr<BeaconFlagPage> page = admin.List("acme", 0, 100);
//   absl::Status cleared = admin.Remove(caller, "acme", "Evil.Example");

#ifndef LUREGUARD_SERVER_LOGIN_BEACON_FLAG_ADMIN_H_
#define LUREGUARD_SERVER_LOGIN_BEACON_FLAG_ADMIN_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/auth/caller.h"
#include "server/common/clock.h"
#include "server/login/beacon_flags.h"
#include "server/store/store.h"

namespace lureguard::login {

// One page of flags, ordered by tenant and host.
struct BeaconFlagPage {
  std::vector<store::BeaconFlagRecord> flags;
  // How many flags this page and the earlier ones returned, when more
  // follow: where the next page starts.
  std::optional<int64_t> next_offset;
};

class BeaconFlagAdmin {
 public:
  // `clock` must outlive the owner.
  explicit BeaconFlagAdmin(const Clock& clock);

  // The flags to administer from now on. `flags` must outlive the owner.
  void Attach(BeaconFlags* flags);

  // The unexpired flags (of `tenant` when set) after the first `offset`,
  // `page_size` of them as common/page_size.h resolves it.
  absl::StatusOr<BeaconFlagPage> List(const std::optional<std::string>& tenant,
                                      int64_t offset, int page_size) const;

  // Clears the flag of (tenant, host). InvalidArgument "host: is empty";
  // NotFound naming the tenant and host when there is no such flag.
  absl::Status Remove(const auth::Caller& caller, const std::string& tenant,
                      const std::string& host);

 private:
  // The attached flags; Unavailable before Attach.
  absl::StatusOr<BeaconFlags*> Flags() const;

  const Clock& clock_;
  std::atomic<BeaconFlags*> flags_{nullptr};
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_BEACON_FLAG_ADMIN_H_
