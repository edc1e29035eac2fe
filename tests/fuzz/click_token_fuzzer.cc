// Fuzz target for click tokens: ClickTokenCodec::Decode on arbitrary text
// (it reaches every mail reader and every scanner), and Encode/Decode round
// trips of arbitrary field values. Besides the sanitizers, it checks the
// promises of server/links/click_token.h.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "server/links/click_token.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::links::ClickToken;
using lureguard::links::ClickTokenCodec;

// The seed corpus (corpus/click_token) is signed with these keys.
const ClickTokenCodec& Codec() {
  static const ClickTokenCodec* const codec =
      new ClickTokenCodec(*ClickTokenCodec::Create(
          {{"k1", std::string(32, 'a')}, {"k2", std::string(32, 'b')}}, "k1",
          absl::Hours(24 * 30)));
  return *codec;
}

// 2026-01-01: the seeds are issued around then.
const absl::Time kNow = absl::FromUnixSeconds(1767225600);

void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

void CheckDecode(std::string_view input) {
  absl::StatusOr<ClickToken> token = Codec().Decode(input, kNow);
  if (!token.ok()) {
    const absl::StatusCode code = token.status().code();
    Check(code == absl::StatusCode::kInvalidArgument ||
              code == absl::StatusCode::kPermissionDenied ||
              code == absl::StatusCode::kFailedPrecondition,
          "only the documented codes");
    Check(!token.status().message().empty(), "errors say why");
    return;
  }
  Check(token->url.size() <= ClickTokenCodec::kMaxUrlBytes, "url cap");
  Check(token->tenant.size() <= ClickTokenCodec::kMaxFieldBytes, "tenant cap");
  // One spelling per token: what decodes re-encodes to the same text.
  if (token->key_id == "k1") {
    Check(Codec().Encode(*token) == input, "a token has one spelling");
  }
}

void CheckRoundTrip(std::string_view input) {
  // tenant \n recipient \n url
  const size_t first = input.find('\n');
  if (first == std::string_view::npos) return;
  const size_t second = input.find('\n', first + 1);
  if (second == std::string_view::npos) return;
  ClickToken token{
      .issued = kNow,
      .tenant = std::string(input.substr(0, first)),
      .recipient_id = std::string(input.substr(first + 1, second - first - 1)),
      .url = std::string(input.substr(second + 1))};
  if (!ClickTokenCodec::CheckEncodable(token).ok()) return;
  absl::StatusOr<ClickToken> decoded =
      Codec().Decode(Codec().Encode(token), kNow);
  Check(decoded.ok(), "what Encode writes decodes");
  Check(decoded->key_id == "k1" && decoded->issued == kNow &&
            decoded->tenant == token.tenant &&
            decoded->recipient_id == token.recipient_id &&
            decoded->url == token.url,
        "the round trip keeps every field");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckDecode(input);
  CheckRoundTrip(input);
  return 0;
}
