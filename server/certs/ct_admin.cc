#include "server/certs/ct_admin.h"

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/page_size.h"
#include "server/common/status_macros.h"
#include "server/store/audit_scope.h"

namespace lureguard::certs {
namespace {

// The API's names of the two CT APIs, as the audit log shows them.
absl::string_view ApiName(CtApi api) {
  return api == CtApi::kStatic ? "STATIC_CT" : "RFC6962";
}

// The alerts after `after_id`, a whole page at a time; last_id is
// `after_id` when there are none.
absl::StatusOr<store::AlertPage> ReadAlerts(store::Store& store,
                                            int64_t after_id) {
  ASSIGN_OR_RETURN(store::AlertPage page,
                   store.ListAlerts(after_id, kMaxPageSize, false));
  if (page.alerts.empty()) page.last_id = after_id;
  return page;
}

}  // namespace

CtAdmin::CtAdmin(CtMonitor& monitor, AlertNotifier* notifier,
                 store::Store& store, const Clock& clock,
                 absl::Duration default_interval)
    : monitor_(monitor),
      notifier_(notifier),
      store_(store),
      clock_(clock),
      default_interval_(default_interval) {}

absl::StatusOr<CtLogState> CtAdmin::AddLog(const auth::Caller& caller,
                                           const NewCtLog& log) {
  const CtLogConfig config{
      .name = log.name,
      .url = log.url,
      .api = log.api,
      .interval = log.interval.value_or(default_interval_)};
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "CreateCtLog", "ct:" + config.name, "", clock_.Now()));
  audit.record().after =
      absl::StrCat(config.url, " ", ApiName(config.api), " every ",
                   absl::FormatDuration(config.interval));
  ASSIGN_OR_RETURN(CtLogState state, monitor_.Add(config, log.start_index));
  LogInfo("CT log configured",
          {{"log", config.name}, {"by", caller.principal.key_name}});
  return state;
}

absl::StatusOr<std::vector<CtLogState>> CtAdmin::ListLogs() {
  return monitor_.List();
}

absl::Status CtAdmin::RemoveLog(const auth::Caller& caller,
                                const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("name: is empty");
  store::AuditScope audit(auth::AuditRecordOf(caller, "DeleteCtLog",
                                              "ct:" + name, "", clock_.Now()));
  return monitor_.Remove(name);
}

absl::StatusOr<store::AlertPage> CtAdmin::ListAlerts(int64_t after_id,
                                                     int page_size,
                                                     bool unacked_only) {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(page_size));
  return store_.ListAlerts(after_id, size, unacked_only);
}

absl::StatusOr<store::AlertRecord> CtAdmin::AckAlert(const auth::Caller& caller,
                                                     int64_t id) {
  if (id <= 0) {
    return absl::InvalidArgumentError("id: must be a positive alert id");
  }
  const absl::Time now = clock_.Now();
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "AckAlert", absl::StrCat("alert:", id), "", now));
  audit.record().after = "acknowledged";
  ASSIGN_OR_RETURN(store::AlertRecord alert, store_.AckAlert(id, now));
  LogInfo("CT alert acknowledged",
          {{"alert", absl::StrCat(id)}, {"by", caller.principal.key_name}});
  return alert;
}

absl::StatusOr<int64_t> CtAdmin::NewestAlertId() {
  int64_t newest = 0;
  while (true) {
    ASSIGN_OR_RETURN(store::AlertPage page, ReadAlerts(store_, newest));
    newest = page.last_id;
    if (!page.has_more) return newest;
  }
}

absl::StatusOr<store::AlertPage> CtAdmin::NextAlerts(int64_t after_id) {
  ASSIGN_OR_RETURN(store::AlertPage page, ReadAlerts(store_, after_id));
  if (!page.alerts.empty()) return page;
  if (notifier_ != nullptr) {
    notifier_->WaitNewer(after_id, kWatchPoll);
  } else {
    absl::SleepFor(kWatchPoll);
  }
  return ReadAlerts(store_, after_id);
}

}  // namespace lureguard::certs
