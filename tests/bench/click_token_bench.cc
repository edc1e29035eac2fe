// Cost of the click-URL path of a mail link: signing a click token (every
// rewritten link), verifying one (every click), and unwrapping a URL (every
// link, most of them not wrapped at all; a 3-deep chain of ours around Safe
// Links around Proofpoint v2 for the worst ordinary case), plus reading the
// anchor text. Read the time per iteration (ns).

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "server/links/click_token.h"
#include "server/links/display_text.h"
#include "server/redirects/unwrap.h"

namespace {

using lureguard::links::ClickToken;
using lureguard::links::ClickTokenCodec;
using lureguard::redirects::Unwrapper;
using lureguard::redirects::WrapperDecoder;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

const ClickTokenCodec& Codec() {
  static const ClickTokenCodec* const codec =
      new ClickTokenCodec(*ClickTokenCodec::Create(
          {{"k1", std::string(32, 'a')}, {"k2", std::string(32, 'b')}}, "k2",
          absl::Hours(24 * 30)));
  return *codec;
}

// A mail link of ordinary length: 76 bytes, a query, a 16-byte recipient id.
ClickToken Typical() {
  return ClickToken{
      .issued = kNow,
      .tenant = "acme",
      .recipient_id = "9f2c41aa0b7e33d1",
      .url =
          "https://www.example.com/account/login?session=3f9a0c2e&lang=en-"
          "US&ref=mail01"};
}

const Unwrapper& TheUnwrapper() {
  static const Unwrapper* const unwrapper = [] {
    std::vector<std::unique_ptr<WrapperDecoder>> decoders;
    decoders.push_back(
        lureguard::links::ClickUrlDecoder(&Codec(), {"click.example.com"}));
    for (auto& d : lureguard::redirects::VendorDecoders()) {
      decoders.push_back(std::move(d));
    }
    return new Unwrapper(std::move(decoders));
  }();
  return *unwrapper;
}

std::string PercentEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

void BM_Encode(benchmark::State& state) {
  const ClickToken token = Typical();
  for (auto _ : state) {
    std::string encoded = Codec().Encode(token);
    benchmark::DoNotOptimize(encoded);
  }
  state.counters["token_chars"] = Codec().Encode(token).size();
}
BENCHMARK(BM_Encode);

void BM_Decode(benchmark::State& state) {
  const std::string token = Codec().Encode(Typical());
  for (auto _ : state) {
    absl::StatusOr<ClickToken> decoded = Codec().Decode(token, kNow);
    if (!decoded.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
}
BENCHMARK(BM_Decode);

// The common case: a link nobody wrapped meets every decoder.
void BM_UnwrapPlain(benchmark::State& state) {
  const std::string url = Typical().url;
  for (auto _ : state) {
    absl::StatusOr<lureguard::redirects::Unwrapped> u =
        TheUnwrapper().Unwrap(url);
    benchmark::DoNotOptimize(u);
  }
}
BENCHMARK(BM_UnwrapPlain);

void BM_UnwrapThreeDeep(benchmark::State& state) {
  const std::string proofpoint =
      "https://urldefense.proofpoint.com/v2/url?u=https-3A__www.example.com_"
      "account_login-3Fsession-3D3f9a0c2e&d=DwMFaQ&c=euGZstcaTDllvimEN8b7jXrw"
      "qOf-v5A_CdpgnVfiiMM&r=4B0t8uQ2Fh_iQlPWbxB3sA&m=Kq1cZ3l0&s=Zx9&e=";
  const std::string safelinks =
      "https://nam12.safelinks.protection.outlook.com/?url=" +
      PercentEncode(proofpoint) +
      "&data=05%7C02%7Cjane%40contoso.com%7C5f2c0a1e%7C0%7C0%7C6384123456"
      "%7CUnknown%7CTWFpbGZsb3d8%7C0%7C%7C%7C&sdata=Jx9%2Bq0Zk%3D&reserved=0";
  ClickToken token = Typical();
  token.url = safelinks;
  const std::string url =
      "https://click.example.com/c/" + Codec().Encode(token);
  for (auto _ : state) {
    absl::StatusOr<lureguard::redirects::Unwrapped> u =
        TheUnwrapper().Unwrap(url);
    if (!u.ok() || u->chain.size() != 3) state.SkipWithError("not 3 deep");
    benchmark::DoNotOptimize(u);
  }
}
BENCHMARK(BM_UnwrapThreeDeep);

void BM_DisplayTextMismatch(benchmark::State& state) {
  for (auto _ : state) {
    auto m = lureguard::links::FindDisplayTextMismatch(
        "www.paypal.com", "https://www.paypal.com.evil.top/login");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_DisplayTextMismatch);

}  // namespace

BENCHMARK_MAIN();
