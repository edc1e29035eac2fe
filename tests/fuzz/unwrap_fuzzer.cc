// Fuzz target for unwrapping and display-text reading: every decoder (ours
// included) over arbitrary text, and FindDisplayTextMismatch over
// "text \n href". Besides the sanitizers, it checks the promises of
// server/redirects/unwrap.h and display_text.h.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "server/links/click_token.h"
#include "server/links/display_text.h"
#include "server/redirects/unwrap.h"
#include "server/url/url.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::links::ClickTokenCodec;
using lureguard::redirects::Unwrapped;
using lureguard::redirects::Unwrapper;
using lureguard::redirects::WrapperDecoder;

constexpr int kMaxDepth = 5;

// The seed corpus (corpus/unwrap) signs its click URLs with this key.
const Unwrapper& TheUnwrapper() {
  static const ClickTokenCodec* const codec =
      new ClickTokenCodec(*ClickTokenCodec::Create(
          {{"k1", std::string(32, 'a')}}, "k1", absl::Hours(1)));
  static const Unwrapper* const unwrapper = [] {
    std::vector<std::unique_ptr<WrapperDecoder>> decoders;
    decoders.push_back(
        lureguard::links::ClickUrlDecoder(codec, {"click.example.com"}));
    for (auto& d : lureguard::redirects::VendorDecoders()) {
      decoders.push_back(std::move(d));
    }
    return new Unwrapper(std::move(decoders), kMaxDepth);
  }();
  return *unwrapper;
}

// Other vendors' decoders alone, as the verdict engine holds them.
const Unwrapper& VendorUnwrapper() {
  static const Unwrapper* const unwrapper =
      new Unwrapper(lureguard::redirects::VendorDecoders(), kMaxDepth);
  return *unwrapper;
}

void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<Unwrapped> u = TheUnwrapper().Unwrap(input);
  if (!u.ok()) {
    Check(u.status().code() == absl::StatusCode::kInvalidArgument,
          "malformed wrappers are InvalidArgument");
    Check(u.status().message().rfind("url: ", 0) == 0, "errors name the field");
  } else {
    Check(!u->url.empty(), "the innermost URL is never empty");
    Check(u->chain.size() <= static_cast<size_t>(kMaxDepth), "depth bound");
    // Decoding only removes: percent escapes shrink, v3 characters come
    // from the wrapper's own tail, our tokens carry less than their text.
    Check(u->url.size() <= input.size(), "unwrapping never grows a URL");
    if (!u->chain.empty()) {
      Check(u->chain.front().url == input, "the chain starts at the input");
    }
    // The verdict engine skips Unwrap on a URL whose parsed host no vendor
    // decoder may wrap: each vendor step's host must pass that test.
    for (const lureguard::redirects::UnwrapStep& step : u->chain) {
      if (step.wrapper == "lureguard") continue;
      absl::StatusOr<lureguard::url::ParsedUrl> parsed =
          lureguard::url::ParseUrl(step.url);
      Check(parsed.ok(), "a recognised wrapper parses");
      Check(VendorUnwrapper().MayUnwrapHost(parsed->host),
            "MayUnwrapHost lets every vendor wrapper through");
    }
    if (!u->depth_exceeded) {
      absl::StatusOr<Unwrapped> again = TheUnwrapper().Unwrap(u->url);
      Check(again.ok() && again->chain.empty() && again->url == u->url,
            "the innermost URL is a fixed point");
    }
  }

  const size_t newline = input.find('\n');
  if (newline != std::string_view::npos) {
    std::optional<lureguard::links::DisplayTextMismatch> m =
        lureguard::links::FindDisplayTextMismatch(input.substr(0, newline),
                                                  input.substr(newline + 1));
    if (m.has_value()) {
      Check(!m->text_domain.empty() && !m->href_domain.empty(),
            "a mismatch names both domains");
      Check(m->text_domain != m->href_domain, "a mismatch differs");
    }
  }
  return 0;
}
