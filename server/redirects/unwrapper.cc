// Unwrapper: applies the decoders until none recognises the URL; the
// default set of vendor decoders.

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/redirects/unwrap.h"

namespace lureguard::redirects {

std::vector<std::unique_ptr<WrapperDecoder>> VendorDecoders() {
  std::vector<std::unique_ptr<WrapperDecoder>> decoders;
  decoders.push_back(MakeSafeLinksDecoder());
  decoders.push_back(MakeProofpointV1Decoder());
  decoders.push_back(MakeProofpointV2Decoder());
  decoders.push_back(MakeProofpointV3Decoder());
  decoders.push_back(MakeGoogleRedirectDecoder());
  decoders.push_back(MakeBarracudaDecoder());
  decoders.push_back(MakeSophosDecoder());
  decoders.push_back(MakeTrendMicroDecoder());
  return decoders;
}

Unwrapper::Unwrapper(std::vector<std::unique_ptr<WrapperDecoder>> decoders,
                     int max_depth)
    : decoders_(std::move(decoders)),
      max_depth_(max_depth < 1 ? 1 : max_depth) {}

bool Unwrapper::MayUnwrapHost(std::string_view host) const {
  for (const std::unique_ptr<WrapperDecoder>& decoder : decoders_) {
    if (decoder->MayWrapHost(host)) return true;
  }
  return false;
}

absl::StatusOr<Unwrapped> Unwrapper::Unwrap(std::string_view url) const {
  if (url.empty()) return absl::InvalidArgumentError("url: empty");
  Unwrapped result;
  result.url = std::string(url);
  for (int depth = 0;; ++depth) {
    const WrapperDecoder* recognised = nullptr;
    std::optional<absl::StatusOr<std::string>> inner;
    for (const std::unique_ptr<WrapperDecoder>& decoder : decoders_) {
      inner = decoder->Decode(result.url);
      if (inner.has_value()) {
        recognised = decoder.get();
        break;
      }
    }
    if (recognised == nullptr) return result;
    if (depth == max_depth_) {
      // Still wrapped, wellformed or not: the caller checks what we reached.
      result.depth_exceeded = true;
      return result;
    }
    if (!inner->ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "url: at depth ", depth + 1, ": ", inner->status().message()));
    }
    result.chain.push_back(
        UnwrapStep{std::string(recognised->name()), std::move(result.url)});
    result.url = *std::move(*inner);
  }
}

}  // namespace lureguard::redirects
