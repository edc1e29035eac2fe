#include "server/service/url_checker.h"

#include "lureguard/v1/verdict.pb.h"
#include "server/common/field_error.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/service/request_limits.h"

namespace lureguard::service {

UrlChecker::UrlChecker(const verdict::Engine& engine, const v1::Limits& limits,
                       ServerMetrics* metrics)
    : engine_(engine),
      max_url_length_(limits.max_url_length()),
      metrics_(metrics) {}

absl::StatusOr<verdict::UrlCheck> UrlChecker::Check(
    absl::string_view field, absl::string_view url,
    absl::string_view tenant) const {
  ASSIGN_OR_RETURN(verdict::Engine::SharedCheck check,
                   CheckShared(field, url, tenant));
  return check.Copy();
}

absl::StatusOr<verdict::Engine::SharedCheck> UrlChecker::CheckShared(
    absl::string_view field, absl::string_view url,
    absl::string_view tenant) const {
  RETURN_IF_ERROR(CheckUrlField(field, url, max_url_length_));
  absl::StatusOr<verdict::Engine::SharedCheck> check =
      engine_.CheckUrlShared(url, tenant);
  if (!check.ok()) {
    if (absl::IsUnavailable(check.status())) return check.status();
    return InField(field, check.status());
  }
  const verdict::Verdict& verdict = check->check->verdict;
  if (metrics_ != nullptr) metrics_->RecordVerdict(verdict);
  // A URL can carry a victim's address or a session token: debug only.
  if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, "url checked",
        {{"url", url},
         {"verdict_id", check->verdict_id.view()},
         {"action", v1::Action_Name(static_cast<v1::Action>(verdict.action))}});
  }
  return check;
}

}  // namespace lureguard::service
