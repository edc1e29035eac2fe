#include "server/service/gateway_verdict.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lureguard/v1/verdict.pb.h"

namespace lureguard::service {

std::string CacheControl(const GatewayAnswer& answer) {
  if (answer.max_age_seconds <= 0) return "no-store";
  // private: the answer is for this caller's key and tenant, not for a
  // cache shared between callers.
  return absl::StrCat("private, max-age=", answer.max_age_seconds);
}

GatewayJudge::GatewayJudge(const UrlChecker& checker,
                           const v1::HttpFrontConfig& config)
    : checker_(checker),
      fail_open_(config.fail_open()),
      block_on_warn_(config.block_on_warn()) {}

absl::StatusOr<GatewayAnswer> GatewayJudge::Judge(
    absl::string_view field, absl::string_view url,
    absl::string_view tenant) const {
  absl::StatusOr<verdict::UrlCheck> check = checker_.Check(field, url, tenant);
  GatewayAnswer answer;
  if (!check.ok()) {
    if (absl::IsUnavailable(check.status()) && fail_open_) {
      answer.allow = true;
      answer.fail_open = true;
      return answer;
    }
    return check.status();
  }
  const verdict::Verdict& verdict = check->verdict;
  answer.action = v1::Action_Name(static_cast<v1::Action>(verdict.action));
  answer.reason_codes.reserve(verdict.reasons.size());
  for (const verdict::Reason& reason : verdict.reasons) {
    answer.reason_codes.push_back(
        v1::ReasonCode_Name(static_cast<v1::ReasonCode>(reason.code)));
  }
  const bool deny =
      verdict.action == verdict::Action::kBlock ||
      (block_on_warn_ && (verdict.action == verdict::Action::kWarn ||
                          verdict.action == verdict::Action::kChallenge));
  answer.allow = !deny;
  // Rounded down: a cache never keeps an answer longer than the verdict.
  answer.max_age_seconds = absl::ToInt64Seconds(verdict.cache_ttl);
  answer.check = *std::move(check);
  return answer;
}

}  // namespace lureguard::service
