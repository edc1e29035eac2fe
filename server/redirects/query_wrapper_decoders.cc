// Wrappers that carry their target in one query parameter of one path on
// the vendor's hosts, and differ only in those and in how the target is
// encoded:
//
// Barracuda Email Protection's Link Protection:
//   https://linkprotect.cudasvc.com/url?a=<percent-encoded>&c=E,1,...&typo=1
//   (often in lowercase hex: "https%3a%2f%2f").
// Sophos Email's Time-of-Click protection:
//   https://<region>.protection.sophos.com/?d=<domain>&u=<base64>&i=...
//   `u` is base64 of the URL (standard or URL-safe alphabet, padding
//   optional, possibly percent-encoded). `d` repeats its domain and is not
//   trusted: the verdict is on what `u` holds.
// Trend Micro Email Security's time-of-click protection:
//   https://<node>.trendmicro.com:443/wis/clicktime/v1/query
//       ?url=<percent-encoded>&umid=<uuid>&auth=<hex>
//   The node names vary (ddec1-0-en-ctp, cas5-0-urlprotect, imsva91-ctp);
//   the path and the parameter, percent-encoded in lowercase hex, do not.

#include "absl/strings/escaping.h"
#include "server/redirects/unwrap.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::redirects {
namespace {

// One such format.
struct QueryWrapperFormat {
  std::string_view name;    // UnwrapStep::wrapper
  std::string_view domain;  // the vendor's host, also the host marker
  bool subdomains;          // hosts under `domain` too
  std::string_view path;
  std::string_view parameter;
  bool base64;  // the target is base64 after percent-decoding
};

constexpr QueryWrapperFormat kBarracuda{.name = "barracuda",
                                        .domain = "linkprotect.cudasvc.com",
                                        .subdomains = false,
                                        .path = "/url",
                                        .parameter = "a",
                                        .base64 = false};
constexpr QueryWrapperFormat kSophos{.name = "sophos",
                                     .domain = "protection.sophos.com",
                                     .subdomains = true,
                                     .path = "/",
                                     .parameter = "u",
                                     .base64 = true};
constexpr QueryWrapperFormat kTrendMicro{.name = "trend-micro",
                                         .domain = "trendmicro.com",
                                         .subdomains = true,
                                         .path = "/wis/clicktime/v1/query",
                                         .parameter = "url",
                                         .base64 = false};

class QueryWrapperDecoder final : public MarkedHostDecoder {
 public:
  explicit QueryWrapperDecoder(const QueryWrapperFormat& format)
      : MarkedHostDecoder(format.name, format.domain), format_(format) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseCandidate(url);
    if (!parsed.has_value() ||
        !HostMatches(*parsed, format_.domain, format_.subdomains) ||
        parsed->path != format_.path) {
      return std::nullopt;
    }
    const std::optional<std::string_view> inner =
        QueryParameter(parsed->query, format_.parameter);
    if (!inner.has_value() || inner->empty()) {
      return Malformed(name(),
                       "no " + std::string(format_.parameter) + " parameter");
    }
    std::string decoded = url::PercentDecode(*inner);
    if (format_.base64) {
      std::string encoded = std::move(decoded);
      while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
      if (!absl::WebSafeBase64Unescape(encoded, &decoded) &&
          !absl::Base64Unescape(encoded, &decoded)) {
        return Malformed(name(),
                         std::string(format_.parameter) + " is not base64");
      }
    }
    if (!IsHttpUrl(decoded)) {
      return Malformed(name(), "the target is not an http(s) URL");
    }
    return decoded;
  }

 private:
  const QueryWrapperFormat& format_;
};

}  // namespace

std::unique_ptr<WrapperDecoder> MakeBarracudaDecoder() {
  return std::make_unique<QueryWrapperDecoder>(kBarracuda);
}

std::unique_ptr<WrapperDecoder> MakeSophosDecoder() {
  return std::make_unique<QueryWrapperDecoder>(kSophos);
}

std::unique_ptr<WrapperDecoder> MakeTrendMicroDecoder() {
  return std::make_unique<QueryWrapperDecoder>(kTrendMicro);
}

}  // namespace lureguard::redirects
