// Trend Micro Email Security's time-of-click protection:
//   https://<node>.trendmicro.com:443/wis/clicktime/v1/query
//       ?url=<percent-encoded>&umid=<uuid>&auth=<hex>
// The node names vary (ddec1-0-en-ctp, cas5-0-urlprotect, imsva91-ctp);
// the path and the `url` parameter, percent-encoded in lowercase hex, do
// not.

#include "server/redirects/unwrap.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::redirects {
namespace {

constexpr std::string_view kName = "trend-micro";
constexpr std::string_view kDomain = "trendmicro.com";
constexpr std::string_view kPath = "/wis/clicktime/v1/query";

class TrendMicroDecoder final : public MarkedHostDecoder {
 public:
  TrendMicroDecoder() : MarkedHostDecoder(kName, kDomain) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseCandidate(url);
    if (!parsed.has_value() ||
        !HostMatches(*parsed, kDomain, /*subdomains=*/true) ||
        parsed->path != kPath) {
      return std::nullopt;
    }
    const std::optional<std::string_view> inner =
        QueryParameter(parsed->query, "url");
    if (!inner.has_value() || inner->empty()) {
      return Malformed(kName, "no url parameter");
    }
    std::string decoded = url::PercentDecode(*inner);
    if (!IsHttpUrl(decoded)) {
      return Malformed(kName, "the target is not an http(s) URL");
    }
    return decoded;
  }
};

}  // namespace

std::unique_ptr<WrapperDecoder> MakeTrendMicroDecoder() {
  return std::make_unique<TrendMicroDecoder>();
}

}  // namespace lureguard::redirects
