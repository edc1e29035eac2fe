// Google's redirect: https://www.google.<tld>/url?q=<percent-encoded> (or
// url=, as search results write it: /url?sa=t&url=...). Any public suffix
// Google uses (google.com, google.co.uk, google.com.br, ...), with or
// without www. Suffixes from the private section of the list are refused:
// unwrapping someone's google.blogspot.com/url?q=<benign> would check the
// benign URL while the browser opens their page.

#include "server/redirects/unwrap.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::redirects {
namespace {

constexpr std::string_view kName = "google-redirect";
constexpr std::string_view kHostMarker = "google.";

bool IsGoogleHost(const url::ParsedUrl& parsed) {
  std::string_view host = parsed.host;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.rfind("www.", 0) == 0) host.remove_prefix(4);
  if (host.rfind("google.", 0) != 0) return false;
  // "google." followed by exactly a registry's suffix: google.evil.com is
  // not Google, nor google.blogspot.com (anyone may name a blog "google").
  return url::PublicSuffix(host) == host.substr(7) &&
         url::PublicSuffixSection(host) == url::SuffixSection::kIcann;
}

class GoogleRedirectDecoder final : public MarkedHostDecoder {
 public:
  GoogleRedirectDecoder() : MarkedHostDecoder(kName, kHostMarker) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseCandidate(url);
    if (!parsed.has_value() || parsed->path != "/url" ||
        !IsGoogleHost(*parsed)) {
      return std::nullopt;
    }
    // Search results carry an empty q= beside url=: the first non-empty.
    std::optional<std::string_view> inner;
    for (std::string_view name : {"q", "url"}) {
      inner = QueryParameter(parsed->query, name);
      if (inner.has_value() && !inner->empty()) break;
    }
    if (!inner.has_value() || inner->empty()) {
      return Malformed(kName, "no q or url parameter");
    }
    std::string decoded = url::PercentDecode(*inner);
    if (!IsHttpUrl(decoded)) {
      return Malformed(kName, "the target is not an http(s) URL");
    }
    return decoded;
  }
};

}  // namespace

std::unique_ptr<WrapperDecoder> MakeGoogleRedirectDecoder() {
  return std::make_unique<GoogleRedirectDecoder>();
}

}  // namespace lureguard::redirects
