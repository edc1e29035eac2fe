// ClickUrlDecoder: our own click URLs http(s)://<click host>/c/<token>.

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/links/click_token.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::links {
namespace {

constexpr std::string_view kName = "lureguard";
constexpr std::string_view kClickPath = "/c/";

class ClickUrlDecoderImpl final : public redirects::WrapperDecoder {
 public:
  ClickUrlDecoderImpl(const ClickTokenCodec* codec,
                      std::vector<std::string> click_hosts)
      : codec_(codec), click_hosts_(std::move(click_hosts)) {
    for (std::string& host : click_hosts_) {
      absl::AsciiStrToLower(&host);
      if (!host.empty() && host.back() == '.') host.pop_back();
    }
  }

  std::string_view name() const override { return kName; }

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    for (const std::string& click_host : click_hosts_) {
      std::optional<url::ParsedUrl> parsed =
          redirects::ParseCandidate(url, click_host);
      if (!parsed.has_value() || !Matches(*parsed, click_host)) continue;
      if (parsed->path.rfind(kClickPath, 0) != 0) return std::nullopt;
      const std::string_view token =
          std::string_view(parsed->path).substr(kClickPath.size());
      absl::StatusOr<ClickToken> decoded = codec_->DecodeAnyAge(token);
      if (!decoded.ok()) {
        return redirects::Malformed(kName,
                                    std::string(decoded.status().message()));
      }
      return std::move(decoded->url);
    }
    return std::nullopt;
  }

 private:
  // `click_host` is "host" or "host:port", as configured.
  static bool Matches(const url::ParsedUrl& parsed,
                      std::string_view click_host) {
    const size_t colon = click_host.rfind(':');
    const bool has_port = colon != std::string_view::npos &&
                          click_host.find(']', colon) == std::string_view::npos;
    if (!has_port) {
      return parsed.port == -1 &&
             redirects::HostMatches(parsed, click_host, /*subdomains=*/false);
    }
    return redirects::HostMatches(parsed, click_host.substr(0, colon),
                                  /*subdomains=*/false) &&
           absl::StrCat(parsed.port) == click_host.substr(colon + 1);
  }

  const ClickTokenCodec* codec_;
  std::vector<std::string> click_hosts_;
};

}  // namespace

std::unique_ptr<redirects::WrapperDecoder> ClickUrlDecoder(
    const ClickTokenCodec* codec, std::vector<std::string> click_hosts) {
  return std::make_unique<ClickUrlDecoderImpl>(codec, std::move(click_hosts));
}

}  // namespace lureguard::links
