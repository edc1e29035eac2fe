// Sophos Email's Time-of-Click protection:
//   https://<region>.protection.sophos.com/?d=<domain>&u=<base64>&i=...
// The target is the `u` parameter: base64 of the URL (standard or URL-safe
// alphabet, padding optional, possibly percent-encoded). `d` repeats its
// domain and is not trusted: the verdict is on what `u` holds.

#include "absl/strings/escaping.h"
#include "server/redirects/unwrap.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::redirects {
namespace {

constexpr std::string_view kName = "sophos";
constexpr std::string_view kDomain = "protection.sophos.com";

class SophosDecoder final : public MarkedHostDecoder {
 public:
  SophosDecoder() : MarkedHostDecoder(kName, kDomain) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseCandidate(url);
    if (!parsed.has_value() ||
        !HostMatches(*parsed, kDomain, /*subdomains=*/true) ||
        parsed->path != "/") {
      return std::nullopt;
    }
    const std::optional<std::string_view> inner =
        QueryParameter(parsed->query, "u");
    if (!inner.has_value() || inner->empty()) {
      return Malformed(kName, "no u parameter");
    }
    std::string encoded = url::PercentDecode(*inner);
    while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
    std::string decoded;
    if (!absl::WebSafeBase64Unescape(encoded, &decoded) &&
        !absl::Base64Unescape(encoded, &decoded)) {
      return Malformed(kName, "u is not base64");
    }
    if (!IsHttpUrl(decoded)) {
      return Malformed(kName, "the target is not an http(s) URL");
    }
    return decoded;
  }
};

}  // namespace

std::unique_ptr<WrapperDecoder> MakeSophosDecoder() {
  return std::make_unique<SophosDecoder>();
}

}  // namespace lureguard::redirects
