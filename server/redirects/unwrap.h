// Unwrapping: other vendors' link wrappers (and ours) peeled off a URL.
//
// Mail gateways rewrite links into their own redirectors: Microsoft Safe
// Links, Proofpoint URL Defense (three formats), Google's /url redirect,
// Barracuda Link Protection, Sophos Time-of-Click, Trend Micro's
// time-of-click URLs. (Mimecast's and Cisco's carry an opaque token: only
// following them, redirect_resolver.h, tells where they lead.)
// Attackers abuse these wrappers as trusted-looking redirectors, so a verdict
// must be taken on the innermost URL. A WrapperDecoder recognises one format;
// the Unwrapper applies a set of decoders repeatedly, outermost first, and
// records the chain it peeled.
//
// Decoders work on the URL text alone: no network, no redirects followed.
// Everything here is immutable after construction and safe for concurrent
// use by multiple threads without external synchronization.
//
// Example:
//   Unwrapper unwrapper(VendorDecoders());
//   absl::StatusOr<Unwrapped> u = unwrapper.Unwrap(
//       "https://nam12.safelinks.protection.outlook.com/"
//       "?url=https%3A%2F%2Fevil.example%2Flogin&data=05%7C01");
//   // u->url == "https://evil.example/login"
//   // u->chain == {{"safelinks", "https://nam12.safelinks...&data=05%7C01"}}

#ifndef LUREGUARD_SERVER_REDIRECTS_UNWRAP_H_
#define LUREGUARD_SERVER_REDIRECTS_UNWRAP_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace lureguard::redirects {

// One wrapper peeled off.
struct UnwrapStep {
  // The decoder that recognised the URL: "safelinks", "proofpoint-v1",
  // "proofpoint-v2", "proofpoint-v3", "google-redirect", "barracuda",
  // "sophos", "trend-micro", "lureguard".
  std::string wrapper;
  // The URL before this step (the wrapped form).
  std::string url;
};

// The result of unwrapping a URL.
struct Unwrapped {
  // The innermost URL reached; the input itself when nothing was wrapped.
  std::string url;
  // The steps peeled, outermost first; empty when nothing was wrapped.
  std::vector<UnwrapStep> chain;
  // True when `url` is itself still wrapped but max_depth steps were taken.
  bool depth_exceeded = false;
};

// Recognises one wrapper format and extracts the URL inside it.
//
// Implementations are immutable and thread-safe.
class WrapperDecoder {
 public:
  virtual ~WrapperDecoder() = default;

  // Stable short name, used as UnwrapStep::wrapper.
  virtual std::string_view name() const = 0;

  // std::nullopt: `url` is not this wrapper. An error (InvalidArgument, the
  // message naming the wrapper and why): this wrapper, but malformed. Else:
  // the inner URL, decoded, never empty.
  virtual std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const = 0;

  // False when no URL whose host is `host` (canonical: lowercase ASCII, as
  // url::ParsedUrl holds it) can be this wrapper. A caller that has parsed
  // the URL already skips Decode on it; true unless a decoder knows better.
  virtual bool MayWrapHost(std::string_view host) const {
    (void)host;
    return true;
  }
};

// One decoder per format, named as in UnwrapStep::wrapper.
std::unique_ptr<WrapperDecoder> MakeSafeLinksDecoder();     // "safelinks"
std::unique_ptr<WrapperDecoder> MakeProofpointV1Decoder();  // "proofpoint-v1"
std::unique_ptr<WrapperDecoder> MakeProofpointV2Decoder();  // "proofpoint-v2"
std::unique_ptr<WrapperDecoder> MakeProofpointV3Decoder();  // "proofpoint-v3"
std::unique_ptr<WrapperDecoder>
MakeGoogleRedirectDecoder();                              // "google-redirect"
std::unique_ptr<WrapperDecoder> MakeBarracudaDecoder();   // "barracuda"
std::unique_ptr<WrapperDecoder> MakeSophosDecoder();      // "sophos"
std::unique_ptr<WrapperDecoder> MakeTrendMicroDecoder();  // "trend-micro"

// Decoders for other vendors' wrappers: Microsoft Safe Links, Proofpoint URL
// Defense v1, v2 and v3, Google's /url redirect, Barracuda Link Protection,
// Sophos Time-of-Click and Trend Micro's time-of-click URLs, in that order. Our
// own click URLs need the codec: see ClickUrlDecoder in click_token.h.
std::vector<std::unique_ptr<WrapperDecoder>> VendorDecoders();

// Peels wrappers off a URL, outermost first, up to max_depth steps.
//
// Example: see the top of this file.
class Unwrapper {
 public:
  // REQUIRES: max_depth >= 1. The first decoder that recognises a URL wins.
  explicit Unwrapper(std::vector<std::unique_ptr<WrapperDecoder>> decoders,
                     int max_depth = 5);

  Unwrapper(Unwrapper&&) = default;
  Unwrapper& operator=(Unwrapper&&) = default;

  // Unwraps `url`. A URL no decoder recognises comes back unchanged with an
  // empty chain. InvalidArgument when `url` is empty or a recognised wrapper
  // is malformed (the message names the wrapper, its depth and the reason);
  // when max_depth steps were peeled and the URL is still wrapped, returns
  // the URL reached with depth_exceeded set.
  absl::StatusOr<Unwrapped> Unwrap(std::string_view url) const;

  // False when no decoder can recognise a URL with the canonical `host`:
  // the verdict engine asks this of every URL it checks, Unwrap of few.
  bool MayUnwrapHost(std::string_view host) const;

 private:
  std::vector<std::unique_ptr<WrapperDecoder>> decoders_;
  int max_depth_;
};

}  // namespace lureguard::redirects

#endif  // LUREGUARD_SERVER_REDIRECTS_UNWRAP_H_
