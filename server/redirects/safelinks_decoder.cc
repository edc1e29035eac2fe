// Microsoft Defender for Office 365 Safe Links:
//   https://nam12.safelinks.protection.outlook.com/?url=<percent-encoded>
//       &data=05%7C02%7C...&sdata=...&reserved=0
// The host has a regional prefix (nam12., eur01., gcc02., ...) or none.

#include "server/redirects/unwrap.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::redirects {
namespace {

constexpr std::string_view kName = "safelinks";
constexpr std::string_view kDomain = "safelinks.protection.outlook.com";

class SafeLinksDecoder final : public MarkedHostDecoder {
 public:
  SafeLinksDecoder() : MarkedHostDecoder(kName, kDomain) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseCandidate(url);
    if (!parsed.has_value()) return std::nullopt;
    if (!HostMatches(*parsed, kDomain, /*subdomains=*/true)) {
      return std::nullopt;
    }
    const std::optional<std::string_view> inner =
        QueryParameter(parsed->query, "url");
    if (!inner.has_value()) {
      return Malformed(kName, "no url parameter");
    }
    std::string decoded = url::PercentDecode(*inner);
    if (decoded.empty()) return Malformed(kName, "url is empty");
    return decoded;
  }
};

}  // namespace

std::unique_ptr<WrapperDecoder> MakeSafeLinksDecoder() {
  return std::make_unique<SafeLinksDecoder>();
}

}  // namespace lureguard::redirects
