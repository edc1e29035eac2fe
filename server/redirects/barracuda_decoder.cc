// Barracuda Email Protection's Link Protection:
//   https://linkprotect.cudasvc.com/url?a=<percent-encoded>&c=E,1,...&typo=1
// The target is the `a` parameter, percent-encoded (often in lowercase
// hex: "https%3a%2f%2f").

#include "server/redirects/unwrap.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::redirects {
namespace {

constexpr std::string_view kName = "barracuda";
constexpr std::string_view kHost = "linkprotect.cudasvc.com";

class BarracudaDecoder final : public MarkedHostDecoder {
 public:
  BarracudaDecoder() : MarkedHostDecoder(kName, kHost) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseCandidate(url);
    if (!parsed.has_value() ||
        !HostMatches(*parsed, kHost, /*subdomains=*/false) ||
        parsed->path != "/url") {
      return std::nullopt;
    }
    const std::optional<std::string_view> inner =
        QueryParameter(parsed->query, "a");
    if (!inner.has_value() || inner->empty()) {
      return Malformed(kName, "no a parameter");
    }
    std::string decoded = url::PercentDecode(*inner);
    if (!IsHttpUrl(decoded)) {
      return Malformed(kName, "the target is not an http(s) URL");
    }
    return decoded;
  }
};

}  // namespace

std::unique_ptr<WrapperDecoder> MakeBarracudaDecoder() {
  return std::make_unique<BarracudaDecoder>();
}

}  // namespace lureguard::redirects
