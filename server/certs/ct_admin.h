// The admin side of certificate transparency: what an admin's calls on CT
// logs and alerts do beyond CtMonitor's and the store's own work. A log
// without an interval gets the configured default; a page of alerts is
// sized by the common page-size rule; a watch starts after the newest
// alert and waits for the next ones; and each change (a log added,
// replaced or removed, an alert acknowledged) writes one audit record in
// the transaction of the change, for an auth::Caller.
//
// Thread safety: safe for concurrent use (CtMonitor and the store are).
//
// Example:
//   CtAdmin admin(&monitor, &notifier, *store, SystemClock(),
//                 absl::Minutes(1));
//   absl::StatusOr<CtLogState> log = admin.AddLog(
//       caller, {.name = "argon", .url = "https://ct.example/"});
//   absl::StatusOr<store::AlertRecord> acked = admin.AckAlert(caller, 7);

#ifndef LUREGUARD_SERVER_CERTS_CT_ADMIN_H_
#define LUREGUARD_SERVER_CERTS_CT_ADMIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/caller.h"
#include "server/certs/alert_notifier.h"
#include "server/certs/ct_monitor.h"
#include "server/common/clock.h"
#include "server/store/store.h"

namespace lureguard::certs {

// A log as an admin asks for it.
struct NewCtLog {
  std::string name;
  std::string url;
  CtApi api = CtApi::kRfc6962;
  std::optional<absl::Duration> interval;  // unset: the default interval
  std::optional<int64_t> start_index;      // unset: the current tree size
};

class CtAdmin {
 public:
  // How often a watch re-reads the store without a notification: alerts
  // written by another process sharing the store arrive this late at most.
  static constexpr absl::Duration kWatchPoll = absl::Seconds(1);

  // Everything passed in must outlive the owner. `notifier` may be null
  // (watches then poll every kWatchPoll).
  CtAdmin(CtMonitor& monitor, AlertNotifier* notifier, store::Store& store,
          const Clock& clock, absl::Duration default_interval);

  // Adds the log or replaces its configuration (CtMonitor::Add), with
  // `default_interval` when the log names none.
  absl::StatusOr<CtLogState> AddLog(const auth::Caller& caller,
                                    const NewCtLog& log);

  // Every log, ordered by name.
  absl::StatusOr<std::vector<CtLogState>> ListLogs();

  // Removes the log (its alerts stay). InvalidArgument "name: is empty";
  // NotFound when there is no such log.
  absl::Status RemoveLog(const auth::Caller& caller, const std::string& name);

  // The alerts after id `after_id`, `page_size` of them as
  // common/page_size.h resolves it.
  absl::StatusOr<store::AlertPage> ListAlerts(int64_t after_id, int page_size,
                                              bool unacked_only);

  // Marks the alert acknowledged now. InvalidArgument for an id that is
  // not positive; NotFound when there is no such alert.
  absl::StatusOr<store::AlertRecord> AckAlert(const auth::Caller& caller,
                                              int64_t id);

  // The id of the newest stored alert (0 when there is none): where a
  // watch "from now on" starts.
  absl::StatusOr<int64_t> NewestAlertId();

  // The next alerts after `after_id`, up to a page. When there are none
  // yet, waits until the monitor notifies a newer one or kWatchPoll
  // passes, and answers the (possibly still empty) page read then; its
  // last_id is `after_id` when it is empty.
  absl::StatusOr<store::AlertPage> NextAlerts(int64_t after_id);

 private:
  CtMonitor& monitor_;
  AlertNotifier* const notifier_;
  store::Store& store_;
  const Clock& clock_;
  const absl::Duration default_interval_;
};

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_CT_ADMIN_H_
