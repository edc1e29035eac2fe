#include "server/verdict/userinfo_reasons.h"

#include <algorithm>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/verdict/url_reasons.h"

namespace lureguard::verdict {
namespace {

// A brand's own domain shown as the user name of another host has no use
// but to mislead: on its own it blocks, as an embedded official domain in
// a host does.
constexpr double kWeightOfficialDomainInUserinfo = 0.9;

bool IsHostByte(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
         c == '-';
}

}  // namespace

std::string UserinfoHost(const url::ParsedUrl& parsed) {
  const std::string user = url::PercentDecode(parsed.username);
  const size_t end = static_cast<size_t>(
      std::find_if_not(user.begin(), user.end(), IsHostByte) - user.begin());
  const std::string_view shown = std::string_view(user).substr(0, end);
  if (shown.find('.') == std::string_view::npos) return "";
  absl::StatusOr<std::string> host = url::CanonicalizeHost(shown);
  // Under a listed suffix: "a.b" or "v1.2" is a user name, not a host.
  if (!host.ok() || url::RegistrableDomain(*host).empty() ||
      url::PublicSuffixSection(*host) == url::SuffixSection::kUnlisted) {
    return "";
  }
  return *std::move(host);
}

std::vector<Reason> UserinfoBrandReasons(const url::UrlAnalysis& url,
                                         const lookalike::BrandIndex& brands,
                                         absl::string_view tenant) {
  std::vector<Reason> reasons;
  if (url.parsed.username.empty()) return reasons;
  const std::string shown = UserinfoHost(url.parsed);
  if (shown.empty() || shown == url.host) return reasons;
  const std::string brand = brands.OfficialBrand(shown, tenant);
  if (!brand.empty()) {
    // "https://paypal.com@www.paypal.com/" goes where it says.
    if (brands.OfficialBrand(url.host, tenant) == brand) return reasons;
    Reason reason;
    reason.code = ReasonCode::kLookalikeTargetEmbedding;
    reason.technique = "userinfo";
    reason.brand = brand;
    reason.matched = shown;
    reason.weight = kWeightOfficialDomainInUserinfo;
    reason.detail = absl::StrCat(
        "Shows ", brand, "'s domain ", shown,
        " before the '@', where the host usually is; the link goes to ",
        url.host, ".");
    reasons.push_back(std::move(reason));
    return reasons;
  }
  for (const lookalike::LookalikeMatch& match :
       brands.MatchHost(shown, tenant)) {
    Reason reason = LookalikeReason(match);
    reason.technique = absl::StrCat("userinfo-", reason.technique);
    reason.detail =
        absl::StrCat("The user name before the '@' shows ", shown,
                     ", where the host usually is: ", reason.detail);
    reasons.push_back(std::move(reason));
  }
  return reasons;
}

}  // namespace lureguard::verdict
